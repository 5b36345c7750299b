"""The confirmer confirms what they saw, and the confirmation record keeps its meaning."""

import re

import pgtrigger
import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts.models import District, OrgUnit
from workload import services
from workload.models import Answer, ExtraItem, Question, Submission
from workload.tests.conftest import CONTACT, complete

pytestmark = pytest.mark.django_db

UNCHANGED = "ข้อมูลไม่มีการเปลี่ยนแปลง"
DIFFERS = "ข้อมูลปัจจุบันไม่ตรงกับข้อมูลที่ยืนยัน"
CHANGED_MEANWHILE = "บันทึกแก้ไขข้อมูลหลังจากที่ท่านเปิดหน้านี้"


def office_url(name, code="DLA-D5001"):
    return reverse(f"workload:{name}", args=[2570, code])


def province_url(name="province"):
    return reverse(f"workload:{name}", args=[2570, "50"])


def version_in(response) -> str:
    return re.search(r'name="version" value="([^"]*)"', response.content.decode()).group(1)


def seen_in(response) -> dict:
    return dict(re.findall(r'name="(seen_\d+)" value="([^"]*)"', response.content.decode()))


def bypassing_triggers(sql, params):
    """What only the tables' owner could do (never the site's role): write with the locks set aside."""
    locks = ("workload.Submission:submission_lock", "workload.Answer:answer_lock")
    with pgtrigger.ignore(*locks), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def save_aspect(submission, by, number, volume):
    aspect = submission.questionnaire.aspects.get(number=number)
    rows = {q.pk: (volume, 1, 2) for q in aspect.questions.all()}
    services.aspect_save(submission=submission, aspect=aspect, by=by, rows=rows)


@pytest.fixture
def confirmed(submission, people):
    complete(submission, people["recorder"])
    return services.submission_confirm(submission=submission, by=people["confirmer"])


# --- the record --------------------------------------------------------------------------------


def test_renaming_and_rewording_after_confirmation_keep_the_record_verified(client, confirmed, people):
    OrgUnit.objects.filter(pk=confirmed.office_id).update(name_th="สถอ.ชื่อใหม่")
    District.objects.filter(code="5001").update(name_th="อำเภอชื่อใหม่")
    question = Question.objects.get(aspect__questionnaire=confirmed.questionnaire, aspect__number=2, order=1)
    services.question_correct(question=question, by=people["dla_admin"], text="ถ้อยคำแก้ไข", unit="ราย")
    check = services.record_check(Submission.objects.get(pk=confirmed.pk))
    assert check.matches, check.changed
    client.force_login(people["confirmer"])
    body = client.get(office_url("record")).content.decode()
    assert UNCHANGED in body
    # The record reads as it was confirmed.
    assert confirmed.snapshot["office_name"] in body and "สถอ.ชื่อใหม่" not in body
    assert "งาน 2.1" in body and "ถ้อยคำแก้ไข" not in body
    assert "เมืองเชียงใหม่" in body and "อำเภอชื่อใหม่" not in body


def test_a_number_changed_behind_the_lock_shows_on_the_record(client, confirmed, people):
    answer = Answer.objects.filter(submission=confirmed, question__aspect__number=3).first()
    bypassing_triggers("UPDATE workload_answer SET volume = volume + 1 WHERE id = %s", [answer.pk])
    check = services.record_check(confirmed)
    assert not check.matches and check.sealed and check.changed == ["ด้านที่ 3"]
    client.force_login(people["confirmer"])
    body = client.get(office_url("record")).content.decode()
    assert DIFFERS in body and "ด้านที่ 3" in body


def test_a_snapshot_edited_behind_the_lock_no_longer_matches_its_digest(confirmed):
    bypassing_triggers(
        "UPDATE workload_submission SET snapshot = jsonb_set(snapshot, '{office_name}', '\"อื่น\"')"
        " WHERE id = %s",
        [confirmed.pk],
    )
    check = services.record_check(Submission.objects.get(pk=confirmed.pk))
    assert not check.sealed and not check.matches


def test_a_record_made_before_the_texts_were_kept_still_verifies(confirmed):
    """Snapshots stored before this change have no question ids, aspect titles or district names."""
    old = dict(confirmed.snapshot)
    del old["district_names"]
    old["answers"] = [
        {k: v for k, v in a.items() if k not in ("question_id", "aspect_title")} for a in old["answers"]
    ]
    import json

    bypassing_triggers(
        "UPDATE workload_submission SET snapshot = %s, digest = %s WHERE id = %s",
        [json.dumps(old), services.digest_of(old), confirmed.pk],
    )
    OrgUnit.objects.filter(pk=confirmed.office_id).update(name_th="สถอ.ชื่อใหม่")
    stored = Submission.objects.get(pk=confirmed.pk)
    assert services.record_check(stored).matches
    bypassing_triggers(
        "UPDATE workload_answer SET hours = hours + 1 WHERE submission_id = %s", [confirmed.pk]
    )
    assert not services.record_check(stored).matches


