"""The coordination centre's public pages: registry, toolkits and FAQ, with who may keep them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import Province
from accounts.roles import Role
from tracking.tests.ods import ods_bytes
from workload.centre.registry_file import COLUMNS
from workload.models import FaqEntry, KnowledgeLink, StaffMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    entry = StaffMember.objects.create(province=Province.objects.get(code="50"), name="นายสมเกียรติ ปัญญาคำ",
                                       position="ท้องถิ่นอำเภอเมืองเชียงใหม่")  # fmt: skip
    return entry


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("registry.xlsx", out.getvalue())


def test_public_pages_are_open_to_anyone(client, staff):
    FaqEntry.objects.create(category="การเข้าสู่ระบบ", question="ลืมรหัสผ่าน", answer="ติดต่อ SSO Admin")
    KnowledgeLink.objects.create(
        category="laws", title="ราชกิจจานุเบกษา", url="https://ratchakitcha.soc.go.th/"
    )
    assert staff.name in client.get(reverse("workload:registry"), {"province": "50"}).content.decode()
    assert staff.name not in client.get(reverse("workload:registry"), {"province": "57"}).content.decode()
    assert "ราชกิจจานุเบกษา" in client.get(reverse("workload:toolkits")).content.decode()
    assert "ลืมรหัสผ่าน" in client.get(reverse("workload:faq")).content.decode()


def test_a_person_updates_their_own_entry_and_no_one_elses(client, make_user, staff):
    person = make_user("somkiat", unit="DLA-D5001")
    staff.user = person
    staff.save()
    other = StaffMember.objects.create(
        province=staff.province, name="นางสาวพิมพ์ชนก ใจบุญ", position="ท้องถิ่นอำเภอแม่ริม"
    )
    client.force_login(person)
    data = {
        "name": staff.name,
        "position": staff.position,
        "phone": "0899990000",
        "email": "somkiat@example.go.th",
    }
    assert client.post(reverse("workload:registry_edit", args=[staff.pk]), data).status_code == 302
    staff.refresh_from_db()
    assert staff.phone == "0899990000"
    # Everyone reads the registry, so another's entry is visible, and not theirs to change.
    assert client.post(reverse("workload:registry_edit", args=[other.pk]), data).status_code == 403


def test_sso_admin_keeps_own_province_only(client, make_user, staff):
    sso = make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50")
    sso_b = make_user("sso_b", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P57")
    client.force_login(sso_b)
    assert client.get(reverse("workload:registry_edit", args=[staff.pk])).status_code == 403
    assert client.get(reverse("workload:registry_new"), {"province": "50"}).status_code == 403
    client.force_login(sso)
    data = {"name": "นายใหม่ ทดสอบ", "position": "ท้องถิ่นอำเภอฝาง"}
    assert client.post(reverse("workload:registry_new") + "?province=50", data).status_code == 302
    assert StaffMember.objects.filter(name="นายใหม่ ทดสอบ", province__code="50").exists()


def test_registry_import_is_all_or_nothing_and_lists_every_problem(client, make_user):
    admin = make_user("dla", roles=[Role.DLA_ADMIN], unit="DLA-PSD")
    client.force_login(admin)
    bad = workbook([
        ["50", "นายหนึ่ง", "ท้องถิ่นอำเภอเมืองเชียงใหม่", "", "not-an-email", "เมืองเชียงใหม่"],
        ["99", "นายสอง", "ท้องถิ่นอำเภอ", "", "", ""],
        ["57", "นายสาม", "", "", "", "อำเภอที่ไม่มีจริง"],
    ])  # fmt: skip
    response = client.post(reverse("workload:registry_import"), {"file": bad})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<tr><td>") >= 4
    assert not StaffMember.objects.exists()
    good = workbook(
        [
            [
                "50",
                "นายหนึ่ง",
                "ท้องถิ่นอำเภอเมืองเชียงใหม่",
                "0811111111",
                "one@example.go.th",
                "เมืองเชียงใหม่, อำเภอสารภี",
            ]
        ]
    )
    assert client.post(reverse("workload:registry_import"), {"file": good}).status_code == 302
    entry = StaffMember.objects.get()
    assert sorted(entry.districts.values_list("name_th", flat=True)) == ["สารภี", "เมืองเชียงใหม่"]


@pytest.mark.parametrize("url_name", ["workload:registry_import", "workload:link_new", "workload:faq_new"])
def test_only_the_dla_keeps_links_faq_and_imports(client, make_user, url_name):
    client.force_login(make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"))
    assert client.get(reverse(url_name)).status_code == 403
    client.force_login(make_user("dla", roles=[Role.DLA_ADMIN], unit="DLA-PSD"))
    assert client.get(reverse(url_name)).status_code == 200


def test_dla_admin_adds_and_deletes_a_faq_entry(client, make_user):
    client.force_login(make_user("dla", roles=[Role.DLA_ADMIN], unit="DLA-PSD"))
    client.post(
        reverse("workload:faq_new"),
        {"category": "ทั่วไป", "question": "คำถาม", "answer": "คำตอบ", "order": "1"},
    )
    entry = FaqEntry.objects.get(question="คำถาม")
    client.post(reverse("workload:faq_edit", args=[entry.pk]), {"delete": "1"})
    assert not FaqEntry.objects.filter(question="คำถาม").exists()


def test_faq_starts_with_the_manuals_sign_in_answers(client):
    body = client.get(reverse("workload:faq")).content.decode()
    assert "รหัสผ่านไม่ถูกต้อง" in body and "ลืมรหัสผ่าน" in body


def test_public_registry_query_count_is_fixed(client, django_assert_num_queries):
    province = Province.objects.get(code="50")
    for index in range(5):
        StaffMember.objects.create(province=province, name=f"คนที่ {index}", position="ท้องถิ่นอำเภอ")
    # provinces, the chosen one, the people, their districts
    with django_assert_num_queries(4):
        client.get(reverse("workload:registry"))


def test_about_page_is_public_and_kept_by_the_dla(client, make_user):
    assert client.get(reverse("workload:about")).status_code == 200
    client.force_login(make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"))
    assert client.post(reverse("workload:about_edit"), {"title": "x", "body": "y"}).status_code == 403
    client.force_login(make_user("dla", roles=[Role.DLA_ADMIN], unit="DLA-PSD"))
    client.post(
        reverse("workload:about_edit"),
        {"title": "เกี่ยวกับศูนย์ประสานงานท้องถิ่นอำเภอ", "body": "<p>ศูนย์กลาง</p><script>steal()</script>"},
    )
    client.logout()
    body = client.get(reverse("workload:about")).content.decode()
    assert "ศูนย์กลาง" in body and "steal()" not in body


def test_a_name_already_in_the_provinces_registry_is_refused_in_thai(client, make_user, staff):
    client.force_login(make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50"))
    data = {"name": staff.name, "position": "ท้องถิ่นอำเภอสันทราย", "phone": "053-111222"}
    response = client.post(reverse("workload:registry_new") + "?province=50", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "ชื่อนี้มีอยู่ในทะเบียนของจังหวัดนี้แล้ว" in body
    assert "ท้องถิ่นอำเภอสันทราย" in body  # the whole form is kept
    assert StaffMember.objects.filter(name=staff.name).count() == 1
    # The same name in another province is another person.
    client.force_login(make_user("dla", roles=[Role.DLA_ADMIN], unit="DLA-PSD"))
    assert client.post(reverse("workload:registry_new") + "?province=57", data).status_code == 302


def test_registry_imports_an_ods_as_it_does_an_xlsx(client, make_user):
    client.force_login(make_user("dla", roles=[Role.DLA_ADMIN], unit="DLA-PSD"))
    rows = [[50, "นายหนึ่ง", "ท้องถิ่นอำเภอเมืองเชียงใหม่", "0811111111", "one@example.go.th", "สารภี"]]
    bad = ods_bytes({"ทะเบียน": [COLUMNS, [99, "นายสอง", "", "", "x", ""]]})
    response = client.post(reverse("workload:registry_import"), {"file": SimpleUploadedFile("r.ods", bad)})
    assert response.status_code == 200 and len(response.context["problems"]) == 3
    assert not StaffMember.objects.exists()
    good = SimpleUploadedFile("registry.ods", ods_bytes({"ทะเบียน": [COLUMNS, *rows]}))
    assert client.post(reverse("workload:registry_import"), {"file": good}).status_code == 302
    entry = StaffMember.objects.get()
    assert (entry.province.code, entry.phone) == ("50", "0811111111")
    assert list(entry.districts.values_list("name_th", flat=True)) == ["สารภี"]
