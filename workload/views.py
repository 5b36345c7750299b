from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pghistory.models import MiddlewareEvents

from accounts import access
from accounts.access import section_required
from accounts.models import Province, unit_name
from tracking.caching import cached, cached_html
from tracking.history import object_history
from tracking.outliers import CheckForm
from tracking.redirects import redirect_to_next
from tracking.rows import EditedMeanwhile, restamp
from workload import outliers, services
from workload.forms import (
    AspectForm,
    AspectTitleForm,
    ContactForm,
    ExtraItemForm,
    QuestionFormSet,
    QuestionnaireCopyForm,
    QuestionnaireForm,
    ReasonForm,
)
from workload.models import (
    ASPECT_COUNT,
    Answer,
    Aspect,
    CoveredDistrict,
    ExtraItem,
    Question,
    Questionnaire,
    Submission,
    SubmissionFigures,
    reviewed_submissions,
)
from workload.selectors import (
    COMPLETE,
    COVERED,
    EMPTY,
    INCOMPLETE,
    STAMPED,
    aspect_answers,
    aspect_totals,
    district_figures,
    figures_version,
    hours_expression,
    menu_aspects,
    national_overview,
    review_version,
    submission_progress,
    submission_workload,
)

workload_page = section_required("workload")


def _questionnaire(request, fy) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.visible_to(request.user), fiscal_year=fy)


OFFICE_PLACES = ("office__district", "office__province")


def _submission(request, fy, code, action=access.VIEW, related=OFFICE_PLACES, coverer=True) -> Submission:
    """One district office's submission: 404 if this user may not see it, 403 if not ACTION it.

    Read with its office and ``related`` (by default the office's district and province) and, with
    ``coverer``, the office that records it (what every office page says); a save does without it,
    as its service reads the row again under its lock, with the office that records it.
    """
    questionnaire = _questionnaire(request, fy)
    # Few joins: PostgreSQL takes longer to plan a join of seven tables (with the people who confirmed
    # and reopened) than to run it; those two are read only on the pages that name them.
    rows = Submission.objects.visible_to(request.user).select_related("office", *related)
    if coverer:
        rows = rows.with_coverer_name()
    submission = get_object_or_404(rows, questionnaire=questionnaire, office__code=code)
    submission.questionnaire = questionnaire
    if action != access.VIEW and not access.can(request.user, action, submission):
        raise PermissionDenied
    return submission


def _office_context(request, submission, active, figures=None, aspects=None):
    """What every page of a district office shows; ``figures`` (district_figures) and ``aspects``
    (menu_aspects) when the caller has read them."""
    if figures is None:
        figures = district_figures(request.user, submission)
    if aspects is None:
        aspects = menu_aspects(submission.questionnaire)
    progress = submission_progress([submission], figures, aspects)[submission.pk]
    covered = services.covered_by(submission)
    # An office recorded together with another shows that in every aspect, not eight ✖.
    statuses = [COVERED] * ASPECT_COUNT if covered else progress.statuses
    return {
        "submission": submission,
        "questionnaire": submission.questionnaire,
        "aspects": aspects,
        "progress": progress,
        "statuses": statuses,
        # The menu's aspects: each with its status and the ``active`` name of its page.
        "menu": [(item, statuses[item.number - 1], f"aspect{item.number}") for item in aspects],
        "active": active,
        "read_only_reason": services.read_only_reason(submission, request.user),
        "legend": REVIEW_LEGEND if covered else STATUS_LEGEND,
    }


STATUS_LEGEND = [COMPLETE, INCOMPLETE, EMPTY]
# The province's review adds the offices whose district another office records.
REVIEW_LEGEND = [*STATUS_LEGEND, COVERED]


@workload_page
def index(request):
    """Send each role to where its work is."""
    questionnaire = services.current_questionnaire()
    if questionnaire is None:
        return render(request, "workload/index.html", {"questionnaire": None})
    fy = questionnaire.fiscal_year
    unit = access.recording_office(request.user)
    if unit is not None:
        services.submission_get_or_create(questionnaire=questionnaire, office=unit)
        return redirect("workload:status", fy=fy, code=unit.code)
    if access.confirming_province_id(request.user):
        return redirect("workload:province", fy=fy, code=request.user.org_unit.province.code)
    return redirect("workload:national", fy=fy)