# --- the version the confirmer saw -----------------------------------------------------------


@pytest.mark.parametrize(
    "save, part",
    [
        (lambda s, by: save_aspect(s, by, 2, 9), "ด้านที่ 2"),
        (
            lambda s, by: services.contact_save(
                submission=s, by=by, fields={**CONTACT, "contact_mobile": "0899999999"},
                districts=[District.objects.get(code="5001")],
            ),
            "ข้อมูลติดต่อ",
        ),
        (
            lambda s, by: services.contact_save(
                submission=s, by=by, fields=dict(CONTACT),
                districts=list(District.objects.filter(code__in=["5001", "5002"])),
            ),
            "อำเภอที่รับผิดชอบ",
        ),
        (
            lambda s, by: services.extra_item_save(
                submission=s, by=by, item=None,
                fields={"description": "งานพิเศษ", "unit": "ครั้ง", "volume": 1, "days": 1, "hours": 0},
            ),
            "ข้อมูลเฉพาะ สถอ.",
        ),
    ],
)  # fmt: skip
def test_a_save_after_the_page_was_opened_stops_the_confirmation(client, submission, people, save, part):
    complete(submission, people["recorder"])
    client.force_login(people["confirmer"])
    version = version_in(client.get(office_url("status")))
    save(submission, people["recorder"])
    response = client.post(office_url("confirm"), {"version": version}, follow=True)
    body = response.content.decode()
    assert CHANGED_MEANWHILE in body and part in body
    submission.refresh_from_db()
    assert submission.confirmed_at is None
    # The page now shows the new state, with its version: confirming it goes through.
    response = client.post(office_url("confirm"), {"version": version_in(response)})
    submission.refresh_from_db()
    assert submission.confirmed_at is not None and services.record_check(submission).matches


def test_without_a_save_the_confirmation_goes_through(client, submission, people):
    complete(submission, people["recorder"])
    client.force_login(people["confirmer"])
    version = version_in(client.get(province_url()))
    client.post(office_url("confirm"), {"version": version, "next": province_url()})
    submission.refresh_from_db()
    assert submission.confirmed_by == people["confirmer"]


def test_a_confirmation_without_the_version_is_refused(client, submission, people):
    complete(submission, people["recorder"])
    client.force_login(people["confirmer"])
    response = client.post(office_url("confirm"), follow=True)
    assert "หน้าที่ใช้ยืนยันไม่เป็นปัจจุบัน" in response.content.decode()
    submission.refresh_from_db()
    assert submission.confirmed_at is None


def test_a_question_corrected_after_the_page_was_opened_stops_the_confirmation(submission, people):
    complete(submission, people["recorder"])
    version = services.version_of(services.snapshot_of(submission))
    question = Question.objects.get(aspect__questionnaire=submission.questionnaire, aspect__number=4, order=2)
    services.question_correct(question=question, by=people["dla_admin"], text="ถ้อยคำใหม่", unit="ครั้ง")
    with pytest.raises(services.ChangedSinceSeen) as refused:
        services.submission_confirm(submission=submission, by=people["confirmer"], seen=version)
    assert refused.value.changed == ["ด้านที่ 4"]


def test_the_confirm_button_goes_only_to_confirmers(client, submission, people):
    complete(submission, people["recorder"])
    client.force_login(people["dla_admin"])
    assert 'name="version"' not in client.get(office_url("status")).content.decode()
    assert 'name="seen_' not in client.get(province_url()).content.decode()


# --- confirm all complete ------------------------------------------------------------------------


@pytest.fixture
def three_complete(questionnaire, people, make_user):
    """DLA-D5001, DLA-D5002 and DLA-D5003 complete."""
    from accounts.roles import Role

    result = []
    for code in ("DLA-D5001", "DLA-D5002", "DLA-D5003"):
        recorder = make_user(f"rec-{code}", roles=[Role.DISTRICT_RECORDER], unit=code)
        submission = Submission.objects.get(questionnaire=questionnaire, office__code=code)
        result.append((complete(submission, recorder), recorder))
    return result


