from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from pghistory.models import MiddlewareEvents

from accounts import access
from accounts.access import section_required
from progress import closing as closing_reads
from progress import completeness, selectors, services
from progress.forms import (
    CloseMonthForm,
    DisbursementForm,
    PerformanceForm,
    PhotoForm,
    ProcurementForm,
    ReopenMonthForm,
    ReportingCalendarForm,
    SendBackForm,
    TransferForm,
)
from progress.models import (
    Disbursement,
    IndicatorResult,
    MonthClosure,
    MonthReport,
    PerformanceResult,
    Photo,
    Procurement,
    ReportingCalendar,
    StepProgress,
)
from projects.models import ActivityUnit, MonthlyPlan, Project
from tracking.caching import cached_html
from tracking.history import object_history
from tracking.queryparams import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, fiscal_year_param, month_param
from tracking.thaicalendar import current_fiscal_year, fiscal_month_of, fiscal_months

progress_page = section_required("progress")

# The progress list's table, cached under the version of the data (progress.views.index).
UNIT_LIST = "progress/_unit_list.html"

TABS = [
    ("detail", gettext_lazy("Project details")),
    ("performance", gettext_lazy("Performance results")),
    ("disbursement", gettext_lazy("Budget spending")),
    ("procurement", gettext_lazy("Procurement")),
    ("transfers", gettext_lazy("Transfers and returns")),
    ("photos", gettext_lazy("Project photos")),
]


def _period(request):
    """Fiscal year and month from the query string, else today's."""
    today_month = fiscal_month_of(timezone.localdate())
    fy = fiscal_year_param(request)
    month = month_param(request, default=today_month.index if fy == today_month.fiscal_year else 12)
    return fy, month


@progress_page
def index(request):
    fy, month = _period(request)
    q = request.GET.get("q", "").strip()[:100]
    page_number = request.GET.get("page", "")[:10]
    query = urlencode({"fy": fy, "month": month, **({"q": q} if q else {})})

    def table():
        assignments = selectors.assignments_for(request.user, fiscal_year=fy, month=month, q=q)
        page = Paginator(assignments, 30).get_page(page_number)
        return {"page": page, "fy": fy, "month": month, "query": query}

    # Shared by everyone who sees the same rows (the figures' rule has no per-object grants), under
    # the version of all the table shows.
    scope = access.scope_key(request.user, "progress.assignmentfigures")
    unit = access.reporting_unit(request.user)
    version = selectors.unit_list_version(fy)
    parts = ("unit-list", scope, unit.pk if unit else None, fy, month, q, page_number, version)
    rows = cached_html(parts, UNIT_LIST, table)
    return render(
        request,
        "progress/index.html",
        {
            "rows": rows,
            "fy": fy,
            "month": month,
            "months": fiscal_months(fy),
            "q": q,
            "national": access.may_read_national_completeness(request.user),
            "may_close": access.may_close_months(request.user),
        },
    )


def _project(request, pk) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user).select_related("owner_unit"), pk=pk)


def _assignment(request, pk, reporting: str | None = None) -> ActivityUnit:
    """An assigned unit of a project the user may see (else 404).

    With ``reporting`` (a result kind), 403 unless the user may report that kind for it. The row
    carries the user's report rights (``may_submit_report``, ``may_review_report``).
    """
    projects = Project.objects.visible_to(request.user)
    assignment = get_object_or_404(
        ActivityUnit.objects.select_related("activity__project", "unit")
        .filter(activity__project__in=projects)
        .annotate(**access.report_rights_annotations(request.user)),
        pk=pk,
    )
    if reporting and not access.may_report_on(request.user, reporting, assignment):
        raise PermissionDenied
    return assignment


@progress_page
def project(request, pk, tab="detail"):
    if tab not in dict(TABS):
        raise Http404
    project_obj = _project(request, pk)
    fy = project_obj.fiscal_year
    _fy, month = (
        _period(request) if request.GET.get("month") else (fy, fiscal_month_of(timezone.localdate()).index)
    )
    if tab in ("detail", "performance", "disbursement"):
        # Only these tabs show the figures: one summary row per assigned unit.
        figures = list(selectors.project_figures(request.user, project_obj, month))
        units = [row.activity_unit for row in figures]
        for row, au in zip(figures, units, strict=True):
            au.activity, au.unit = row.activity, row.unit
    else:
        # The other tabs list the units for their "add" links.
        figures = []
        units = ActivityUnit.objects.filter(activity__project=project_obj).select_related("activity", "unit")
        units = list(units.order_by("activity__order", "unit__name_sort"))
    for au in units:  # one project: its row is not read again for each unit
        au.activity.project = project_obj
    context = {
        "project": project_obj,
        "tab": tab,
        "tabs": TABS,
        "month": month,
        "month_label": fiscal_months(fy)[month - 1].label,
        "months": fiscal_months(fy),
        "assignments": units,
        "figures": figures,
        "closed": set(MonthClosure.objects.filter(fiscal_year=fy).values_list("month", flat=True)),
        "may_close": access.may_close_months(request.user),
    }
    if tab == "performance":
        context["indicator_rows"] = selectors.indicator_standing(project_obj, month)
    elif tab in selectors.TAB_ROWS:
        context["rows"] = selectors.tab_rows(tab, project_obj)
    may_report = access.report_rights(request.user)
    context["may"] = {
        kind: {au.pk for au in units if may_report(kind, au)}
        for kind in ("performanceresult", "disbursement", "procurement", "transfer", "photo")
    }
    return render(request, "progress/project.html", context)


