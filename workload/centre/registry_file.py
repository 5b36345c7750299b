"""The staff registry as a spreadsheet: one row a person, read all-or-nothing with every problem listed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import District, Province
from tracking.spreadsheets import CellReader, Problem
from tracking.workbooks import UNREADABLE, UnreadableWorkbook, open_workbook

# The header row, in Thai whatever the user's language, so that files travel between offices.
COLUMNS = ["รหัสจังหวัด", "ชื่อ-สกุล", "ตำแหน่ง", "โทรศัพท์", "อีเมล", "อำเภอที่รับผิดชอบ"]


def read_registry(upload, problems):
    """[(province, fields, districts)] of the file's rows; problems are appended to ``problems``."""
    try:
        with open_workbook(upload) as sheets:
            return _registry_rows(sheets[0], problems) if sheets else []
    except UnreadableWorkbook:
        raise ValidationError(str(UNREADABLE)) from None


def _registry_rows(sheet, problems):
    iterator = sheet.rows
    header = [str(h).strip() if h else "" for h in (next(iterator, None) or ())]
    if header[: len(COLUMNS)] != COLUMNS:
        problems.append(
            Problem(sheet.title, 1, ", ".join(COLUMNS), _("The header row does not match the template."))
        )
        return []
    provinces = {p.code: p for p in Province.objects.filter(is_bangkok=False)}
    districts = {(d.province_id, d.name_th): d for d in District.objects.all()}
    rows, seen = [], set()
    for number, values in enumerate(iterator, start=2):
        if not values or all(v in (None, "") for v in values):
            continue
        r = CellReader(sheet.title, number, dict(zip(COLUMNS, values, strict=False)), problems)
        code = r.text(COLUMNS[0], max_length=2)
        province = provinces.get(code.zfill(2)) if code else None
        if code and province is None:
            r.fail(COLUMNS[0], _("Unknown province code: %(code)s") % {"code": code})
        data = {"name": r.text(COLUMNS[1], max_length=200), "position": r.text(COLUMNS[2], max_length=200),
                "phone": r.text(COLUMNS[3], required=False, max_length=30),
                "email": r.text(COLUMNS[4], required=False, max_length=254)}  # fmt: skip
        if data["email"]:
            try:
                forms.EmailField().clean(data["email"])
            except ValidationError:
                r.fail(COLUMNS[4], _("Not an e-mail address."))
        covered = []
        for name in [
            n.strip() for n in r.text(COLUMNS[5], required=False, max_length=2000).split(",") if n.strip()
        ]:
            district = districts.get((province.pk if province else None, name)) or districts.get(
                (province.pk if province else None, name.removeprefix("อำเภอ"))
            )
            if district is None:
                r.fail(COLUMNS[5], _("No district %(name)s in this province.") % {"name": name})
            else:
                covered.append(district)
        if province and data["name"]:
            if (province.pk, data["name"]) in seen:
                r.fail(COLUMNS[1], _("This row repeats an earlier row."))
            seen.add((province.pk, data["name"]))
            rows.append((province, data, covered))
    return rows
