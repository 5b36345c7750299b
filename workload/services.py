"""Writes of the workload flow, each in its own transaction and checked again inside it."""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import OrgUnit, Province
from tracking.rows import check_stamp, save_child, stamp_of
from tracking.thaicalendar import format_date, format_datetime
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
)
from workload.selectors import STAMPED, submission_progress


def current_questionnaire(today=None):
    """The questionnaire whose window holds today, else the newest one."""
    today = today or timezone.localdate()
    open_now = Questionnaire.objects.filter(opens_on__lte=today, closes_on__gte=today).first()
    return open_now or Questionnaire.objects.order_by("-fiscal_year").first()


def submission_get_or_create(*, questionnaire: Questionnaire, office) -> Submission:
    submission, _created = Submission.objects.get_or_create(questionnaire=questionnaire, office=office)
    return submission


def read_only_reason(submission: Submission, user, today=None) -> str | None:
    """Why this user cannot change this submission now, in words for the page; None if they can."""
    today = today or timezone.localdate()
    if submission.confirmed_at:
        return _("Confirmed by the province (%(who)s) on %(when)s: the data can no longer be changed.") % {
            "who": submission.confirmed_by,
            "when": format_datetime(submission.confirmed_at),
        }
    questionnaire = submission.questionnaire
    if not questionnaire.is_open(today):
        return _("Recording for fiscal year %(fy)s is open from %(start)s to %(end)s only.") % {
            "fy": questionnaire.fiscal_year,
            "start": format_date(questionnaire.opens_on),
            "end": format_date(questionnaire.closes_on),
        }
    if not access.may_record(user, submission):
        return _("Only the district office's own recorder can change this data.")
    return None


def _locked_for_change(submission: Submission, by) -> Submission:
    """The submission row locked and read again, refused unless ``by`` may change it now.

    The rule also reads the questionnaire's dates and the office: those the caller has just read
    are reused (the lock is on the submission's own row), else they come joined.
    """
    related = ("questionnaire", "office")
    cached = all(getattr(Submission, name).is_cached(submission) for name in related)
    queryset = Submission.objects.select_for_update(of=("self",))
    locked = (queryset if cached else queryset.select_related(*related)).get(pk=submission.pk)
    if cached:
        for name in related:
            if getattr(locked, f"{name}_id") == getattr(submission, f"{name}_id"):
                setattr(locked, name, getattr(submission, name))
    reason = read_only_reason(locked, by)
    if reason:
        raise ValidationError(reason)
    return locked


def contact_save(*, submission: Submission, by, fields: dict, districts) -> Submission:
    with transaction.atomic():
        locked = _locked_for_change(submission, by)
        province_id = locked.office.province_id
        if any(d.province_id != province_id for d in districts):
            raise ValidationError(_("Choose districts of your own province only."))
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["confirmed_by", "reopened_by", "snapshot"])
        locked.save()
        wanted = {d.pk for d in districts}
        CoveredDistrict.objects.filter(submission=locked).exclude(district_id__in=wanted).delete()
        have = set(CoveredDistrict.objects.filter(submission=locked).values_list("district_id", flat=True))
        CoveredDistrict.objects.bulk_create(
            CoveredDistrict(submission=locked, district_id=pk) for pk in sorted(wanted - have)
        )
    return locked


def aspect_stamp(rows) -> str:
    """The version of an aspect's saved answers, for the form opened on them: rows of their
    STAMPED values, as ``values_list(*STAMPED)`` gives them."""
    return stamp_of(sorted(tuple(row) for row in rows))


def aspect_save(
    *,
    submission: Submission,
    aspect: Aspect,
    by,
    rows: dict[int, tuple],
    stamp: str | None = None,
    question_ids: set[int] | None = None,
) -> None:
    """Save every question of one aspect at once: rows maps question id to (volume, days, hours).

    ``stamp``: the answers' version the form was opened on; if another recorder of the office
    saved this aspect since, nothing is written (EditedMeanwhile). ``question_ids``: the aspect's
    questions when the caller has just read them (read here otherwise).
    """
    with transaction.atomic():
        locked = _locked_for_change(submission, by)
        saved = Answer.objects.filter(submission=locked, question__aspect=aspect)
        check_stamp(stamp, aspect_stamp(saved.values_list(*STAMPED)))
        if question_ids is None:
            question_ids = set(Question.objects.filter(aspect=aspect).values_list("pk", flat=True))
        if aspect.questionnaire_id != locked.questionnaire_id or set(rows) != question_ids:
            raise ValidationError(_("Answer every question of the aspect."))
        Answer.objects.bulk_create(
            [
                Answer(submission=locked, question_id=qid, volume=volume, days=days, hours=hours)
                for qid, (volume, days, hours) in sorted(rows.items())
            ],
            update_conflicts=True,
            unique_fields=["submission", "question"],
            update_fields=["volume", "days", "hours"],
        )
        Submission.objects.filter(pk=locked.pk).update(updated_at=timezone.now())