def _tab_url(au, tab, month=None):
    url = reverse("progress:project_tab", args=[au.activity.project_id, tab])
    return f"{url}?month={month}" if month else url


def _month_or_404(month):
    if not 1 <= month <= 12:
        raise Http404
    return month


def _changed_fields(form, current, names):
    """What the other save changed, to show next to what this user typed."""
    return [(form.fields[name].label, getattr(current, name)) for name in names if current is not None]


def _month_report_context(request, assignment, month) -> dict:
    """What a month's form page shows besides its inputs: why it is read-only (checked before anyone
    types), the month's report with what to fix, and the report buttons this user may press.

    A POST to a read-only month is refused here, with the same reason, and nothing is saved.
    """
    state = services.month_state(assignment, month)
    reason = services.month_lock(assignment, month, state)
    if request.method == "POST" and reason:
        raise PermissionDenied(reason)
    return {
        "month_state": state,
        "read_only_reason": reason,
        "report": state.report,
        "may_submit_report": assignment.may_submit_report,
        "may_review_report": assignment.may_review_report,
        "month_closed": state.closure is not None,
        "month_started": services.month_has_started(assignment.activity.project.fiscal_year, month),
    }


@progress_page
def performance(request, au, month):
    month = _month_or_404(month)
    assignment = _assignment(request, au, "performanceresult")
    month_context = _month_report_context(request, assignment, month)
    steps = list(selectors.steps_with_progress(assignment, month))
    indicators = list(selectors.indicators_with_results(assignment, month))
    initial = None
    if request.method != "POST":  # a bound form shows what was typed
        current = PerformanceResult.objects.filter(activity_unit=assignment, month=month).first()
        initial = {"version": current.version if current else None}
        if current:
            initial.update(
                {"quantity": current.quantity, "narrative": current.narrative, "obstacles": current.obstacles}
            )
        initial.update({f"step_{step.pk}": step.percent for step in steps if step.percent is not None})
        initial.update({f"ind_{ind.pk}": ind.value for ind in indicators if ind.value is not None})
    form = PerformanceForm(request.POST or None, initial=initial, steps=steps, indicators=indicators)
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields, step_values, indicator_values = form.parts()
        try:
            services.performance_save(
                by=request.user, activity_unit=assignment, month=month, version=form.cleaned_data["version"],
                fields=fields, steps=step_values, indicators=indicator_values,
                state=month_context["month_state"],
            )  # fmt: skip
        except services.Conflict as error:
            conflict = _changed_fields(form, error.current, ["quantity", "narrative", "obstacles"])
            conflict_by = error.current.updated_by if error.current else None
            form.add_error(None, _("%(who)s saved this month while you were typing.") % {"who": conflict_by})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Results saved."))
            return redirect(_tab_url(assignment, "performance", month))
    planned = dict(
        MonthlyPlan.objects.filter(activity_unit=assignment, month__lte=month).values_list(
            "month", "quantity"
        )
    )
    form.show_plan(planned.get(month, 0), sum(planned.values(), Decimal(0)), assignment.output_unit)
    return render(
        request,
        "progress/performance_form.html",
        {"assignment": assignment, "month": fiscal_months(assignment.activity.project.fiscal_year)[month - 1],
         "form": form, "conflict": conflict, **month_context},
    )  # fmt: skip