def test_confirm_all_confirms_each_district_against_what_was_seen(client, people, three_complete):
    (first, _), (changed, changed_by), (meanwhile, _) = three_complete
    client.force_login(people["confirmer"])
    seen = seen_in(client.get(province_url()))
    assert len(seen) == 3
    save_aspect(changed, changed_by, 5, 11)  # the district saves after the page was read
    services.submission_confirm(submission=meanwhile, by=people["confirmer"])  # another tab
    response = client.post(province_url("confirm_complete"), seen, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    confirmed = set(
        Submission.objects.filter(confirmed_at__isnull=False).values_list("office__code", flat=True)
    )
    assert confirmed == {"DLA-D5001", "DLA-D5003"}
    assert "ยืนยันข้อมูลแล้ว 1 สถอ." in body and first.office.short_name in body
    assert f"{changed.office.short_name} ยังไม่ได้ยืนยัน" in body and "ด้านที่ 5" in body
    assert f"{meanwhile.office.short_name} ยังไม่ได้ยืนยัน" in body
    assert services.record_check(Submission.objects.get(pk=first.pk)).matches


def test_confirm_all_reports_a_database_refusal_and_keeps_the_others(
    people, questionnaire, three_complete, monkeypatch
):
    (first, _), (failing, _), (third, _) = three_complete
    seen = {s.pk: services.version_of(services.snapshot_of(s)) for s in (first, failing, third)}
    confirm = services.submission_confirm

    def confirm_or_fail(*, submission, by, seen):
        if submission.pk == failing.pk:
            with transaction.atomic():
                confirm(submission=submission, by=by, seen=seen)
                raise IntegrityError("a constraint")
        return confirm(submission=submission, by=by, seen=seen)

    monkeypatch.setattr(services, "submission_confirm", confirm_or_fail)
    result = services.submissions_confirm_all(
        questionnaire=questionnaire, province=first.office.province, by=people["confirmer"], seen=seen
    )
    assert {s.pk for s in result.confirmed} == {first.pk, third.pk}
    assert [(s.pk, reasons) for s, reasons in result.refused] == [
        (failing.pk, ["ไม่สามารถยืนยันได้ในขณะนี้ กรุณาลองอีกครั้ง"])
    ]
    assert Submission.objects.get(pk=failing.pk).confirmed_at is None  # all or nothing for it


def test_confirm_all_ignores_districts_of_another_province(people, questionnaire, three_complete):
    other = Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5701")
    (first, _), *_rest = three_complete
    result = services.submissions_confirm_all(
        questionnaire=questionnaire,
        province=first.office.province,
        by=people["confirmer"],
        seen={other.pk: services.version_of(services.snapshot_of(other))},
    )
    assert result.confirmed == [] and result.refused == []
    assert not Submission.objects.filter(confirmed_at__isnull=False).exists()


def test_confirm_all_with_nothing_seen_says_so(client, people, questionnaire):
    client.force_login(people["confirmer"])
    response = client.post(province_url("confirm_complete"), follow=True)
    assert response.status_code == 200 and "ไม่มี สถอ. ที่ได้รับการยืนยัน" in response.content.decode()


def test_province_page_versions_cost_a_fixed_number_of_queries(client, people, three_complete):
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["confirmer"])
    with CaptureQueriesContext(connection) as before:
        client.get(province_url())
    ExtraItem.objects.create(
        submission=three_complete[0][0], description="งาน", unit="ครั้ง", volume=1, days=1, hours=0
    )
    with CaptureQueriesContext(connection) as after:
        client.get(province_url())
    assert len(before.captured_queries) == len(after.captured_queries)


# --- on the demo data, as `make run` serves it -------------------------------------------------------


@pytest.fixture
def demo(db, demo_rows, tmp_path):
    with demo_rows.loaded(tmp_path):
        yield


def test_on_the_demo_a_rewording_and_a_renaming_after_confirmation_keep_the_records_verified(client, demo):
    from accounts.models import User

    confirmed = Submission.objects.filter(questionnaire__fiscal_year=2569, confirmed_at__isnull=False).first()
    record = reverse("workload:record", args=[2569, confirmed.office.code])
    client.force_login(User.objects.get(username="dla_admin"))
    assert UNCHANGED in client.get(record).content.decode()
    # The DLA admin rewords the first question of aspect 1 on the questionnaire's page.
    url = reverse("workload:questionnaire_aspect", args=[2569, 1])
    from tracking.tests.badinput import form_data

    page = client.get(url)
    data = {**form_data(page.context["form"]), **form_data(page.context["formset"])}
    data["questions-0-text"] = "ถ้อยคำที่แก้ไขแล้ว"
    assert client.post(url, data).status_code == 302
    OrgUnit.objects.filter(pk=confirmed.office_id).update(name_th="ชื่อสำนักงานใหม่")
    body = client.get(record).content.decode()
    assert UNCHANGED in body and "ถ้อยคำที่แก้ไขแล้ว" not in body
    # The province confirms all complete districts of 2570 against what its page showed.
    client.force_login(User.objects.get(username="province_confirmer"))
    province = reverse("workload:province", args=[2570, "50"])
    seen = seen_in(client.get(province))
    assert seen
    response = client.post(reverse("workload:confirm_complete", args=[2570, "50"]), seen, follow=True)
    assert response.status_code == 200 and "ยืนยันข้อมูลแล้ว" in response.content.decode()
    done = Submission.objects.filter(pk__in=[int(k.removeprefix("seen_")) for k in seen])
    assert all(s.confirmed_at and services.record_check(s).matches for s in done)
