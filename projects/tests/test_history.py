"""Projects and activities: their change history, for everyone who may see the project."""

import re

import pytest
from django.urls import reverse

from projects.models import Activity

pytestmark = pytest.mark.django_db


def test_project_history_shows_a_renamed_project_with_thai_field_names(client, people, make_project):
    project = make_project(code="B-1", source="budget_act", units=("ALRO-P50",))
    client.force_login(people["admin_all"])
    project.name = "โครงการที่เปลี่ยนชื่อแล้ว"
    project.save()
    page = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert "ประวัติการแก้ไข" in page and "โครงการที่เปลี่ยนชื่อแล้ว" in page
    assert "ชื่อโครงการ" in page or "ชื่อ" in page


def test_activity_history_includes_its_steps_and_units(client, people, make_project):
    project = make_project(code="B-2", source="budget_act", units=("ALRO-P50",))
    activity = Activity.objects.filter(project=project).first()
    client.force_login(people["province_user"])  # assigned: may see the project
    page = client.get(reverse("projects:activity_history", args=[project.pk, activity.pk])).content.decode()
    step = activity.steps.first()
    assert step is None or step.name in page
    assert "ส.ป.ก.เชียงใหม่" in page or "เชียงใหม่" in page  # the assigned unit, by name


def test_project_history_is_404_for_a_project_the_user_cannot_see(client, people, make_project):
    project = make_project(code="B-3", source="budget_act", units=("ALRO-P50",))
    client.force_login(people["province_user_b"])
    assert client.get(reverse("projects:history", args=[project.pk])).status_code == 404
    activity = Activity.objects.filter(project=project).first()
    assert client.get(reverse("projects:activity_history", args=[project.pk, activity.pk])).status_code == 404


def test_activity_history_has_a_breadcrumb_from_home_through_its_project(client, people, make_project):
    project = make_project(code="B-4", source="budget_act", units=("ALRO-P50",))
    activity = Activity.objects.filter(project=project).first()
    client.force_login(people["admin_all"])
    page = client.get(reverse("projects:activity_history", args=[project.pk, activity.pk])).content.decode()
    nav = page.split('<nav class="crumbs', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    assert links == [
        (reverse("home"), "หน้าแรก"),
        (reverse("projects:index"), "จัดการโครงการ"),
        (reverse("projects:detail", args=[project.pk]), project.name),
        (reverse("projects:detail", args=[project.pk]) + f"#activity-{activity.pk}", str(activity)),
    ]
    assert '<span aria-current="page">ประวัติการแก้ไข</span>' in nav
