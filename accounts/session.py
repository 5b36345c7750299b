"""Session rules: an idle timeout (30 minutes by default) and an absolute limit (12 hours).

The DLA manual warns that an idle session ends after 30 minutes and tells
users to save often for fear of losing their typing. Here the server ends
idle and over-long sessions, the page warns before that happens and offers
to stay signed in (static/js/session.js), and what was being typed is kept
in the browser and restored after the next sign-in (static/js/drafts.js).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

LAST_ACTIVITY = "last_activity"
SIGNED_IN_AT = "signed_in_at"
# The activity stamp is rewritten at most this often, so most page views
# cost no session write; the idle clock is exact to within this much.
STAMP_EVERY_SECONDS = 60


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_ACTIVITY] = now


def seconds_left(session, now: float | None = None) -> int:
    """Seconds until this session ends by idleness or by the absolute limit."""
    now = time.time() if now is None else now
    idle_end = session.get(LAST_ACTIVITY, now) + settings.SESSION_IDLE_TIMEOUT
    absolute_end = session.get(SIGNED_IN_AT, now) + settings.SESSION_ABSOLUTE_TIMEOUT
    return max(0, int(min(idle_end, absolute_end) - now))


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            if seconds_left(request.session, now) <= 0:
                logout(request)
                messages.warning(request, _("Your session has ended. Please sign in again."))
            else:
                request.session.setdefault(SIGNED_IN_AT, int(now))
                if now - request.session.get(LAST_ACTIVITY, 0) >= STAMP_EVERY_SECONDS:
                    request.session[LAST_ACTIVITY] = int(now)
        return self.get_response(request)


@require_POST
def keep_alive(request):
    """ "Stay signed in": the middleware has already counted this request as activity."""
    return JsonResponse({"seconds_left": seconds_left(request.session)})
