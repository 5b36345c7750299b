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
    return context