def extra_item_save(*, submission: Submission, by, item: ExtraItem | None, fields: dict) -> ExtraItem:
    with transaction.atomic():
        locked = _locked_for_change(submission, by)
        return save_child(ExtraItem, parent_field="submission", parent=locked, instance=item, fields=fields)


def extra_item_delete(*, item: ExtraItem, by) -> None:
    with transaction.atomic():
        _locked_for_change(item.submission, by)
        item.delete()


# --- confirmation -----------------------------------------------------------------


def snapshot_of(submission: Submission) -> dict:
    """Everything the province confirms, in a stable order, as plain JSON values."""
    answers = (
        Answer.objects.filter(submission=submission)
        .select_related("question__aspect")
        .order_by("question__aspect__number", "question__order")
    )
    return {
        "fiscal_year": submission.questionnaire.fiscal_year,
        "office": submission.office.code,
        "office_name": submission.office.name_th,
        "contact": {
            "office_address": submission.office_address,
            "office_phone": submission.office_phone,
            "contact_name": submission.contact_name,
            "contact_mobile": submission.contact_mobile,
            "contact_email": submission.contact_email,
        },
        "covered_districts": sorted(
            CoveredDistrict.objects.filter(submission=submission).values_list("district__code", flat=True)
        ),
        "answers": [
            {
                "aspect": a.question.aspect.number,
                "order": a.question.order,
                "question": a.question.text,
                "unit": a.question.unit,
                "volume": a.volume,
                "days": str(a.days),
                "hours": a.hours,
            }
            for a in answers
        ],
        "extra_items": [
            {
                "description": e.description,
                "unit": e.unit,
                "volume": e.volume,
                "days": str(e.days),
                "hours": e.hours,
            }
            for e in ExtraItem.objects.filter(submission=submission).order_by("created_at", "pk")
        ],
    }


