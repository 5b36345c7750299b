import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(settings):
    settings.DEMO = True
    call_command("seed_demo", "--password", "demo-pass-1")
    call_command("seed_demo", "--password", "demo-pass-2")
    admin = User.objects.get(username="super_admin")
    assert User.objects.filter(username="super_admin").count() == 1
    assert admin.check_password("demo-pass-2")
    assert admin.is_superuser


def test_seed_demo_refuses_on_production(settings):
    settings.DEMO = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="super_admin").exists()