@progress_page
def disbursement(request, au, month):
    month = _month_or_404(month)
    assignment = _assignment(request, au, "disbursement")
    month_context = _month_report_context(request, assignment, month)
    lines = selectors.budget_lines(assignment)
    saved = Disbursement.objects.filter(activity_unit=assignment, month=month)
    form = DisbursementForm(
        request.POST or None, initial=DisbursementForm.initial_for(saved, lines), lines=lines
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.disbursement_save(
                by=request.user, activity_unit=assignment, month=month, lines=form.line_figures(),
                override_reason=form.cleaned_data["override_reason"], state=month_context["month_state"],
            )  # fmt: skip
        except services.Conflict as error:
            now = {(row.category, row.carried_over): row for row in saved.all()}
            conflict = [
                (label, f"{_('committed')} {now[(c, carried)].committed:,.2f} · "
                        f"{_('disbursed')} {now[(c, carried)].disbursed:,.2f}")
                for c, carried, label in lines if (c, carried) in now
            ]  # fmt: skip
            who = error.current.updated_by if error.current else None
            form.add_error(None, _("%(who)s saved this month while you were typing.") % {"who": who})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Spending saved."))
            return redirect(_tab_url(assignment, "disbursement", month))
    return render(
        request,
        "progress/disbursement_form.html",
        {"assignment": assignment, "form": form, "conflict": conflict,
         "month": fiscal_months(assignment.activity.project.fiscal_year)[month - 1], **month_context},
    )  # fmt: skip


@progress_page
def transfer_new(request, au):
    assignment = _assignment(request, au, "transfer")
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_add(by=request.user, activity_unit=assignment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect(_tab_url(assignment, "transfers"))
    return render(
        request,
        "progress/simple_form.html",
        {"assignment": assignment, "form": form, "tab": "transfers", "title": _("Transfers and returns")},
    )


@progress_page
def procurement_edit(request, au, pk=None):
    assignment = _assignment(request, au, "procurement")
    item = get_object_or_404(Procurement, activity_unit=assignment, pk=pk) if pk else None
    form = ProcurementForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.procurement_save(
                by=request.user, activity_unit=assignment, procurement=item, fields=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Procurement saved."))
            return redirect(_tab_url(assignment, "procurement"))
    return render(
        request,
        "progress/simple_form.html",
        {"assignment": assignment, "form": form, "tab": "procurement", "title": _("Procurement")},
    )


@progress_page
def photo_new(request, au):
    assignment = _assignment(request, au, "photo")
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.photo_add(
                by=request.user, activity_unit=assignment, upload=data["image"], caption=data["caption"],
                taken_on=data["taken_on"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("image", error)
        else:
            messages.success(request, _("Photo added."))
            return redirect(_tab_url(assignment, "photos"))
    return render(
        request,
        "progress/simple_form.html",
        {
            "assignment": assignment,
            "form": form,
            "tab": "photos",
            "title": _("Project photos"),
            "upload": True,
        },
    )


@progress_page
def photo_file(request, pk, size):
    """Photos are served through their access rule, not as public media."""
    photo = get_object_or_404(Photo.objects.visible_to(request.user), pk=pk)
    field = photo.thumbnail if size == "thumb" else photo.image
    return FileResponse(field.open("rb"), content_type="image/jpeg")


def _closing_year(fy: int) -> int:
    if not FISCAL_YEAR_MIN <= fy <= FISCAL_YEAR_MAX:
        raise Http404
    return fy


def _may_close_or_reopen(user):
    if not (access.may_close_months(user) or access.may_reopen_months(user)):
        raise PermissionDenied


@progress_page
def closing(request, fy=None):
    """The months of a fiscal year: which are closed, by whom, their official record, and the next step."""
    _may_close_or_reopen(request.user)
    fy = _closing_year(fy) if fy is not None else current_fiscal_year()
    return render(
        request,
        "progress/closing.html",
        {
            "fy": fy,
            "years": range(current_fiscal_year() + 1, current_fiscal_year() - 4, -1),
            "states": closing_reads.year_months(fy),
            "may_close": access.may_close_months(request.user),
            "may_reopen": access.may_reopen_months(request.user),
        },
    )


@progress_page
def close_month(request, fy, month):
    """What closing the month locks and what is still missing; closing it once confirmed."""
    if not access.may_close_months(request.user):
        raise PermissionDenied
    fy, month = _closing_year(fy), _month_or_404(month)
    state = closing_reads.year_months(fy)[month - 1]
    form = CloseMonthForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.month_close(by=request.user, fiscal_year=fy, month=month)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(month)s is closed and its official figures are stored.") % {"month": state.month.label},
            )
            return redirect("progress:closing_year", fy=fy)
    projects = closing_reads.what_closing_locks(fy, month)
    totals = {
        name: sum(getattr(p, name) for p in projects)
        for name in (
            "assignments",
            "results",
            "steps",
            "indicators",
            "disbursements",
            "transfers",
            "procurements",
        )
    }
    return render(
        request,
        "progress/close_month.html",
        {
            "fy": fy,
            "state": state,
            "form": form,
            "projects": projects,
            "totals": totals,
            "not_handed_in": sum(len(p.not_handed_in) for p in projects),
            "without_figures": sum(len(p.without_figures) for p in projects),
            "last_day": closing_reads.month_end(state.month),
        },
    )


@progress_page
def reopen_month(request, fy, month):
    """Reopen a closed month for corrections, with the reason (a super admin's step)."""
    if not access.may_reopen_months(request.user):
        raise PermissionDenied
    fy, month = _closing_year(fy), _month_or_404(month)
    state = closing_reads.year_months(fy)[month - 1]
    if not state.closed:
        raise Http404
    form = ReopenMonthForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.month_reopen(
                by=request.user, fiscal_year=fy, month=month, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(month)s is open again for corrections. Close it again when they are done.")
                % {"month": state.month.label},
            )
            return redirect("progress:closing_year", fy=fy)
    return render(request, "progress/reopen_month.html", {"fy": fy, "state": state, "form": form})


def _report_done(request, assignment, month, step, done_message):
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message)
    return redirect(reverse("progress:report", args=[assignment.pk, month]))


@progress_page
@require_GET
def report(request, au, month):
    """A unit's month as handed in: its report's status and what to fix, the month's result and
    spending, and the buttons to hand it in, accept it or send it back (whoever may)."""
    month = _month_or_404(month)
    assignment = _assignment(request, au)
    return render(
        request,
        "progress/report.html",
        {
            "assignment": assignment,
            "month": fiscal_months(assignment.activity.project.fiscal_year)[month - 1],
            "result": PerformanceResult.objects.filter(activity_unit=assignment, month=month).first(),
            "spending": Disbursement.objects.filter(activity_unit=assignment, month=month).order_by(
                "carried_over", "category"
            ),
            "may_record_results": access.may_report_on(request.user, "performanceresult", assignment),
            "may_record_spending": access.may_report_on(request.user, "disbursement", assignment),
            **_month_report_context(request, assignment, month),
        },
    )


@progress_page
@require_POST
def report_submit(request, au, month):
    """The unit hands in its month (ส่งรายงาน)."""
    month = _month_or_404(month)
    assignment = _assignment(request, au)
    return _report_done(
        request, assignment, month, lambda: services.submit_report(request.user, assignment, month),
        _("The month's report is handed in. Its figures are locked while the project's owners review it."),
    )  # fmt: skip


@progress_page
@require_POST
def report_accept(request, au, month):
    month = _month_or_404(month)
    assignment = _assignment(request, au)
    return _report_done(
        request, assignment, month, lambda: services.accept_report(request.user, assignment, month),
        _("The report is accepted."),
    )  # fmt: skip


@progress_page
def report_send_back(request, au, month):
    """Send a report back to the unit with what to fix: a page of its own, so that a reason left
    empty or too long comes back with what was typed."""
    month = _month_or_404(month)
    assignment = _assignment(request, au)
    if not access.may_review_report(request.user, assignment):
        raise PermissionDenied
    reports = MonthReport.objects.select_related("submitted_by", "decided_by")
    report = get_object_or_404(reports, activity_unit=assignment, month=month)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_back_report(request.user, assignment, month, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is sent back to the unit with what to fix."))
            return redirect(reverse("progress:report", args=[assignment.pk, month]))
    return render(
        request,
        "progress/send_back.html",
        {"assignment": assignment, "report": report, "form": form,
         "month": fiscal_months(assignment.activity.project.fiscal_year)[month - 1]},
    )  # fmt: skip


@progress_page
def assignment_history(request, au, month):
    """Changes to an assigned unit's rows of one fiscal month: plan, results, indicators, spending
    (its transfers and procurements carry dates, not months, and are on the unit's other pages)."""
    assignment = _assignment(request, au)
    month = _month_or_404(month)
    events = MiddlewareEvents.objects.references(assignment).filter(pgh_data__month=month)
    project_id = assignment.activity.project_id
    return object_history(
        request,
        assignment,
        back=_tab_url(assignment, "performance", month),
        crumbs=[
            (_("Progress reporting"), reverse("progress:index")),
            (assignment.activity.project.name, reverse("progress:project", args=[project_id])),
        ],
        events=events,
        describe={
            StepProgress: "step",
            IndicatorResult: "indicator",
            Disbursement: "category",
            MonthReport: "status",
        },
        title=_("%(unit)s, %(activity)s, %(month)s")
        % {
            "unit": assignment.unit,
            "activity": assignment.activity,
            "month": fiscal_months(assignment.activity.project.fiscal_year)[month - 1].label,
        },
    )


@progress_page
def calendar(request):
    """The due day of each fiscal year's monthly reports, set by those who close months."""
    if not access.may_close_months(request.user):
        raise PermissionDenied
    today = fiscal_month_of(timezone.localdate()).fiscal_year
    form = ReportingCalendarForm(request.POST or None, initial={"fiscal_year": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.reporting_calendar_set(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The due day is saved."))
            return redirect("progress:calendar")
    years = sorted(set(ReportingCalendar.objects.values_list("fiscal_year", flat=True)) | {today, today + 1})
    days = completeness.due_days(years)
    rows = [(fy, days[fy], completeness.due_date(fy, 1, days[fy])) for fy in reversed(years)]
    return render(request, "progress/calendar.html", {"form": form, "rows": rows})
