"""The coordination centre's pages: read by anyone, kept by those ``accounts/access.py`` allows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import Province
from tracking.html import sanitise
from tracking.spreadsheets import Problem
from tracking.uploads import check_spreadsheet
from workload.centre.forms import DUPLICATE_NAME, CentrePageForm, FaqForm, LinkForm, StaffForm
from workload.centre.registry_file import COLUMNS, read_registry
from workload.models import CentrePage, FaqEntry, KnowledgeLink, StaffMember


def _may_keep(user) -> bool:
    return user.is_authenticated and access.may_keep_public_pages(user)


# --- the staff registry (ทะเบียน ทถอ.) -----------------------------------------------------------


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
        province = get_object_or_404(Province, code=request.GET.get("province", ""), is_bangkok=False)
        if not access.may_add_staff(request.user, province):
            raise PermissionDenied
        entry = StaffMember(province=province)
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


def registry_import(request):
    """All-or-nothing load of the registry from .xlsx or .ods: every problem listed, nothing saved if any."""
    if not access.may_keep_public_pages(request.user):
        raise PermissionDenied
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose a file to add."))
            check_spreadsheet(upload)
            rows = read_registry(upload, problems)
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
            messages.success(request, _("%(count)s registry entries loaded.") % {"count": len(rows)})
            return redirect("workload:registry")
    return render(request, "workload/registry_import.html", {"problems": problems, "columns": COLUMNS})


# --- toolkits and the FAQ ------------------------------------------------------------------------


@login_not_required
def toolkits(request):
    links = KnowledgeLink.objects.all()
    groups = []
    for code, label in KnowledgeLink.Category.choices:
        items = [link for link in links if link.category == code]
        if items:
            groups.append((label, items))
    return render(request, "workload/toolkits.html", {"groups": groups, "may_keep": _may_keep(request.user)})


@login_not_required
def faq(request):
    groups = {}
    for entry in FaqEntry.objects.all():
        groups.setdefault(entry.category, []).append(entry)
    return render(
        request, "workload/faq.html", {"groups": groups.items(), "may_keep": _may_keep(request.user)}
    )


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


# --- about the centre ----------------------------------------------------------------------------

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
        {"page": page, "default": ABOUT_DEFAULT, "may_keep": _may_keep(request.user)},
    )


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