def digest_of(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def confirm_blockers(submission: Submission, progress=None) -> list[str]:
    """What still stops a confirmation; empty when the district may be confirmed."""
    blockers = []
    if submission.confirmed_at:
        blockers.append(_("Already confirmed."))
    progress = progress or submission_progress([submission])[submission.pk]
    if not progress.all_complete:
        blockers.append(_("Not every aspect is complete."))
    if not (submission.office_address and submission.office_phone and submission.contact_name):
        blockers.append(_("The contact details are not filled in."))
    if not progress.covered_count:
        blockers.append(_("The districts covered are not chosen."))
    return blockers


def submission_confirm(*, submission: Submission, by) -> Submission:
    with transaction.atomic():
        locked = Submission.objects.select_for_update(of=("self",)).with_people().get(pk=submission.pk)
        if not access.can(by, access.CONFIRM, locked):
            raise PermissionDenied
        blockers = confirm_blockers(locked)
        if blockers:
            raise ValidationError(blockers)
        snapshot = snapshot_of(locked)
        locked.snapshot = snapshot
        locked.digest = digest_of(snapshot)
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = by
        locked.save()
    return locked


def submission_reopen(*, submission: Submission, by, reason: str) -> Submission:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening."))
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not access.can(by, access.REOPEN, locked):
            raise PermissionDenied
        if not locked.confirmed_at:
            raise ValidationError(_("This submission is not confirmed."))
        with connection.cursor() as cursor:
            # The database function writes the reopening's record and clears the confirmation in
            # one statement; the lock trigger lets nothing else clear it (workload/models.py).
            cursor.execute("SELECT workload_reopen_submission(%s, %s, %s)", [locked.pk, by.pk, reason])
        locked.refresh_from_db()
    return locked


# --- questionnaires ---------------------------------------------------------------


def questionnaire_copy(*, source: Questionnaire, fiscal_year: int, opens_on, closes_on, by) -> Questionnaire:
    """A new fiscal year's questionnaire with last year's aspects and questions, and a
    submission row for every district office so that access rules have rows to decide on."""
    if not access.can(by, access.CHANGE, source):
        raise PermissionDenied
    with transaction.atomic():
        target = Questionnaire(
            fiscal_year=fiscal_year,
            opens_on=opens_on,
            closes_on=closes_on,
            hours_per_day=source.hours_per_day,
            yearly_hours=source.yearly_hours,
            is_sample=source.is_sample,
        )
        target.full_clean()
        target.save()
        for aspect in source.aspects.prefetch_related("questions"):
            copy = Aspect.objects.create(questionnaire=target, number=aspect.number, title=aspect.title)
            Question.objects.bulk_create(
                Question(aspect=copy, order=q.order, text=q.text, unit=q.unit) for q in aspect.questions.all()
            )
        open_submissions(target)
    return target


def open_submissions(questionnaire: Questionnaire) -> None:
    """One submission per active DLA district office (offices added later get theirs too)."""
    offices = OrgUnit.objects.filter(agency="dla", kind="district", is_active=True)
    Submission.objects.bulk_create(
        [Submission(questionnaire=questionnaire, office=office) for office in offices], ignore_conflicts=True
    )


def aspect_questions_save(*, aspect: Aspect, by, title_form, formset) -> None:
    """Save an aspect's title and its questions; answered questions cannot be deleted."""
    if not access.can(by, access.CHANGE, aspect.questionnaire):
        raise PermissionDenied
    with transaction.atomic():
        title_form.save()
        for form in formset.deleted_forms:
            if form.instance.pk and form.instance.answers.exists():
                raise ValidationError(
                    _("Question %(order)s already has answers and cannot be deleted.")
                    % {"order": form.instance.order}
                )
        formset.save()


# --- reminders and the national picture ------------------------------------------


def remind_incomplete(*, submissions, by, request) -> int:
    """E-mail the district offices that are not complete yet; returns how many got one."""
    messages_out = []
    for submission in submissions:
        if not submission.contact_email:
            continue
        link = request.build_absolute_uri(
            reverse("workload:status", args=[submission.questionnaire.fiscal_year, submission.office.code])
        )
        subject = _("Reminder: workload recording for fiscal year %(fy)s") % {
            "fy": submission.questionnaire.fiscal_year
        }
        body = _(
            "Dear %(name)s,\n\nThe workload of %(office)s for fiscal year %(fy)s is not complete yet. "
            "Recording closes on %(end)s. Please complete every aspect: %(link)s\n\n%(sender)s"
        ) % {
            "name": submission.contact_name or submission.office.name_th,
            "office": submission.office.name_th,
            "fy": submission.questionnaire.fiscal_year,
            "end": format_date(submission.questionnaire.closes_on),
            "link": link,
            "sender": by.get_full_name() or by.username,
        }
        messages_out.append((subject, body, None, [submission.contact_email]))
    transaction.on_commit(lambda: send_mass_mail(messages_out, fail_silently=False))
    return len(messages_out)


def national_overview(questionnaire: Questionnaire) -> list[dict]:
    """Per province: district offices, how many recorded anything, completed all, were confirmed.

    One grouped query over the submissions' figures, whatever the number of districts.
    """
    total_questions = Question.objects.filter(aspect__questionnaire=questionnaire).count()
    grouped = (
        SubmissionFigures.objects.filter(questionnaire=questionnaire)
        .values("office__province_id")
        .annotate(
            offices=Count("pk"),
            recorded=Count("pk", filter=Q(answered_total__gt=0)),
            complete=Count("pk", filter=Q(answered_total__gte=total_questions, answered_total__gt=0)),
            confirmed=Count("pk", filter=Q(is_confirmed=True)),
        )
    )
    by_province = {row["office__province_id"]: row for row in grouped}
    rows = []
    for province in Province.objects.filter(is_bangkok=False):
        row = by_province.get(province.pk, {})
        rows.append(
            {
                "province": province,
                "offices": row.get("offices", 0),
                "recorded": row.get("recorded", 0),
                "complete": row.get("complete", 0),
                "confirmed": row.get("confirmed", 0),
            }
        )
    return rows


def aspect_totals(questionnaire: Questionnaire) -> list[dict]:
    """Per aspect, the national sum of yearly hours and of answers given: one query over the figures."""
    sums = SubmissionFigures.objects.filter(questionnaire=questionnaire).aggregate(
        **{
            f"hours_{n}": Sum(F(f"hours_by_aspect__{n - 1}"), default=Decimal(0))
            for n in range(1, ASPECT_COUNT + 1)
        },
        **{
            f"answers_{n}": Sum(F(f"answered_by_aspect__{n - 1}"), default=0)
            for n in range(1, ASPECT_COUNT + 1)
        },
    )
    return [
        {
            "aspect": aspect,
            "hours": sums[f"hours_{aspect.number}"],
            "answers": sums[f"answers_{aspect.number}"],
            "fte": sums[f"hours_{aspect.number}"] / questionnaire.yearly_hours,
        }
        for aspect in questionnaire.aspects.all()
    ]
