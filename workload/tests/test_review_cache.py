"""The province's review table is kept in the page cache under the version of all it shows: served
from there while nothing changed, never after a change, however the change was made."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts import access
from accounts.roles import Role
from workload import services
from workload.models import Answer, AnswerCheck, Submission
from workload.tests.conftest import complete, last_years_answer
from workload.tests.test_coverage import PROVINCE_REVIEW_QUERIES

pytestmark = pytest.mark.django_db

OWN = "DLA-D5001"


def review(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("workload:province", args=[2570, "50"]))
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def row(body, code=OWN):
    return re.search(rf'<tr data-row="{code}">(.*?)</tr>', body, re.S).group(1)


def flags(body, code=OWN) -> int:
    match = re.search(r"⚑ (\d+)</a>", row(body, code))
    return int(match.group(1)) if match else 0


def test_the_table_is_served_from_the_cache_while_nothing_changes(client, people, answered):
    client.force_login(people["confirmer"])
    first, cold = review(client)
    second, warm = review(client)
    assert warm == PROVINCE_REVIEW_QUERIES < cold
    assert row(second) == row(first)
    assert flags(second) == 1


def _check(answered, people, value=120):
    AnswerCheck.objects.create(
        submission=answered.submission, question=answered.question, measure="volume", value=value,
        note="โทรสอบถามแล้ว", checked_by=people["confirmer"],
    )  # fmt: skip


def _peers_at_120(answered, people):
    Answer.objects.filter(question=answered.question).exclude(pk=answered.pk).update(volume=120)


def _last_year_600(answered, people):
    last_years_answer(answered.submission.office, 600)


def _nothing(answered, people):
    pass


# (what is there before the table is cached, the change made as a script or the admin would, flags after)
CHANGES = {
    "its own answer": (_nothing, lambda a, p: Answer.objects.filter(pk=a.pk).update(volume=11), 0),
    "the other offices' answers": (_nothing, _peers_at_120, 0),
    "last year's answer": (_peers_at_120, _last_year_600, 1),
    "a check made": (_nothing, _check, 0),
    "a check deleted": (_check, lambda a, p: AnswerCheck.objects.all().delete(), 1),
    "a check's value changed in bulk": (_check, lambda a, p: AnswerCheck.objects.update(value=99), 1),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_shows_on_the_next_request(client, people, answered, change):
    before, make_change, flags_after = CHANGES[change]
    before(answered, people)
    client.force_login(people["confirmer"])
    review(client)
    assert review(client)[1] == PROVINCE_REVIEW_QUERIES  # cached
    make_change(answered, people)
    body, count = review(client)
    assert count > PROVINCE_REVIEW_QUERIES
    assert flags(body) == flags_after


def test_the_confirm_button_carries_the_version_of_the_data_now_after_a_bulk_update(
    client, people, submission
):
    complete(submission, people["recorder"])
    client.force_login(people["confirmer"])
    review(client)
    # A script changes the contact details: Django's auto_now does not run, the history trigger does.
    Submission.objects.filter(pk=submission.pk).update(contact_name="สมศรี ใจดี")
    body, _count = review(client)
    shown = re.search(r'name="version" value="([^"]*)"', row(body)).group(1)
    now = Submission.objects.select_related("questionnaire", "office").get(pk=submission.pk)
    assert shown == services.version_of(services.snapshot_of(now))
    confirm = reverse("workload:confirm", args=[2570, OWN])
    assert client.post(confirm, {"version": shown}).status_code == 302
    body, _count = review(client)
    assert "confirmed-badge" in row(body)


def test_reviewers_with_the_same_rows_share_the_table_each_with_their_own_rights(
    client, people, make_user, submission
):
    complete(submission, people["recorder"])
    client.force_login(people["confirmer"])
    review(client)
    client.force_login(make_user("confirmer2", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"))
    body, count = review(client)
    assert count == PROVINCE_REVIEW_QUERIES
    assert 'name="version"' in row(body)
    client.force_login(people["dla_admin"])  # reads every province, confirms none
    body, _count = review(client)
    assert 'name="version"' not in body


def test_someone_with_per_object_grants_is_not_given_the_shared_table(
    client, people, make_user, questionnaire, answered
):
    """Their rows are their own: the review is made for them (scope_key None), not read from the cache."""
    second = make_user("confirmer2", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50")
    shared = access.scope_key(people["confirmer"], "workload.submission")
    assert shared is not None and shared == access.scope_key(second, "workload.submission")
    assert shared != access.scope_key(people["confirmer_b"], "workload.submission")
    other = Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5701")
    assign_perm("workload.view_submission", second, other)
    second = type(second).objects.get(pk=second.pk)  # the user's facts are read once per request
    assert access.scope_key(second, "workload.submission") is None
    client.force_login(people["confirmer"])
    shared_body, _count = review(client)  # the shared table, in the cache now
    client.force_login(second)
    first, cold = review(client)
    again, count = review(client)
    assert count == cold > PROVINCE_REVIEW_QUERIES  # made for them each time
    assert row(first) == row(again) == row(shared_body)
