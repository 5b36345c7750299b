"""Load the 77 provinces and 928 districts from accounts/data (DOPA codes, via geothai; CC-BY-4.0)."""

import json
from pathlib import Path

from django.db import migrations

from tracking.thaisort import thai_sort_key

DATA = Path(__file__).resolve().parent.parent / "data"
BANGKOK = "10"


def load(apps, schema_editor):
    Province = apps.get_model("accounts", "Province")
    District = apps.get_model("accounts", "District")
    provinces = json.loads((DATA / "provinces.json").read_text(encoding="utf-8"))
    districts = json.loads((DATA / "districts.json").read_text(encoding="utf-8"))
    Province.objects.bulk_create(
        Province(code=code, name_th=th, name_en=en, is_bangkok=code == BANGKOK, name_sort=thai_sort_key(th))
        for code, th, en in provinces
    )
    by_code = {p.code: p for p in Province.objects.all()}
    District.objects.bulk_create(
        District(code=code, province=by_code[code[:2]], name_th=th, name_en=en, name_sort=thai_sort_key(th))
        for code, th, en in districts
    )


def unload(apps, schema_editor):
    apps.get_model("accounts", "District").objects.all().delete()
    apps.get_model("accounts", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_units_and_geography")]
    operations = [migrations.RunPython(load, unload)]
