import pytest
from django.urls import reverse

from accounts.models import AccessRequest, OrgUnit, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db

REQUEST_URL = reverse("accounts:request_access")


def request_data(**overrides):
    data = {
        "username": "wichai.s",
        "password1": "Kaset-2569-plan",
        "password2": "Kaset-2569-plan",
        "first_name": "วิชัย",
        "last_name": "ศรีสุข",
        "position": "นักวิชาการส่งเสริมการปกครองท้องถิ่นชำนาญการ",
        "phone": "0812345678",
        "email": "wichai@example.go.th",
        "org_unit": OrgUnit.objects.get(code="DLA-D5001").pk,
        "role": Role.DISTRICT_RECORDER,
        "note": "ผู้รับผิดชอบบันทึกปริมาณงาน",
    }
    data.update(overrides)
    return data


@pytest.fixture
def reviewers(make_user):
    return {
        "super": make_user("super", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT"),
        "sso": make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50"),
        "sso_b": make_user("sso_b", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P57"),
        "confirmer": make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"),
    }


@pytest.fixture
def pending(client):
    response = client.post(REQUEST_URL, request_data())
    assert response.status_code == 302, response.content.decode()
    return AccessRequest.objects.get(username="wichai.s")


def test_anyone_can_request_access(client):
    assert client.get(REQUEST_URL).status_code == 200
    response = client.post(REQUEST_URL, request_data())
    assert response["Location"] == reverse("accounts:request_access_sent")
    item = AccessRequest.objects.get()
    assert item.status == "pending"
    assert item.password_hash and "Kaset-2569-plan" not in item.password_hash
    assert not User.objects.filter(username="wichai.s").exists()


def test_bad_request_keeps_what_was_typed_and_saves_nothing(client):
    response = client.post(
        REQUEST_URL, request_data(password2="other-pass-99", phone="12ab", role=Role.PROVINCE_USER)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="วิชัย"' in body
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in body
    assert "หมายเลขโทรศัพท์" in body
    assert "บทบาทนี้ไม่ตรงกับหน่วยงานที่เลือก" in body
    assert not AccessRequest.objects.exists()


def test_request_form_does_not_tell_whether_a_username_exists(client, make_user):
    make_user("wichai.s")
    taken = client.post(REQUEST_URL, request_data())
    free = client.post(REQUEST_URL, request_data(username="wichai.free"))
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"] == reverse("accounts:request_access_sent")
    assert AccessRequest.objects.filter(username="wichai.s").exists()


def test_reviewer_sees_a_taken_username_and_approves_with_another(client, make_user, reviewers, pending):
    make_user("wichai.s")  # someone took it after the request was sent
    client.force_login(reviewers["sso"])
    detail = reverse("accounts:access_request_detail", args=[pending.pk])
    page = client.get(detail).content.decode()
    assert "ชื่อผู้ใช้ wichai.s มีผู้ใช้อยู่แล้ว" in page
    assert 'name="username"' in page
    approve = reverse("accounts:access_request_approve", args=[pending.pk])
    refused = client.post(approve, follow=True).content.decode()
    assert "ชื่อผู้ใช้ wichai.s มีผู้ใช้อยู่แล้ว" in refused
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert "กรุณาใช้ตัวอักษรภาษาอังกฤษ" in client.post(approve, {"username": "ก ข"}, follow=True).content.decode()
    client.post(approve, {"username": "wichai.s2"})
    pending.refresh_from_db()
    assert pending.status == "approved"
    assert pending.user.username == "wichai.s2"
    assert pending.user.org_unit.code == "DLA-D5001"


def test_super_admin_role_cannot_be_requested(client):
    response = client.post(REQUEST_URL, request_data(role=Role.SUPER_ADMIN))
    assert response.status_code == 200
    assert not AccessRequest.objects.exists()


def test_province_sso_admin_approves_own_province_request(client, reviewers, pending):
    client.force_login(reviewers["sso"])
    assert pending.username in client.get(reverse("accounts:access_request_list")).content.decode()
    response = client.post(reverse("accounts:access_request_approve", args=[pending.pk]))
    assert response.status_code == 302
    user = User.objects.get(username="wichai.s")
    assert user.org_unit.code == "DLA-D5001"
    assert list(user.groups.values_list("name", flat=True)) == [Role.DISTRICT_RECORDER]
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.user) == ("approved", reviewers["sso"], user)
    # The applicant signs in with the password chosen in the request.
    client.logout()
    response = client.post(reverse("account_login"), {"login": "wichai.s", "password": "Kaset-2569-plan"})
    assert response.status_code == 302


def test_other_province_sso_admin_cannot_see_or_decide(client, reviewers, pending):
    client.force_login(reviewers["sso_b"])
    assert pending.username not in client.get(reverse("accounts:access_request_list")).content.decode()
    assert client.get(reverse("accounts:access_request_detail", args=[pending.pk])).status_code == 404
    assert client.post(reverse("accounts:access_request_approve", args=[pending.pk])).status_code == 404
    assert (
        client.post(reverse("accounts:access_request_reject", args=[pending.pk]), {"reason": "x"}).status_code
        == 404
    )
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize("name", ["confirmer"])
def test_roles_that_do_not_review_get_403(client, reviewers, pending, name):
    client.force_login(reviewers[name])
    assert client.get(reverse("accounts:access_request_list")).status_code == 403
    assert client.post(reverse("accounts:access_request_approve", args=[pending.pk])).status_code == 403
    assert not User.objects.filter(username="wichai.s").exists()


def test_sso_admin_cannot_decide_requests_for_roles_beyond_the_province(client, reviewers):
    client.post(
        REQUEST_URL,
        request_data(role=Role.PROVINCE_SSO_ADMIN, org_unit=OrgUnit.objects.get(code="DLA-P50").pk),
    )
    item = AccessRequest.objects.get()
    client.force_login(reviewers["sso"])
    assert client.post(reverse("accounts:access_request_approve", args=[item.pk])).status_code == 404
    client.force_login(reviewers["super"])
    client.post(reverse("accounts:access_request_approve", args=[item.pk]))
    assert User.objects.get(username="wichai.s").groups.get().name == Role.PROVINCE_SSO_ADMIN


def test_reject_needs_a_reason_and_records_it(client, reviewers, pending):
    client.force_login(reviewers["super"])
    client.post(reverse("accounts:access_request_reject", args=[pending.pk]), {"reason": ""})
    pending.refresh_from_db()
    assert pending.status == "pending"
    client.post(
        reverse("accounts:access_request_reject", args=[pending.pk]), {"reason": "ไม่ใช่เจ้าหน้าที่ของหน่วยงาน"}
    )
    pending.refresh_from_db()
    assert (pending.status, pending.decision_note) == ("rejected", "ไม่ใช่เจ้าหน้าที่ของหน่วยงาน")
    assert not User.objects.filter(username="wichai.s").exists()


def test_a_decided_request_cannot_be_decided_again(client, reviewers, pending):
    client.force_login(reviewers["super"])
    client.post(reverse("accounts:access_request_approve", args=[pending.pk]))
    response = client.post(reverse("accounts:access_request_approve", args=[pending.pk]), follow=True)
    assert "คำขอนี้ได้รับการพิจารณาแล้ว" in response.content.decode()
    assert User.objects.filter(username="wichai.s").count() == 1


def test_approve_is_post_only(client, reviewers, pending):
    client.force_login(reviewers["super"])
    assert client.get(reverse("accounts:access_request_approve", args=[pending.pk])).status_code == 405


def test_review_list_query_count_is_fixed(client, reviewers, django_assert_num_queries):
    for index in range(5):
        client.post(REQUEST_URL, request_data(username=f"person{index}"))
    client.force_login(reviewers["super"])
    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:access_request_list"))
    assert response.content.decode().count("person") >= 5


def test_sso_admin_directory_lists_a_provinces_admins(client, reviewers):
    reviewers["sso"].first_name, reviewers["sso"].phone = "สมศรี", "0899999999"
    reviewers["sso"].save()
    response = client.get(reverse("accounts:sso_admins"), {"province": "50"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "สมศรี" in body and "0899999999" in body
    assert "sso_b" not in body
    assert "กรุงเทพมหานคร" not in body  # Bangkok has no DLA provincial office


def test_unit_chooser_narrows_by_agency_and_province(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        body = client.get(
            reverse("accounts:unit_options"), {"agency": "dla", "province": "50"}
        ).content.decode()
    assert "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองเชียงใหม่" in body
    assert "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเชียงใหม่" in body
    assert "เชียงราย" not in body
    assert "สำนักงานการปฏิรูปที่ดินจังหวัดเชียงใหม่" not in body
    assert body.count("<option") == 1 + 1 + 25  # blank, provincial office, 25 district offices
