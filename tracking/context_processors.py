from django.conf import settings


def site(request):
    """Values every page of the shell needs."""
    context = {"SITE_NAME": settings.SITE_NAME, "DEMO": settings.DEMO}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from accounts.access import sections
        from accounts.session import seconds_left

        context["sections"] = sections(user)
        context["session_seconds_left"] = seconds_left(request.session)
        context["session_warning_seconds"] = settings.SESSION_WARNING_SECONDS
        context["unread_notifications"] = unread_notifications(user)
    return context


def unread_notifications(user) -> int:
    """The bell's count: read with the user by the sign-in backend (accounts/backends.py); one
    query only for a user object that came another way."""
    count = getattr(user, "unread_notifications", None)
    if count is None:
        from accounts.models import Notification

        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user.unread_notifications = count
    return count
