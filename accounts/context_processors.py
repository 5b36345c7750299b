from django.conf import settings

from accounts.access import sections
from accounts.models import Notification
from accounts.session import seconds_left


def person(request):
    """What the base template shows of the signed-in person: the menu's sections, the session
    timer and the bell's count of unread notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "sections": sections(user),
        "session_seconds_left": seconds_left(request.session),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "unread_notifications": unread_notifications(user),
    }


def unread_notifications(user) -> int:
    """The bell's count: read with the user by the sign-in backend (accounts/backends.py); one
    query only for a user object that came another way."""
    count = getattr(user, "unread_notifications", None)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user.unread_notifications = count
    return count
