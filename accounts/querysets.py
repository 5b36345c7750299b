from django.contrib.auth.models import UserManager
from django.db import models


class RestrictedQuerySet(models.QuerySet):
    """``Model.objects.visible_to(user, action)``: the rows accounts.access allows."""

    def visible_to(self, user, action: str = "view"):
        from accounts.access import restrict

        return restrict(self, user, action)


class UnitQuerySet(RestrictedQuerySet):
    def in_thai_order(self):
        return self.order_by("name_sort", "code")


class UserQuerySet(RestrictedQuerySet):
    def with_verified_email(self, email: str):
        """Accounts whose owner proved they read ``email`` (any case): all that reset and SSO may match."""
        return self.filter(emailaddress__verified=True, emailaddress__email__iexact=email.strip()).distinct()


class RestrictedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class AccessRequestQuerySet(RestrictedQuerySet):
    def pending(self):
        return self.filter(status="pending")

    def for_review_list(self):
        pending_first = models.Case(models.When(status="pending", then=0), default=1)
        return self.select_related("org_unit__province", "decided_by").order_by(pending_first, "-created_at")


class NotificationQuerySet(RestrictedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_list(self):
        """The bell's list: newest first, only the columns the page shows."""
        return self.only("kind", "params", "url", "created_at", "read_at").order_by("-created_at", "-pk")
