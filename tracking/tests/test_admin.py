"""The Django admin as the project's own: Thai names, พ.ศ. dates, bounded queries, who may use it,
and the DLA admin's reopening of confirmed submissions. The world is the demo data."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from workload.models import Reopening, Submission

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture(scope="module")
def demo(demo_rows, django_db_blocker, tmp_path_factory):
    """The demo data, put back once for the module and rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        demo_rows.loaded(tmp_path_factory.mktemp("media")),
    ):
        yield
        transaction.set_rollback(True)


def signed_in(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_changelist_renders_thai_names_with_bounded_queries(demo, model, django_assert_max_num_queries):
    client = signed_in("super_admin")
    with django_assert_max_num_queries(14):
        response = client.get(changelist(model))
    assert response.status_code == 200
    html = response.content.decode()
    assert "object (" not in html, "a row or filter without a meaningful __str__"
    assert "การจัดการ Django" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_change_page_renders_with_dates_in_buddhist_era(demo, model):
    first = model._default_manager.order_by("pk").first()
    if first is None:
        pytest.skip("no row of this model in the demo data")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[first.pk])
    response = signed_in("super_admin").get(url)
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    assert not re.search(r"\b20[0-9]{2}\b", text), "a Christian year on the page"


@pytest.mark.django_db
def test_admin_index_names_the_system_in_thai(demo):
    html = signed_in("super_admin").get(reverse("admin:index")).content.decode()
    assert "ผู้ดูแลระบบ · ระบบติดตามผลการดำเนินงานและปริมาณงาน" in html
    assert "<title>จัดการข้อมูลระบบ | ผู้ดูแลระบบ</title>" in html
    assert "Django" not in re.sub(r"<[^>]+>", "", html.split("<body", 1)[1]).replace("Django admin", "")
    for name in ["โครงการ", "กิจกรรม", "ผลการปฏิบัติงาน", "ข่าว", "ข้อมูล สถอ.", "ประวัติการแก้ไข"]:
        assert name in html, name


@pytest.mark.django_db
def test_dates_in_admin_lists_are_buddhist_era(demo):
    client = signed_in("super_admin")
    html = client.get(changelist(Submission) + "?confirmed=yes").content.decode()
    confirmed = Submission.objects.filter(confirmed_at__isnull=False).first()
    year = confirmed.confirmed_at.year + 543
    assert re.search(rf"\d+ [ก-๙.]+ {year} \d\d\.\d\d น\.", html)
    questionnaires = client.get(reverse("admin:workload_questionnaire_changelist")).content.decode()
    assert "1 พ.ย. 2569" in questionnaires  # FY 2570 opens on 1 November 2026
    assert "2026" not in re.sub(r"<[^>]+>", "", questionnaires)


@pytest.mark.django_db
def test_confirmed_submission_page_shows_lock_digest_and_record_link_not_raw_json(demo):
    submission = Submission.objects.filter(confirmed_at__isnull=False).select_related("office").first()
    html = (
        signed_in("dla_admin")
        .get(reverse("admin:workload_submission_change", args=[submission.pk]))
        .content.decode()
    )
    assert "ยืนยันแล้ว ล็อกข้อมูล" in html
    assert submission.digest in html
    record = reverse(
        "workload:record", kwargs={"fy": submission.questionnaire.fiscal_year, "code": submission.office.code}
    )
    assert f'href="{record}"' in html
    assert '<pre class="snapshot">{\n' in html


def reopen(client, submission, **data):
    return client.post(
        changelist(Submission),
        {"action": "reopen_selected", ACTION_CHECKBOX_NAME: [submission.pk], "post": "yes", **data},
    )


@pytest.mark.django_db
def test_dla_admin_reopens_a_confirmed_submission_with_a_reason(demo):
    submission = Submission.objects.filter(confirmed_at__isnull=False).first()
    client = signed_in("dla_admin")
    asked = client.post(
        changelist(Submission), {"action": "reopen_selected", ACTION_CHECKBOX_NAME: [submission.pk]}
    )
    assert asked.status_code == 200
    assert "เหตุผลที่เปิดให้แก้ไข" in asked.content.decode()
    response = reopen(client, submission, reason="แก้ไขจำนวนเรื่องร้องเรียน")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.confirmed_at is None
    assert submission.reopen_reason == "แก้ไขจำนวนเรื่องร้องเรียน"
    assert Reopening.objects.filter(submission=submission, reason="แก้ไขจำนวนเรื่องร้องเรียน").exists()


@pytest.mark.django_db
def test_reopening_without_a_reason_is_refused_and_asks_again(demo):
    submission = Submission.objects.filter(confirmed_at__isnull=False).first()
    response = reopen(signed_in("dla_admin"), submission, reason="   ")
    assert response.status_code == 200
    assert "กรุณาระบุเหตุผลที่เปิดให้แก้ไข" in response.content.decode()
    submission.refresh_from_db()
    assert submission.confirmed_at is not None


@pytest.mark.django_db
def test_only_a_dla_admin_is_offered_and_may_use_the_reopen_action(demo):
    submission = Submission.objects.filter(confirmed_at__isnull=False).first()
    client = signed_in("super_admin")
    assert "reopen_selected" not in client.get(changelist(Submission)).content.decode()
    reopen(client, submission, reason="ลองเปิด")
    submission.refresh_from_db()
    assert submission.confirmed_at is not None
    assert "reopen_selected" in signed_in("dla_admin").get(changelist(Submission)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "shown"),
    [("super_admin", True), ("dla_admin", True), ("province_confirmer", False), ("admin_all", False)],
)
def test_menu_links_to_the_admin_only_for_those_who_may_use_it(demo, username, shown):
    html = signed_in(username).get(reverse("home")).content.decode()
    assert (f'href="{reverse("admin:index")}"' in html) is shown


