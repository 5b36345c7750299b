from django.shortcuts import render

from accounts.access import section_required


@section_required("progress")
def index(request):
    return render(request, "progress/index.html")
