"""The sign-in backends (Django's by username, allauth's by username or e-mail), reading the
signed-in user of each request together with their unit and their count of unread notifications.

Nearly every page's access rule reads ``user.org_unit``, and the header's bell shows the unread
count: loading both with the user saves a query on every page.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Notification


def unread_count_subquery():
    """The number of unread notifications of the user of the outer query (the partial index's rows)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


class _UserWithUnit:
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = (
                model._default_manager.select_related("org_unit")
                .annotate(unread_notifications=unread_count_subquery())
                .get(pk=user_id)
            )
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class UsernameBackend(_UserWithUnit, ModelBackend):
    pass


class AllauthUserBackend(_UserWithUnit, AllauthBackend):
    pass
