import pytest
from django.db import IntegrityError, transaction

from accounts.models import District, OrgUnit, Province

pytestmark = pytest.mark.django_db


def test_all_provinces_and_districts_are_loaded():
    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert District.objects.filter(province__is_bangkok=True).count() == 50
    assert District.objects.filter(province__is_bangkok=False).count() == 878
    assert list(Province.objects.filter(is_bangkok=True).values_list("code", flat=True)) == ["10"]


@pytest.mark.parametrize(
    ("code", "name_th", "name_en"),
    [("10", "กรุงเทพมหานคร", "Bangkok"), ("50", "เชียงใหม่", "Chiang Mai"), ("96", "นราธิวาส", "Narathiwat")],
)
def test_known_province_codes(code, name_th, name_en):
    province = Province.objects.get(code=code)
    assert (province.name_th, province.name_en) == (name_th, name_en)


@pytest.mark.parametrize(
    ("code", "name_th", "province_code"),
    [("1001", "เขตพระนคร", "10"), ("5001", "เมืองเชียงใหม่", "50"), ("9613", "เจาะไอร้อง", "96")],
)
def test_known_district_codes(code, name_th, province_code):
    district = District.objects.select_related("province").get(code=code)
    assert district.name_th == name_th
    assert district.province.code == province_code


def test_every_district_code_starts_with_its_province_code():
    mismatched = [
        d.code for d in District.objects.select_related("province") if d.code[:2] != d.province.code
    ]
    assert mismatched == []


def test_provinces_are_in_thai_dictionary_order():
    names = list(Province.objects.values_list("name_th", flat=True))
    assert names[0] == "กระบี่"
    # Leading vowels sort by their consonant, not after ฮ as code points would.
    assert names.index("ชุมพร") < names.index("เชียงราย") < names.index("เชียงใหม่") < names.index("ตรัง")
    assert names[-1] == "อุบลราชธานี"


def test_districts_of_a_province_are_in_thai_order():
    names = list(District.objects.filter(province__code="50").values_list("name_th", flat=True))
    assert names.index("จอมทอง") < names.index("เชียงดาว") < names.index("ดอยสะเก็ด")


def test_database_refuses_malformed_codes():
    with pytest.raises(IntegrityError), transaction.atomic():
        Province.objects.create(code="1", name_th="ทดสอบ", name_en="Test")
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(
            code="50A1", province=Province.objects.get(code="50"), name_th="x", name_en="x"
        )


def test_units_are_seeded_for_both_agencies():
    units = OrgUnit.objects
    assert units.filter(agency="alro", kind="provincial").count() == 72
    assert not units.filter(
        agency="alro", kind="provincial", province__code__in=["10", "11", "12", "74", "75"]
    )
    assert units.filter(agency="dla", kind="provincial").count() == 76
    assert units.filter(agency="dla", kind="district").count() == 878
    assert units.get(code="DLA-D5001").parent.code == "DLA-P50"
    assert units.get(code="ALRO-KTP").parent.code == "ALRO-SWP"
    assert units.filter(agency="alro", kind="central").count() >= 10


def test_database_keeps_the_unit_tree_consistent():
    alro = OrgUnit.objects.get(code="ALRO")
    chiang_mai = Province.objects.get(code="50")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(agency="alro", kind="provincial", code="X1", name_th="x", parent=alro)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(
            agency="alro", kind="provincial", code="X2", name_th="x", parent=alro, province=chiang_mai
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(agency="alro", kind="central", code="X3", name_th="x")
