"""Two planners editing the same project: the second save does not silently undo the first."""

import re

import pytest
from django.urls import reverse

from projects import services
from projects.models import Project
from projects.tests.test_views import project_data

pytestmark = pytest.mark.django_db

EDITED_MEANWHILE = "มีผู้อื่นบันทึก"  # "someone else saved this while you were editing it"


def stamp_in(page: str) -> str:
    return re.search(r'name="edit_stamp" value="([0-9a-f]+)"', page).group(1)


def test_a_save_over_someone_elses_newer_save_is_stopped_and_loses_nothing(client, people, make_project):
    project = make_project(code="B-7", source="budget_act")
    client.force_login(people["admin_all"])
    url = reverse("projects:edit", args=[project.pk])
    opened = stamp_in(client.get(url).content.decode())

    # Meanwhile a colleague renames the project.
    services.project_save(by=people["super"], project=project, fields={"name": "ชื่อที่เพื่อนร่วมงานแก้"})

    mine = project_data(code="B-7", funding_source="budget_act", name="ชื่อที่ฉันพิมพ์", edit_stamp=opened)
    response = client.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 200 and EDITED_MEANWHILE in page
    assert 'value="ชื่อที่ฉันพิมพ์"' in page  # what was typed is kept
    project.refresh_from_db()
    assert project.name == "ชื่อที่เพื่อนร่วมงานแก้"  # theirs is not overwritten unseen

    # Saving again, knowingly, replaces their version.
    response = client.post(url, {**mine, "edit_stamp": stamp_in(page)})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "ชื่อที่ฉันพิมพ์"


def test_a_form_opened_on_the_current_version_saves_at_once(client, people, make_project):
    project = make_project(code="B-8", source="budget_act")
    client.force_login(people["admin_all"])
    url = reverse("projects:edit", args=[project.pk])
    data = project_data(
        code="B-8",
        funding_source="budget_act",
        name="ชื่อใหม่",
        edit_stamp=stamp_in(client.get(url).content.decode()),
    )
    assert client.post(url, data).status_code == 302
    assert Project.objects.get(pk=project.pk).name == "ชื่อใหม่"
