"""Outlier flags in the province's review of district answers, and marking them checked."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workload.models import Answer, AnswerCheck, Question, Submission
from workload.tests.conftest import last_years_answer

pytestmark = pytest.mark.django_db


def url(name, code="DLA-D5001"):
    return reverse(f"workload:{name}", args=[2570, code])


def check_post(answer, **overrides):
    subject = f"{answer.question_id}:volume"
    return {"subject": subject, "seen": str(answer.volume), "note": "โทรสอบถามแล้ว", **overrides}


def test_confirmer_sees_the_flag_with_its_reason_in_thai(client, people, answered):
    client.force_login(people["confirmer"])
    body = client.get(url("status")).content.decode()
    assert "สูงกว่าค่ากลางของอำเภออื่น 10.9 เท่า" in body  # 120 / 11, the median of all eleven
    assert f'name="subject" value="{answered.question_id}:volume"' in body
    aspect = client.get(reverse("workload:aspect", args=[2570, "DLA-D5001", 1])).content.decode()
    assert "สูงกว่าค่ากลางของอำเภออื่น 10.9 เท่า" in aspect


def test_province_review_counts_unchecked_flags_per_office(client, people, answered):
    client.force_login(people["confirmer"])
    body = client.get(reverse("workload:province", args=[2570, "50"])).content.decode()
    assert body.count("⚑ 1</a>") == 1
    assert url("status") + "#flags" in body


def test_a_value_near_its_peers_is_not_flagged(client, people, questionnaire, answered):
    Answer.objects.filter(pk=answered.pk).update(volume=11)
    client.force_login(people["confirmer"])
    body = client.get(url("status")).content.decode()
    assert "ค่ากลางของอำเภออื่น" not in body
    assert "ไม่มีคำตอบที่ต่างจากอำเภออื่นหรือจากปีที่แล้วมาก" in body


def test_the_recorder_is_not_shown_the_review(client, people, answered):
    client.force_login(people["recorder"])
    assert "ค่ากลางของอำเภออื่น" not in client.get(url("status")).content.decode()


def test_the_flag_does_not_block_confirmation(client, people, questionnaire, answered):
    from workload.tests.conftest import complete

    submission = complete(answered.submission, people["recorder"])
    Answer.objects.filter(pk=answered.pk).update(volume=120)
    client.force_login(people["confirmer"])
    page = client.get(url("status")).content.decode()
    assert "สูงกว่าค่ากลางของอำเภออื่น" in page
    import re

    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    client.post(url("confirm"), {"version": version})
    submission.refresh_from_db()
    assert submission.confirmed_at is not None


def test_last_years_answer_flags_a_drop(client, people, questionnaire, answered):
    last_years_answer(answered.submission.office, 600)
    client.force_login(people["confirmer"])
    body = client.get(url("status")).content.decode()
    assert "ต่ำกว่าปีที่แล้ว 80%" in body


def test_confirmer_marks_a_flag_checked_and_it_returns_when_the_value_changes(client, people, answered):
    client.force_login(people["confirmer"])
    response = client.post(url("answer_check"), check_post(answered))
    assert response.status_code == 302
    check = AnswerCheck.objects.get()
    assert (check.checked_by, check.value, check.note) == (people["confirmer"], 120, "โทรสอบถามแล้ว")
    body = client.get(url("status")).content.decode()
    assert "✔" in body and 'name="subject"' not in body
    province = client.get(reverse("workload:province", args=[2570, "50"])).content.decode()
    assert "⚑ 1</a>" not in province

    Answer.objects.filter(pk=answered.pk).update(volume=150)  # the district changes its answer
    body = client.get(url("status")).content.decode()
    assert 'name="subject"' in body
    assert "เคยตรวจสอบเมื่อค่ายังเป็น" in body
    province = client.get(reverse("workload:province", args=[2570, "50"])).content.decode()
    assert "⚑ 1</a>" in province


def test_a_check_at_a_value_that_changed_meanwhile_is_refused(client, people, answered):
    client.force_login(people["confirmer"])
    response = client.post(url("answer_check"), check_post(answered, seen="90"), follow=True)
    assert "ค่านี้เปลี่ยนไปหลังจากเปิดหน้านี้" in response.content.decode()
    assert not AnswerCheck.objects.exists()


def test_a_check_without_a_note_is_refused(client, people, answered):
    client.force_login(people["confirmer"])
    response = client.post(url("answer_check"), check_post(answered, note=""), follow=True)
    assert response.status_code == 200
    assert not AnswerCheck.objects.exists()


def test_a_check_of_an_answer_that_is_not_flagged_is_refused(client, people, questionnaire, answered):
    peer = Answer.objects.filter(question=answered.question).exclude(pk=answered.pk).first()
    client.force_login(people["confirmer"])
    client.post(url("answer_check", peer.submission.office.code), check_post(peer))
    assert not AnswerCheck.objects.exists()


@pytest.mark.parametrize("subject", ["", "abc", "12:salary", "999999:volume"])
def test_a_check_of_something_else_is_refused(client, people, answered, subject):
    client.force_login(people["confirmer"])
    client.post(url("answer_check"), check_post(answered, subject=subject))
    assert not AnswerCheck.objects.exists()


def test_another_provinces_confirmer_gets_404(client, people, answered):
    client.force_login(people["confirmer_b"])
    assert client.post(url("answer_check"), check_post(answered)).status_code == 404
    assert not AnswerCheck.objects.exists()


@pytest.mark.parametrize("persona", ["dla_admin", "recorder"])
def test_who_sees_the_office_but_does_not_review_it_gets_403(client, people, answered, persona):
    client.force_login(people[persona])
    assert client.post(url("answer_check"), check_post(answered)).status_code == 403
    assert not AnswerCheck.objects.exists()


def test_dla_admin_sees_the_flags_without_the_check_form(client, people, answered):
    client.force_login(people["dla_admin"])
    body = client.get(url("status")).content.decode()
    assert "สูงกว่าค่ากลางของอำเภออื่น" in body and 'name="subject"' not in body


def test_anonymous_is_sent_to_login_and_get_is_refused(client, people, answered):
    response = client.post(url("answer_check"), check_post(answered))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(people["confirmer"])
    assert client.get(url("answer_check")).status_code == 405


def _count(client, page):
    caches["pages"].clear()  # the peers' statistics are computed, not read from the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(page).status_code == 200
    return len(ctx.captured_queries)


def test_flagged_pages_keep_a_fixed_number_of_queries(client, people, questionnaire, answered):
    client.force_login(people["confirmer"])
    pages = [url("status"), reverse("workload:aspect", args=[2570, "DLA-D5001", 1])]
    pages.append(reverse("workload:province", args=[2570, "50"]))
    before = [_count(client, page) for page in pages]
    # more peers, more questions answered, a check and last year's answers: the same queries
    question = Question.objects.get(aspect__questionnaire=questionnaire, aspect__number=1, order=2)
    Answer.objects.bulk_create(
        Answer(submission=s, question=question, volume=5, days=1, hours=1)
        for s in Submission.objects.filter(questionnaire=questionnaire)
    )
    AnswerCheck.objects.create(
        submission=answered.submission, question=answered.question, measure="volume", value=120,
        note="ok", checked_by=people["confirmer"],
    )  # fmt: skip
    assert [_count(client, page) for page in pages] == before


def test_peer_statistics_are_cached_until_an_answer_changes(client, people, questionnaire, answered):
    client.force_login(people["confirmer"])
    page = url("status")
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as first:
        client.get(page)
    with CaptureQueriesContext(connection) as second:
        body = client.get(page).content.decode()
    assert len(second.captured_queries) == len(first.captured_queries) - 2
    assert "10.9 เท่า" in body
    # a peer doubles its answer: a new version of the year's figures, the statistics recomputed
    Answer.objects.filter(question=answered.question, volume=9).update(volume=18)
    Answer.objects.filter(question=answered.question, volume=10).update(volume=20)
    assert "10.9 เท่า" not in client.get(page).content.decode()