# --- the district office's pages (11 menu items) ---------------------------------


@workload_page
def status(request, fy, code):
    submission = _submission(request, fy, code)
    # The figures row feeds both the statuses and the hours: read once.
    figures = district_figures(request.user, submission)
    context = _office_context(request, submission, "status", figures)
    context["workload"] = submission_workload([submission], figures)[submission.pk]
    context["covered"] = submission.covered.select_related("district").order_by("district__name_sort")
    context["reopenings"] = submission.reopenings.select_related("reopened_by")
    context["may_confirm"] = access.can(request.user, access.CONFIRM, submission)
    context["may_reopen"] = access.can(request.user, access.REOPEN, submission)
    context["blockers"] = services.confirm_blockers(submission, context["progress"])
    if context["may_confirm"] and not context["blockers"]:
        # The version of what this page shows, for the confirm button: a later save refuses it.
        context["version"] = services.version_of(services.snapshot_of(submission))
    context["reason_form"] = ReasonForm()
    if context["may_confirm"] or context["may_reopen"]:
        flags = outliers.answer_flags(submission.questionnaire, [submission])[submission.pk]
        context.update({"flags": flags, "may_check": context["may_confirm"], "check_form": CheckForm()})
    return render(request, "workload/status.html", context)


@workload_page
def contact(request, fy, code):
    submission = _submission(request, fy, code)
    context = _office_context(request, submission, "contact")
    initial = {
        "office_address": submission.office_address,
        "office_phone": submission.office_phone,
        "contact_name": submission.contact_name,
        "contact_mobile": submission.contact_mobile,
        "contact_email": submission.contact_email,
        "covered_districts": list(submission.covered.values_list("district_id", flat=True))
        or [submission.office.district_id],
    }
    taken = list(
        CoveredDistrict.objects.filter(
            questionnaire_id=submission.questionnaire_id, district__province_id=submission.office.province_id
        )
        .exclude(submission=submission)
        .values_list("district_id", unit_name("submission__office__"), "submission__office__district_id")
    )
    # district id → who records it: another office by name, or the district's own office.
    taken = {pk: None if pk == own else office for pk, office, own in taken}
    if submission.office.district_id in taken:  # covered: its own district is another office's
        initial["covered_districts"] = []
    province_obj = submission.office.province
    form = ContactForm(request.POST or None, initial=initial, province=province_obj, taken=taken)
    if request.method == "POST":
        if context["read_only_reason"]:
            raise PermissionDenied(context["read_only_reason"])
        if form.is_valid():
            data = dict(form.cleaned_data)
            districts = data.pop("covered_districts")
            try:
                services.contact_save(
                    submission=submission, by=request.user, fields=data, districts=districts
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Contact details saved."))
                return redirect("workload:contact", fy=fy, code=code)
    context["form"] = form
    return render(request, "workload/contact.html", context)


@workload_page
def aspect(request, fy, code, number):
    # The aspect's page and its save name the office only, not its district or province.
    if request.method == "POST":
        return _aspect_save(request, _submission(request, fy, code, related=(), coverer=False), number)
    submission = _submission(request, fy, code, related=())
    aspects = menu_aspects(submission.questionnaire)  # the page's menu lists them all
    aspect_obj = next((a for a in aspects if a.number == number), None)
    if aspect_obj is None:
        raise Http404
    questions = list(aspect_obj.questions.order_by("order"))
    answers = _saved_answers(submission, aspect_obj, questions)
    initial = {"edit_stamp": services.aspect_stamp([tuple(a[f] for f in STAMPED) for a in answers.values()])}
    for qid, answer in answers.items():
        initial.update({f"q{qid}_{f}": answer[f] for f in ("volume", "days", "hours")})
    form = AspectForm(None, initial=initial, questions=questions)
    return _aspect_page(request, submission, aspect_obj, form, answers, aspects)


def _aspect_save(request, submission, number):
    """A save reads the aspect with its questions; the service reads the submission again under its
    lock and refuses it if read only (403, as before a form that does not validate). The page's
    menu, answers and context are read only when the form is shown again."""
    aspect_obj, questions = _aspect_questions(submission.questionnaire, number)
    form = AspectForm(request.POST, questions=questions)
    if form.is_valid():
        try:
            services.aspect_save(
                submission=submission, aspect=aspect_obj, by=request.user, rows=form.answers(),
                stamp=form.cleaned_data["edit_stamp"], question_ids={q.pk for q in questions},
            )  # fmt: skip
        except services.ReadOnly as error:
            raise PermissionDenied(error.message) from error
        except EditedMeanwhile as error:
            form.add_error(None, error)
            restamp(form, error.stamp)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Aspect %(number)s saved.") % {"number": number})
            return redirect(
                "workload:aspect",
                fy=submission.questionnaire.fiscal_year,
                code=submission.office.code,
                number=number,
            )
    else:
        reason = services.read_only_reason(submission, request.user)
        if reason:
            raise PermissionDenied(reason)
    answers = _saved_answers(submission, aspect_obj, questions)
    return _aspect_page(
        request, submission, aspect_obj, form, answers, menu_aspects(submission.questionnaire)
    )


def _aspect_questions(questionnaire, number) -> tuple[Aspect, list]:
    """Aspect ``number`` of the questionnaire and its current questions in order, in one query (two
    for an aspect without questions); 404 if there is no such aspect."""
    questions = list(
        Question.objects.filter(aspect__questionnaire=questionnaire, aspect__number=number)
        .select_related("aspect")
        .order_by("order")
    )
    if questions:
        return questions[0].aspect, questions
    return get_object_or_404(Aspect, questionnaire=questionnaire, number=number), []


def _saved_answers(submission, aspect_obj, questions) -> dict[int, dict]:
    """The aspect's saved answers by question id (aspect_answers)."""
    answers = {a["question_id"]: a for a in aspect_answers(submission, aspect_obj)}
    earlier = set(answers) - {q.pk for q in questions}
    if earlier:  # answered before a correction: shown against the question's current version
        moved = services.current_versions(earlier, aspect_obj)
        answers = {moved.get(qid, qid): answer for qid, answer in answers.items()}
    return answers


def _aspect_page(request, submission, aspect_obj, form, answers, aspects):
    context = _office_context(request, submission, f"aspect{aspect_obj.number}", aspects=aspects)
    flagged = {}
    if access.reviews_answers(request.user, submission):
        flagged = outliers.by_question(
            outliers.answer_flags(submission.questionnaire, [submission], aspect_obj)[submission.pk]
        )
    context.update(
        {
            "aspect": aspect_obj,
            "form": form,
            "table": [(*row, answers.get(row[0].pk), flagged.get(row[0].pk, [])) for row in form.rows()],
            "aspect_hours": sum((a["total_hours"] for a in answers.values()), 0),
        }
    )
    return render(request, "workload/aspect.html", context)


@workload_page
def extras(request, fy, code):
    submission = _submission(request, fy, code)
    context = _office_context(request, submission, "extras")
    context["items"] = ExtraItem.objects.filter(submission=submission).annotate(
        total_hours=hours_expression(submission.questionnaire.hours_per_day)
    )
    return render(request, "workload/extras.html", context)


@workload_page
def extra_edit(request, fy, code, pk=None):
    submission = _submission(request, fy, code)
    item = get_object_or_404(ExtraItem, submission=submission, pk=pk) if pk else None
    context = _office_context(request, submission, "extras")
    if context["read_only_reason"]:
        raise PermissionDenied(context["read_only_reason"])
    form = ExtraItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.extra_item_save(
                submission=submission, by=request.user, item=item, fields=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Item saved."))
            return redirect("workload:extras", fy=fy, code=code)
    context.update({"form": form, "item": item})
    return render(request, "workload/extra_form.html", context)


@workload_page
def extra_delete(request, fy, code, pk):
    submission = _submission(request, fy, code)
    item = get_object_or_404(ExtraItem, submission=submission, pk=pk)
    context = _office_context(request, submission, "extras")
    if context["read_only_reason"]:
        raise PermissionDenied(context["read_only_reason"])
    if request.method == "POST":
        services.extra_item_delete(item=item, by=request.user)
        messages.success(request, _("Item deleted."))
        return redirect("workload:extras", fy=fy, code=code)
    context["item"] = item
    return render(request, "workload/extra_delete.html", context)


# --- confirmation by the province, reopening by the DLA ------------------------------


@workload_page
@require_POST
def confirm(request, fy, code):
    submission = _submission(request, fy, code, access.CONFIRM)
    try:
        seen = request.POST.get("version", "")
        services.submission_confirm(submission=submission, by=request.user, seen=seen)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(office)s confirmed. The data is now locked.") % {"office": submission.office.name_th},
        )
    return redirect_to_next(request, reverse("workload:status", args=[fy, code]))


@workload_page
@require_POST
def reopen(request, fy, code):
    submission = _submission(request, fy, code, access.REOPEN)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        if form.data.get("reason", "").strip():  # given, but e.g. too long: say what is wrong
            for error in form.errors["reason"]:
                messages.error(request, error)
        else:
            messages.error(request, _("Give the reason for reopening."))
    else:
        try:
            services.submission_reopen(
                submission=submission, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The submission has been reopened for changes."))
    return redirect("workload:status", fy=fy, code=code)


@workload_page
@require_POST
def answer_check(request, fy, code):
    """Mark a flagged answer as checked, with a note: part of the province's review; never blocks."""
    submission = _submission(request, fy, code)
    if not access.may_check_answers(request.user, submission):
        raise PermissionDenied
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            outliers.answer_check_save(submission=submission, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Marked as checked."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("workload:status", args=[fy, code]) + "#flags")


@workload_page
def record(request, fy, code):
    """The printable confirmation record, checked against the data as it is now."""
    submission = _submission(request, fy, code)
    if not submission.confirmed_at:
        raise Http404
    return render(
        request,
        "workload/record.html",
        {
            "submission": submission,
            "snapshot": submission.snapshot,
            "check": services.record_check(submission),
        },
    )


# --- the province's review -----------------------------------------------------------------


def _province(request, code) -> Province:
    province = get_object_or_404(Province, code=code, is_bangkok=False)
    if not access.may_review_province(request.user, province):
        raise Http404
    return province


# Of each submission, only what the review's table and the confirmation check read.
PROVINCE_ROW_FIELDS = (
    "questionnaire_id",
    "office_id",
    "office_address",
    "office_phone",
    "contact_name",
    "contact_mobile",
    "contact_email",
    "confirmed_at",
    "office__code",
    "office__short_name",
    "office__name_th",
)


def _review_rows(user, questionnaire, province_obj, may_confirm) -> list[tuple]:
    """The province's review table: per district office, its submission, progress, workload, whether
    it may be confirmed, districts covered, version shown, what blocks it and the values to check."""
    # A province has up to 50 rows: one query for their figures, submissions and coverers.
    rows = list(
        SubmissionFigures.objects.visible_to(user).for_province_review(
            questionnaire, province_obj, PROVINCE_ROW_FIELDS
        )
    )
    figures = {row.submission_id: row for row in rows}
    submissions = reviewed_submissions(rows, questionnaire)
    progress = submission_progress(submissions, figures)
    workload = submission_workload(submissions, figures)
    covered = {s.pk: [] for s in submissions}
    for submission_id, name in (
        CoveredDistrict.objects.filter(submission__in=submissions)
        .order_by("district__name_sort")
        .values_list("submission_id", "district__name_th")
    ):
        covered[submission_id].append(name)
    # What stops each office's confirmation, named: the page says what is missing.
    blockers = {s.pk: services.confirm_blockers(s, progress[s.pk]) for s in submissions}
    confirmable = {s.pk for s in submissions if not blockers[s.pk]}
    # The version of each confirmable row as shown, carried by the confirm buttons.
    snapshots = services.snapshots_of(s for s in submissions if s.pk in confirmable) if may_confirm else {}
    versions = {pk: services.version_of(snapshot) for pk, snapshot in snapshots.items()}
    flags = outliers.unchecked_counts(outliers.answer_flags(questionnaire, submissions))
    rows = []
    for s in submissions:
        shown = (", ".join(covered[s.pk]), versions.get(s.pk), blockers[s.pk], flags[s.pk])
        rows.append((s, progress[s.pk], workload[s.pk], s.pk in confirmable, *shown))
    return rows


@workload_page
def province(request, fy, code):
    questionnaire = _questionnaire(request, fy)
    province_obj = _province(request, code)
    may_confirm = access.may_confirm_in_province(request.user, province_obj)
    scope = access.scope_key(request.user, "workload.submission")

    def review_rows():
        return _review_rows(request.user, questionnaire, province_obj, may_confirm)

    if scope is None:  # per-object grants give this person rows of their own
        rows = review_rows()
    else:  # shared by everyone who sees the same rows, under the version of all the table shows
        version = review_version(questionnaire, province_obj)
        parts = (
            "province-review",
            questionnaire.pk,
            province_obj.pk,
            scope,
            may_confirm,
            get_language(),
            version,
        )
        rows = cached(parts, review_rows)
    return render(
        request,
        "workload/province.html",
        {
            "questionnaire": questionnaire,
            "province": province_obj,
            "rows": rows,
            "may_confirm": may_confirm,
            "confirmable": sum(1 for row in rows if row[3]),
            "legend": REVIEW_LEGEND,
        },
    )


@workload_page
@require_POST
def province_confirm_complete(request, fy, code):
    """Confirm every district office the page showed as complete, each against the version shown."""
    questionnaire = _questionnaire(request, fy)
    province_obj = _province(request, code)
    if not access.may_confirm_in_province(request.user, province_obj):
        raise PermissionDenied
    seen = {
        int(key.removeprefix("seen_")): value
        for key, value in request.POST.items()
        if key.startswith("seen_") and key.removeprefix("seen_").isdigit()
    }
    result = services.submissions_confirm_all(
        questionnaire=questionnaire, province=province_obj, by=request.user, seen=seen
    )
    if result.confirmed:
        names = ", ".join(str(s.office) for s in result.confirmed)
        message = _("Confirmed %(count)s district offices: %(names)s.")
        messages.success(request, message % {"count": len(result.confirmed), "names": names})
    for submission, reasons in result.refused:
        messages.error(
            request,
            _("%(office)s was not confirmed: %(reasons)s")
            % {"office": submission.office, "reasons": " ".join(reasons)},
        )
    if not result.confirmed and not result.refused:
        messages.info(request, _("No district office was confirmed."))
    return redirect("workload:province", fy=fy, code=code)


@workload_page
@require_POST
def province_remind(request, fy, code):
    """Remind the province's incomplete district offices (those never started too), once a day."""
    questionnaire = _questionnaire(request, fy)
    province_obj = _province(request, code)
    if not access.may_remind_districts(request.user):
        raise PermissionDenied
    in_scope = Submission.objects.visible_to(request.user, access.CONFIRM).values("pk")
    incomplete = services.incomplete_submissions(
        questionnaire, office__province=province_obj, pk__in=in_scope
    )
    result = services.remind_incomplete(
        submissions=incomplete,
        event_key=f"workload_remind:{questionnaire.pk}:{timezone.localdate().isoformat()}",
    )
    messages.success(
        request, _("Reminders sent to %(count)s district offices.") % {"count": len(result.reminded)}
    )
    if result.already:
        messages.info(
            request,
            _("Already reminded today: %(names)s.")
            % {"names": ", ".join(str(s.office) for s in result.already)},
        )
    if result.unreachable:
        messages.warning(
            request,
            _("Could not be reached by e-mail, please contact them another way: %(offices)s.")
            % {
                "offices": "; ".join(
                    f"{s.office} ({why}{', ' + s.office_phone if s.office_phone else ''})"
                    for s, why in result.unreachable
                )
            },
        )
    return redirect("workload:province", fy=fy, code=code)


# --- the national overview -------------------------------------------------------------------


@workload_page
def national(request, fy):
    questionnaire = _questionnaire(request, fy)
    if not access.may_prepare_questionnaires(request.user):
        raise PermissionDenied
    years = list(Questionnaire.objects.values_list("fiscal_year", flat=True))

    def context():
        provinces = national_overview(request.user, questionnaire)
        totals = {
            key: sum(row[key] for row in provinces)
            for key in ("offices", "covered", "recorded", "complete", "confirmed")
        }
        return {
            "questionnaire": questionnaire,
            "provinces": provinces,
            "totals": totals,
            "aspect_totals": aspect_totals(request.user, questionnaire),
            "years": years,
        }

    # Shared by everyone who may open it: those who prepare questionnaires see every submission.
    parts = ("workload-national", years, figures_version(questionnaire))
    body = cached_html(parts, "workload/_national.html", context)
    return render(
        request, "reports/cached_page.html", {"body": body, "title": _("National overview"), "filters": None}
    )


@workload_page
def export(request, fy):
    questionnaire = _questionnaire(request, fy)
    if not access.may_export_workload_answers(request.user):
        raise PermissionDenied
    from workload.exports import answers_workbook_response

    return answers_workbook_response(questionnaire)


# --- questionnaires (DLA admin) ---------------------------------------------------------------


def _questionnaire_for_change(request, fy) -> Questionnaire:
    questionnaire = _questionnaire(request, fy)
    if not access.can(request.user, access.CHANGE, questionnaire):
        raise PermissionDenied
    return questionnaire


@workload_page
def questionnaires(request):
    if not access.may_prepare_questionnaires(request.user):
        raise PermissionDenied
    items = Questionnaire.objects.annotate(
        question_count=Count("aspects__questions", filter=Q(aspects__questions__retired_at__isnull=True))
    )
    latest = items.first()
    form = QuestionnaireCopyForm(request.POST or None)
    if request.method == "POST" and latest is not None and form.is_valid():
        copy = services.questionnaire_copy(source=latest, by=request.user, **form.cleaned_data)
        messages.success(
            request, _("Questionnaire for fiscal year %(fy)s created.") % {"fy": copy.fiscal_year}
        )
        return redirect("workload:questionnaire", fy=copy.fiscal_year)
    return render(request, "workload/questionnaires.html", {"items": items, "latest": latest, "form": form})


@workload_page
def questionnaire(request, fy):
    questionnaire_obj = _questionnaire_for_change(request, fy)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire_obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Questionnaire saved."))
        return redirect("workload:questionnaire", fy=fy)
    aspects = questionnaire_obj.aspects.annotate(
        question_count=Count("questions", filter=Q(questions__retired_at__isnull=True))
    )
    frozen = services.is_frozen(questionnaire_obj)
    return render(
        request,
        "workload/questionnaire.html",
        {
            "questionnaire": questionnaire_obj,
            "form": form,
            "aspect_list": aspects,
            "frozen_message": services.frozen_message(questionnaire_obj) if frozen else "",
        },
    )


@workload_page
def questionnaire_aspect(request, fy, number):
    questionnaire_obj = _questionnaire_for_change(request, fy)
    aspect_obj = get_object_or_404(Aspect, questionnaire=questionnaire_obj, number=number)
    title_form = AspectTitleForm(request.POST or None, instance=aspect_obj, prefix="aspect")
    formset = QuestionFormSet(request.POST or None, instance=aspect_obj, prefix="questions")
    frozen = services.is_frozen(questionnaire_obj)
    if frozen:
        # Only a question's text and unit can change (a correction), and questions be added.
        title_form.fields["title"].disabled = True
        for form in formset.initial_forms:
            form.fields["order"].disabled = True
    if request.method == "POST" and title_form.is_valid() and formset.is_valid():
        try:
            services.aspect_questions_save(
                aspect=aspect_obj, by=request.user, title_form=title_form, formset=formset
            )
        except ValidationError as error:
            title_form.add_error(None, error)
        else:
            messages.success(request, _("Aspect %(number)s saved.") % {"number": number})
            return redirect("workload:questionnaire", fy=fy)
    return render(
        request,
        "workload/questionnaire_aspect.html",
        {
            "questionnaire": questionnaire_obj,
            "aspect": aspect_obj,
            "form": title_form,
            "formset": formset,
            "frozen_message": services.frozen_message(questionnaire_obj) if frozen else "",
        },
    )


@workload_page
def history(request, fy, code):
    """The office's record: contact details, answers, extra items, districts covered, confirmations."""
    submission = _submission(request, fy, code)
    return object_history(
        request,
        submission,
        back=reverse("workload:status", args=[fy, code]),
        crumbs=[(_("Workload recording"), reverse("workload:index"))],
        events=MiddlewareEvents.objects.references(submission),
        describe={Answer: "question", ExtraItem: "description", CoveredDistrict: "district"},
    )
