import sys
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from tracking import tasks
from tracking.redirects import safe_next
from tracking.thaicalendar import fiscal_year


@login_not_required
def home(request):
    """The site's front page; signed in, it opens with the person's own tasks (งานของฉัน)."""
    today = timezone.localdate()
    context = {"today": today, "fiscal_year": fiscal_year(today)}
    if request.user.is_authenticated:
        context["cards"] = tasks.cards_for(request.user, today)
    return render(request, "tracking/home.html", context)


@login_not_required
def about(request):
    return render(request, "tracking/about.html")


@login_not_required
def csrf_failure(request, reason=""):
    """Thai page for an expired or missing CSRF token (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


@login_not_required
def admin_login(request):
    """The admin has no login of its own: it would bypass the lock-out rules of the site login."""
    if request.user.is_authenticated:
        # Signed in but not admin staff: a login page would loop back here.
        raise PermissionDenied
    target = safe_next(request, request.GET.get("next", ""), "admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def status(request):
    """ "Signed in and working": the base page and its middleware with no data of its own.

    The benchmark's floor: every page's cost is compared with this one's, served by the same
    server in the same run.
    """
    return render(request, "tracking/status.html")


@login_not_required
def healthz(request):
    """For load balancers: 200 when this app server reaches its database, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@requires_csrf_token
def server_error(request):
    """500, or 503 "try again shortly" when the database cannot be reached (a restart, a failover).

    Nothing of the request was saved then, and the next request after the database is back
    works: Django drops the broken connection and opens a new one. The page is rendered
    without a request, so that nothing in it needs the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)