@pytest.mark.django_db
def test_staff_status_without_an_admin_role_opens_nothing(demo):
    user = User.objects.get(username="admin_all")
    user.is_staff = True
    user.save()
    client = signed_in("admin_all")
    assert f'href="{reverse("admin:index")}"' not in client.get(reverse("home")).content.decode()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 403


@pytest.mark.django_db
def test_dla_admin_sees_submissions_but_not_projects_or_users(demo):
    client = signed_in("dla_admin")
    assert client.get(changelist(Submission)).status_code == 200
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


@pytest.mark.django_db
def test_dla_admin_reopens_from_the_submission_page_giving_a_reason(demo):
    submission = Submission.objects.filter(confirmed_at__isnull=False).first()
    change = reverse("admin:workload_submission_change", args=[submission.pk])
    url = reverse("admin:workload_submission_reopen", args=[submission.pk])
    client = signed_in("dla_admin")
    assert f'href="{url}"' in client.get(change).content.decode()
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "กรุณาระบุเหตุผลที่เปิดให้แก้ไข" in refused.content.decode()
    response = client.post(url, {"reason": "จังหวัดขอแก้ไขด้านที่ 3"})
    assert response.status_code == 302
    assert response["Location"] == change
    submission.refresh_from_db()
    assert submission.confirmed_at is None
    assert submission.reopen_reason == "จังหวัดขอแก้ไขด้านที่ 3"


@pytest.mark.django_db
def test_others_get_no_reopen_link_and_the_reopen_page_refuses_them(demo):
    submission = Submission.objects.filter(confirmed_at__isnull=False).first()
    url = reverse("admin:workload_submission_reopen", args=[submission.pk])
    client = signed_in("super_admin")
    change = client.get(reverse("admin:workload_submission_change", args=[submission.pk])).content.decode()
    assert f'href="{url}"' not in change
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "ลองเปิด"}).status_code == 403
    submission.refresh_from_db()
    assert submission.confirmed_at is not None


@pytest.mark.django_db
def test_object_history_times_are_buddhist_era(demo):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from accounts.models import OrgUnit

    unit = OrgUnit.objects.get(code="DLA-P50")
    LogEntry.objects.create(
        user=User.objects.get(username="super_admin"),
        content_type=ContentType.objects.get_for_model(OrgUnit),
        object_id=str(unit.pk),
        object_repr=str(unit),
        action_flag=CHANGE,
        change_message="แก้ไขชื่อย่อ",
    )
    html = (
        signed_in("super_admin")
        .get(reverse("admin:accounts_orgunit_history", args=[unit.pk]))
        .content.decode()
    )
    year = timezone.localdate().year
    assert re.search(rf"\d+ [ก-๙.]+ {year + 543} \d\d\.\d\d น\.", html)
    assert str(year) not in re.sub(r"<[^>]+>", "", html)


@pytest.mark.django_db
def test_admin_date_inputs_show_and_take_the_buddhist_era(demo):
    """The date inputs show d/m/พ.ศ. and carry the calendar that writes it; the form sent back as it
    was shown saves and keeps the dates (a C.E. year there was refused by the Thai date field)."""
    from workload.models import Questionnaire

    questionnaire = Questionnaire.objects.order_by("fiscal_year").first()
    url = reverse("admin:workload_questionnaire_change", args=[questionnaire.pk])
    client = signed_in("super_admin")
    html = client.get(url).content.decode()
    opens, closes = questionnaire.opens_on, questionnaire.closes_on
    inputs = dict(re.findall(r'<input type="text" name="(\w+)" value="([^"]*)"', html))
    assert inputs["opens_on"] == f"{opens.day}/{opens.month}/{opens.year + 543}"
    assert inputs["closes_on"] == f"{closes.day}/{closes.month}/{closes.year + 543}"
    assert re.search(r'<input type="text" name="opens_on"[^>]*data-buddhist-era', html)
    assert "js/admin-thai-dates.js" in html

    data = {**inputs, "_save": "1"}
    if re.search(r'name="is_sample"[^>]*checked', html):
        data["is_sample"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode()
    )
    questionnaire.refresh_from_db()
    assert (questionnaire.opens_on, questionnaire.closes_on) == (opens, closes)


def test_every_text_of_the_admins_scripts_is_thai():
    """Django's Thai catalogue of the admin's scripts lacks some texts (short month and day names,
    the permission selector's, the list actions'); locale/th/LC_MESSAGES/djangojs.po adds them."""
    from pathlib import Path

    import django
    from babel.messages.pofile import read_po
    from django.utils import translation
    from django.views.i18n import JavaScriptCatalog

    english = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
    with english.open("rb") as file:
        texts = [message for message in read_po(file) if message.id]
    view = JavaScriptCatalog(packages=["django.contrib.admin"], domain="djangojs")
    with translation.override("th"):
        view.translation = translation.trans_real.DjangoTranslation(
            "th", domain="djangojs", localedirs=view.get_paths(view.packages)
        )
        catalog = view.get_catalog()
    missing = []
    for message in texts:
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        key = f"{message.context}\x04{msgid}" if message.context else msgid
        thai = catalog.get(key)
        thai = thai[0] if isinstance(thai, list) else thai
        if not thai or not re.search("[ก-๙]", thai):
            missing.append(key.replace("\x04", " | "))
    assert missing == []
