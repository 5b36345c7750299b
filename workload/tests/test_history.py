"""A district office's record has a change history: who typed which answer, for those who see it."""

import pytest
from django.urls import reverse

from workload.tests.conftest import aspect_post

pytestmark = pytest.mark.django_db


def test_history_names_the_question_of_each_changed_answer(client, people, questionnaire, submission):
    client.force_login(people["recorder"])
    url = reverse("workload:aspect", args=[2570, "DLA-D5001", 1])
    assert client.post(url, aspect_post(questionnaire, 1, volume="3")).status_code == 302
    history = reverse("workload:history", args=[2570, "DLA-D5001"])
    page = client.get(history).content.decode()
    assert "ประวัติการแก้ไข" in page and "งาน 1.1" in page and "งาน 1.2" in page
    client.force_login(people["confirmer"])  # the province reads its districts' history
    assert client.get(history).status_code == 200


def test_other_provinces_and_districts_get_404(client, people, questionnaire, submission):
    history = reverse("workload:history", args=[2570, "DLA-D5001"])
    for name in ("recorder_b", "recorder_same_province", "confirmer_b"):
        client.force_login(people[name])
        assert client.get(history).status_code == 404, name
