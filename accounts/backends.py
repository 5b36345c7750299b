"""The sign-in backends (Django's by username, allauth's by username or e-mail), reading the
signed-in user of each request together with their unit.

Nearly every page's access rule reads ``user.org_unit``; loading it with the user saves one query
on each of those pages.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class _UserWithUnit:
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("org_unit").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class UsernameBackend(_UserWithUnit, ModelBackend):
    pass


class AllauthUserBackend(_UserWithUnit, AllauthBackend):
    pass
