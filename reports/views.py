from django.shortcuts import render

from accounts.access import section_required


@section_required("reports")
def index(request):
    return render(request, "reports/index.html")
