"""Each request reads the signed-in user together with their unit."""

from django.urls import reverse

from accounts.roles import Role


def test_the_users_unit_comes_with_the_user(client, make_user, django_assert_num_queries):
    user = make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5003")
    client.force_login(user)
    response = client.get(reverse("workload:index"))
    request_user = response.wsgi_request.user
    with django_assert_num_queries(0):
        assert request_user.org_unit.code == "DLA-D5003"


def test_an_inactive_user_is_signed_out(client, make_user):
    user = make_user("leaver", roles=[Role.REPORT_VIEWER], unit="ALRO-SWP")
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get(reverse("projects:index")).status_code == 302
