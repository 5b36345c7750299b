"""Two recorders of one district office saving the same aspect: the second is told, nothing is lost."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from workload.models import Answer
from workload.tests.conftest import aspect_post

pytestmark = pytest.mark.django_db

EDITED_MEANWHILE = "มีผู้อื่นบันทึก"


def stamp_in(page: str) -> str:
    return re.search(r'name="edit_stamp" value="([0-9a-f]+)"', page).group(1)


def test_the_second_of_two_recorders_is_stopped_then_may_replace_knowingly(
    client, questionnaire, submission, people, make_user
):
    colleague = make_user("recorder_2", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001")
    url = reverse("workload:aspect", args=[2570, "DLA-D5001", 1])
    client.force_login(people["recorder"])
    mine = stamp_in(client.get(url).content.decode())

    other = type(client)()
    other.force_login(colleague)
    theirs = stamp_in(other.get(url).content.decode())
    assert mine == theirs  # both opened the same (empty) aspect
    assert other.post(url, aspect_post(questionnaire, 1, volume="12", edit_stamp=theirs)).status_code == 302

    response = client.post(url, aspect_post(questionnaire, 1, volume="30", edit_stamp=mine))
    page = response.content.decode()
    assert response.status_code == 200 and EDITED_MEANWHILE in page
    assert 'value="30"' in page
    assert set(Answer.objects.filter(submission=submission).values_list("volume", flat=True)) == {12}

    response = client.post(url, aspect_post(questionnaire, 1, volume="30", edit_stamp=stamp_in(page)))
    assert response.status_code == 302
    assert set(Answer.objects.filter(submission=submission).values_list("volume", flat=True)) == {30}


def test_saving_the_same_aspect_twice_in_a_row_needs_no_reload(client, questionnaire, submission, people):
    url = reverse("workload:aspect", args=[2570, "DLA-D5001", 1])
    client.force_login(people["recorder"])
    for volume in ("5", "6"):
        stamp = stamp_in(client.get(url).content.decode())
        assert (
            client.post(url, aspect_post(questionnaire, 1, volume=volume, edit_stamp=stamp)).status_code
            == 302
        )
    assert set(Answer.objects.filter(submission=submission).values_list("volume", flat=True)) == {6}
