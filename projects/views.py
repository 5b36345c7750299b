from django.shortcuts import render

from accounts.access import section_required


@section_required("projects")
def index(request):
    return render(request, "projects/index.html")
