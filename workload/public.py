"""The coordination centre's public pages: staff registry (ทะเบียน ทถอ.), toolkits, FAQ."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import District, Province
from projects.spreadsheet import CellReader, Problem
from tracking.forms import ThaiNameMultipleChoiceField, number_formfield
from tracking.html import sanitise
from tracking.uploads import check_spreadsheet
from tracking.workbooks import UNREADABLE, UnreadableWorkbook, open_workbook
from workload.models import CentrePage, FaqEntry, KnowledgeLink, StaffMember


class StaffForm(forms.ModelForm):
    districts = ThaiNameMultipleChoiceField(
        label=gettext_lazy("Districts covered"), queryset=District.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = StaffMember
        fields = ["name", "position", "phone", "email", "districts"]

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = District.objects.filter(province=province).in_thai_order()

    def clean_name(self):
        # The form has no province field, so ModelForm leaves the (province, name) constraint out.
        name = self.cleaned_data["name"]
        others = StaffMember.objects.filter(province=self.instance.province, name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(DUPLICATE_NAME, code="unique")
        return name


DUPLICATE_NAME = gettext_lazy("This name is already in the registry of this province.")


@login_not_required
def registry(request):
    provinces = Province.objects.filter(is_bangkok=False)
    chosen = provinces.filter(code=request.GET.get("province", "")).first()
    people = StaffMember.objects.select_related("province").prefetch_related("districts")
    if chosen:
        people = people.filter(province=chosen)
    editable, may_add, may_import = set(), False, False
    if request.user.is_authenticated:
        editable = set(
            StaffMember.objects.visible_to(request.user, access.CHANGE).values_list("pk", flat=True)
        )
        may_add = access.may_add_staff(request.user)
        may_import = access.may_keep_public_pages(request.user)
    return render(
        request,
        "workload/registry.html",
        {"provinces": provinces, "chosen": chosen, "people": people, "editable": editable,
         "may_add": may_add, "may_import": may_import},
    )  # fmt: skip


def registry_edit(request, pk=None):
    if pk:
        # The registry is public: every entry is visible, so one the user may not keep is a 403.
        entry = get_object_or_404(StaffMember.objects.visible_to(request.user), pk=pk)
        if not access.can(request.user, access.CHANGE, entry):
            raise PermissionDenied
        province = entry.province
    else:
        entry = None
        province = get_object_or_404(Province, code=request.GET.get("province", ""), is_bangkok=False)
        probe = StaffMember(province=province)
        allowed = access.may_add_staff(request.user, province)
        if not allowed:
            raise PermissionDenied
        entry = probe
    form = StaffForm(request.POST or None, instance=entry, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # the same name saved by someone else since the check
            form.add_error("name", DUPLICATE_NAME)
        else:
            messages.success(request, _("Registry entry saved."))
            return redirect(f"{reverse('workload:registry')}?province={province.code}")
    return render(request, "workload/registry_form.html", {"form": form, "province": province})


COLUMNS = ["รหัสจังหวัด", "ชื่อ-สกุล", "ตำแหน่ง", "โทรศัพท์", "อีเมล", "อำเภอที่รับผิดชอบ"]


def registry_import(request):
    """All-or-nothing load of the registry from .xlsx or .ods: every problem listed, nothing saved if any."""
    if not access.may_keep_public_pages(request.user):
        raise PermissionDenied
    problems, saved = [], None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose a file to add."))
            check_spreadsheet(upload)
            rows = _read_registry(upload, problems)
        except ValidationError as error:
            problems.append(Problem("", 0, "", " ".join(error.messages)))
            rows = []
        if not problems:
            with transaction.atomic():
                for province, data, districts in rows:
                    entry, _created = StaffMember.objects.update_or_create(
                        province=province, name=data["name"], defaults=data
                    )
                    entry.districts.set(districts)
            saved = len(rows)
            messages.success(request, _("%(count)s registry entries loaded.") % {"count": saved})
            return redirect("workload:registry")
    return render(request, "workload/registry_import.html", {"problems": problems, "columns": COLUMNS})


def _read_registry(upload, problems):
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


@login_not_required
def toolkits(request):
    links = KnowledgeLink.objects.all()
    groups = []
    for code, label in KnowledgeLink.Category.choices:
        items = [link for link in links if link.category == code]
        if items:
            groups.append((label, items))
    return render(
        request,
        "workload/toolkits.html",
        {
            "groups": groups,
            "may_keep": request.user.is_authenticated and access.may_keep_public_pages(request.user),
        },
    )


@login_not_required
def faq(request):
    entries = FaqEntry.objects.all()
    groups = {}
    for entry in entries:
        groups.setdefault(entry.category, []).append(entry)
    return render(
        request,
        "workload/faq.html",
        {
            "groups": groups.items(),
            "may_keep": request.user.is_authenticated and access.may_keep_public_pages(request.user),
        },
    )


class LinkForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("Link"), max_length=500, assume_scheme="https")

    class Meta:
        model = KnowledgeLink
        fields = ["category", "title", "url", "note", "order"]
        formfield_callback = number_formfield


class FaqForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["category", "question", "answer", "order"]
        formfield_callback = number_formfield


def _keep(request, model, form_class, pk, back, title):
    if not access.may_keep_public_pages(request.user):
        raise PermissionDenied
    item = get_object_or_404(model, pk=pk) if pk else None
    if request.method == "POST" and request.POST.get("delete") and item is not None:
        item.delete()
        messages.success(request, _("Deleted."))
        return redirect(back)
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(back)
    return render(
        request, "workload/keep_form.html", {"form": form, "item": item, "title": title, "back": back}
    )


def link_edit(request, pk=None):
    return _keep(request, KnowledgeLink, LinkForm, pk, "workload:toolkits", _("Toolkit link"))


def faq_edit(request, pk=None):
    return _keep(request, FaqEntry, FaqForm, pk, "workload:faq", _("Question"))


class CentrePageForm(forms.ModelForm):
    class Meta:
        model = CentrePage
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


ABOUT_DEFAULT = {
    "title": gettext_lazy("About the District Coordination Center"),
    "body": gettext_lazy(
        "<p>The District Coordination Center is the online hub of the district local administration offices: "
        "news of their work, the registry of directors, toolkits for their duties and the Workload Tracking "
        "System.</p>"
    ),
}


@login_not_required
def about(request):
    page = CentrePage.objects.filter(slug="about").first()
    return render(
        request,
        "workload/about.html",
        {"page": page, "default": ABOUT_DEFAULT,
         "may_keep": request.user.is_authenticated and access.may_keep_public_pages(request.user)},
    )  # fmt: skip


def about_edit(request):
    if not access.may_keep_public_pages(request.user):
        raise PermissionDenied
    page = CentrePage.objects.filter(slug="about").first() or CentrePage(
        slug="about", title=str(ABOUT_DEFAULT["title"]), body=str(ABOUT_DEFAULT["body"])
    )
    form = CentrePageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.body = sanitise(saved.body)
        saved.save()
        messages.success(request, _("Saved."))
        return redirect("workload:about")
    return render(
        request,
        "workload/keep_form.html",
        {"form": form, "item": None, "title": _("About the centre"), "back": "workload:about"},
    )
