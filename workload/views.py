from django.shortcuts import render

from accounts.access import section_required


@section_required("workload")
def index(request):
    return render(request, "workload/index.html")
