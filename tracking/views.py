from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from tracking.thaicalendar import fiscal_year


@login_not_required
def home(request):
    today = timezone.localdate()
    return render(request, "tracking/home.html", {"today": today, "fiscal_year": fiscal_year(today)})


@login_not_required
def about(request):
    return render(request, "tracking/about.html")


@login_not_required
def csrf_failure(request, reason=""):
    """Thai page for an expired or missing CSRF token (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
