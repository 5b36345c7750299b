"""Seed the organisation units of both agencies.

ALRO: the agency, its central bureaus (the list is not certain; units stay
editable in the admin) and a provincial office in each of the 72 provinces
where ALRO works. DLA: the department, its central groups, a provincial
office (สถจ.) in each of the 76 provinces outside Bangkok and a district
office (สถอ.) for each of the 878 districts.
"""

from django.db import migrations

from tracking.thaisort import thai_sort_key

# Provinces without an ALRO provincial office.
NO_ALRO_OFFICE = {"10", "11", "12", "74", "75"}

ALRO_CENTRAL = [
    # code, short name, Thai name, English name, parent code
    ("ALRO-SBK", "สบก.", "สำนักบริหารกลาง", "Bureau of General Administration", None),
    ("ALRO-SWP", "สวผ.", "สำนักวิชาการและแผนงาน", "Bureau of Technical Affairs and Planning", None),
    ("ALRO-KTP", "กตป. สวผ.", "กลุ่มติดตามและประเมินผล", "Monitoring and Evaluation Group", "ALRO-SWP"),
    ("ALRO-SBT", "สบท.", "สำนักบริหารกองทุน", "Land Reform Fund Administration Bureau", None),
    ("ALRO-ICT", "ศทส.", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "Information and Communication Technology Centre", None),
    ("ALRO-SKM", "สกม.", "สำนักกฎหมาย", "Legal Affairs Bureau", None),
    ("ALRO-SKN", "สคง.", "สำนักการคลังและงบประมาณ", "Bureau of Finance and Budget", None),
    ("ALRO-SPP", "สพป.", "สำนักพัฒนาพื้นที่ปฏิรูปที่ดิน", "Land Reform Area Development Bureau", None),
    ("ALRO-SJT", "สจด.", "สำนักจัดการที่ดิน", "Land Management Bureau", None),
    ("ALRO-SSP", "สสผ.", "สำนักสำรวจและจัดทำแผนที่", "Bureau of Survey and Mapping", None),
    ("ALRO-SKS", "สกส.", "สำนักส่งเสริมการปฏิรูปที่ดิน", "Land Reform Promotion Bureau", None),
    ("ALRO-KJ", "กจ.", "กองการเจ้าหน้าที่", "Personnel Division", None),
    ("ALRO-KPR", "กพร.", "กลุ่มพัฒนาระบบบริหาร", "Public Sector Development Group", None),
    ("ALRO-TSN", "ตสน.", "กลุ่มตรวจสอบภายใน", "Internal Audit Group", None),
]  # fmt: skip

DLA_CENTRAL = [
    ("DLA-PSD", "กพร.สถ.", "กลุ่มพัฒนาระบบบริหาร", "Public Sector Development Group", None),
    ("DLA-ICT", "ศส.สถ.", "ศูนย์เทคโนโลยีสารสนเทศท้องถิ่น", "Local Information Technology Centre", None),
]


def unit(OrgUnit, **fields):
    return OrgUnit(name_sort=thai_sort_key(fields["name_th"]), **fields)


def seed(apps, schema_editor):
    OrgUnit = apps.get_model("accounts", "OrgUnit")
    Province = apps.get_model("accounts", "Province")
    District = apps.get_model("accounts", "District")

    alro = OrgUnit.objects.create(
        agency="alro", kind="agency", code="ALRO", short_name="ส.ป.ก.",
        name_th="สำนักงานการปฏิรูปที่ดินเพื่อเกษตรกรรม", name_en="Agricultural Land Reform Office",
        name_sort=thai_sort_key("สำนักงานการปฏิรูปที่ดินเพื่อเกษตรกรรม"),
    )  # fmt: skip
    dla = OrgUnit.objects.create(
        agency="dla", kind="agency", code="DLA", short_name="สถ.",
        name_th="กรมส่งเสริมการปกครองท้องถิ่น", name_en="Department of Local Administration",
        name_sort=thai_sort_key("กรมส่งเสริมการปกครองท้องถิ่น"),
    )  # fmt: skip

    for agency, root, rows in (("alro", alro, ALRO_CENTRAL), ("dla", dla, DLA_CENTRAL)):
        created = {}
        for code, short, th, en, parent_code in rows:
            created[code] = OrgUnit.objects.create(
                agency=agency, kind="central", code=code, short_name=short, name_th=th, name_en=en,
                parent=created[parent_code] if parent_code else root, name_sort=thai_sort_key(th),
            )  # fmt: skip

    provinces = list(Province.objects.all())
    OrgUnit.objects.bulk_create(
        unit(
            OrgUnit, agency="alro", kind="provincial", code=f"ALRO-P{p.code}", parent=alro, province=p,
            short_name=f"ส.ป.ก.{p.name_th}", name_th=f"สำนักงานการปฏิรูปที่ดินจังหวัด{p.name_th}",
            name_en=f"{p.name_en} Provincial Land Reform Office",
        )  # fmt: skip
        for p in provinces
        if p.code not in NO_ALRO_OFFICE
    )
    OrgUnit.objects.bulk_create(
        unit(
            OrgUnit, agency="dla", kind="provincial", code=f"DLA-P{p.code}", parent=dla, province=p,
            short_name=f"สถจ.{p.name_th}", name_th=f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{p.name_th}",
            name_en=f"{p.name_en} Provincial Office of Local Administration",
        )  # fmt: skip
        for p in provinces
        if not p.is_bangkok
    )
    offices = {u.province_id: u for u in OrgUnit.objects.filter(agency="dla", kind="provincial")}
    OrgUnit.objects.bulk_create(
        unit(
            OrgUnit, agency="dla", kind="district", code=f"DLA-D{d.code}", parent=offices[d.province_id],
            province_id=d.province_id, district=d, short_name=f"สถอ.{d.name_th}",
            name_th=f"สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอ{d.name_th}",
            name_en=f"{d.name_en} District Office of Local Administration",
        )  # fmt: skip
        for d in District.objects.exclude(province__code="10")
    )


def unseed(apps, schema_editor):
    OrgUnit = apps.get_model("accounts", "OrgUnit")
    for kind in ("district", "provincial", "central", "agency"):
        # Children before parents; nested central units go deepest first.
        while OrgUnit.objects.filter(kind=kind).exists():
            OrgUnit.objects.filter(kind=kind, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_geography_data")]
    operations = [migrations.RunPython(seed, unseed)]
