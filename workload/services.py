"""Writes of the workload flow, each in its own transaction and checked again inside it."""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import OrgUnit, unit_name
from accounts.notifications import Kind, notify
from tracking.rows import check_stamp, save_child, stamp_of
from tracking.thaicalendar import format_date, format_datetime
from workload.models import (
    ASPECT_COUNT,
    COVERER,
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
from workload.selectors import STAMPED, question_totals, submission_progress


def current_questionnaire(today=None):
    """The questionnaire whose window holds today, else the newest one."""
    today = today or timezone.localdate()
    open_now = Questionnaire.objects.filter(opens_on__lte=today, closes_on__gte=today).first()
    return open_now or Questionnaire.objects.order_by("-fiscal_year").first()


def submission_get_or_create(*, questionnaire: Questionnaire, office) -> Submission:
    submission, _created = Submission.objects.get_or_create(questionnaire=questionnaire, office=office)
    return submission


def covered_by(submission: Submission) -> str | None:
    """The short name of the office that records this office's district this year (its districts
    covered), None when the office records for itself. Read from the with_coverer() or
    with_coverer_name() annotations when the submission came with them, else one query (and kept
    on the submission)."""
    if not hasattr(submission, "covered_by_name"):
        row = (
            CoveredDistrict.objects.filter(
                questionnaire_id=submission.questionnaire_id, district_id=submission.office.district_id
            )
            .exclude(submission_id=submission.pk)
            .values_list(*COVERER.values())
            .first()
        )
        (
            submission.covered_by_id,
            submission.covered_by_code,
            submission.covered_by_name,
            submission.covered_by_confirmed_at,
        ) = row or (None, None, None, None)
    return submission.covered_by_name or None


def read_only_reason(submission: Submission, user, today=None) -> str | None:
    """Why this user cannot change this submission now, in words for the page; None if they can."""
    today = today or timezone.localdate()
    if submission.confirmed_at:
        return _("Confirmed by the province (%(who)s) on %(when)s: the data can no longer be changed.") % {
            "who": submission.confirmed_by,
            "when": format_datetime(submission.confirmed_at),
        }
    coverer = covered_by(submission)
    if coverer:
        return _(
            "This district's workload is recorded together with %(office)s (one of its districts "
            "covered): this office records nothing of its own this year. To record separately, "
            "%(office)s first unticks this district on its contact page."
        ) % {"office": coverer}
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


class ReadOnly(ValidationError):
    """This user may not change this submission now (read_only_reason(), read under the lock)."""


def _locked_for_change(submission: Submission, by) -> Submission:
    """The submission row locked and read again, refused unless ``by`` may change it now.

    The rule also reads the questionnaire's dates and the office: those the caller has just read
    are reused (the lock is on the submission's own row), else they come joined.
    """
    related = ("questionnaire", "office")
    cached = all(getattr(Submission, name).is_cached(submission) for name in related)
    queryset = Submission.objects.select_for_update(of=("self",)).with_coverer_name()
    locked = (queryset if cached else queryset.select_related(*related)).get(pk=submission.pk)
    if cached:
        for name in related:
            if getattr(locked, f"{name}_id") == getattr(submission, f"{name}_id"):
                setattr(locked, name, getattr(submission, name))
    reason = read_only_reason(locked, by)
    if reason:
        raise ReadOnly(reason)
    return locked


def contact_save(*, submission: Submission, by, fields: dict, districts) -> Submission:
    """Save the contact details and the districts covered. Ticking another district makes its office
    covered (it records nothing itself): refused if another office records that district already,
    or if its office has started a record of its own."""
    try:
        with transaction.atomic():
            locked = _locked_for_change(submission, by)
            province_id = locked.office.province_id
            if any(d.province_id != province_id for d in districts):
                raise ValidationError(_("Choose districts of your own province only."))
            wanted = {d.pk for d in districts}
            listed = CoveredDistrict.objects.filter(submission=locked)
            have = set(listed.values_list("district_id", flat=True))
            _check_coverage(locked, wanted, added=wanted - have)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.full_clean(exclude=["confirmed_by", "reopened_by", "snapshot"])
            locked.save()
            CoveredDistrict.objects.filter(submission=locked).exclude(district_id__in=wanted).delete()
            CoveredDistrict.objects.bulk_create(
                CoveredDistrict(submission=locked, questionnaire_id=locked.questionnaire_id, district_id=pk)
                for pk in sorted(wanted - have)
            )
    except IntegrityError as error:
        if "covered_district_once_a_year" not in str(error):
            raise
        # Another office ticked the same district a moment ago.
        raise ValidationError(
            _("One of these districts was taken by another office meanwhile: open the page again.")
        ) from error
    return locked


def _check_coverage(locked: Submission, wanted: set[int], added: set[int]) -> None:
    """The rules of covered districts, said in words before the database would refuse."""
    own = locked.office.district_id
    if own is not None and wanted and own not in wanted:
        raise ValidationError(
            _("Tick your own district as well: the districts you also record for come in addition to it.")
        )
    taken = list(
        CoveredDistrict.objects.filter(questionnaire_id=locked.questionnaire_id, district_id__in=wanted)
        .exclude(submission=locked)
        .order_by("district__name_sort")
        .values_list("district__name_th", unit_name("submission__office__"))
    )
    if taken:
        raise ValidationError(
            [
                _("%(district)s is recorded by %(office)s this fiscal year.") % {"district": d, "office": o}
                for d, o in taken
            ]
        )
    others = added - {own}
    if not others:
        return
    # The offices about to be covered, locked so that none starts recording meanwhile (their saves
    # lock their own row and then find themselves covered).
    offices = list(
        Submission.objects.select_for_update(of=("self",))
        .filter(questionnaire_id=locked.questionnaire_id, office__district_id__in=others)
        .exclude(pk=locked.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    started = (
        Submission.objects.filter(pk__in=offices)
        .filter(Q(confirmed_at__isnull=False) | Q(answers__isnull=False) | Q(extra_items__isnull=False))
        .order_by("office__name_sort")
        .values_list(unit_name("office__"), "office__district__name_th")
        .distinct()
    )
    messages = [
        _(
            "%(office)s has already started its own record for this fiscal year, so %(district)s cannot be "
            "recorded together with yours. Agree with %(office)s and the province first."
        )
        % {"office": office, "district": district}
        for office, district in started
    ]
    if messages:
        raise ValidationError(messages)


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
    """Save one aspect as it stands: rows maps question id to (volume, days, hours) for the questions
    answered; a question left out has no answer afterwards (an answer emptied is removed). A
    half-finished aspect is saved so (its status is then incomplete); only a confirmation needs
    every aspect complete.

    ``stamp``: the answers' version the form was opened on; if another recorder of the office
    saved this aspect since, nothing is written (EditedMeanwhile). ``question_ids``: the aspect's
    questions when the caller has just read them (read here otherwise).
    """
    with transaction.atomic():
        locked = _locked_for_change(submission, by)
        saved = Answer.objects.filter(submission=locked, question__aspect=aspect)
        current = {qid: tuple(values) for qid, *values in saved.values_list(*STAMPED)}
        check_stamp(stamp, aspect_stamp((qid, *values) for qid, values in current.items()))
        if question_ids is None:
            question_ids = set(Question.objects.filter(aspect=aspect).values_list("pk", flat=True))
        if aspect.questionnaire_id != locked.questionnaire_id or not set(rows) <= question_ids:
            raise ValidationError(_("Answer the questions of this aspect only."))
        # Answers emptied on the form go; so do answers to questions corrected since (kept while
        # the submission was confirmed), which give way to the answers of their new versions.
        gone = [qid for qid in current if qid not in rows]
        if gone:
            saved.filter(question_id__in=gone).delete()
        # Only what is new or changed is written: an answer saved again as it was costs its row
        # no write, its triggers no work and the summary no refresh.
        Answer.objects.bulk_create(  # nothing at all to write is fine: an aspect saved as it was
            [
                Answer(submission=locked, question_id=qid, volume=volume, days=days, hours=hours)
                for qid, (volume, days, hours) in sorted(rows.items())
                if current.get(qid) != (volume, days, hours)
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
#
# The snapshot keeps what the province confirmed as it read then: the numbers and contact details,
# and also the texts and names around them (questions, units, aspect titles, the office's and the
# districts' names), so that the record reads the same after a correction or a renaming. What is
# checked against the data now are the facts only: numbers, contact details, district codes and
# question ids (aspect and order for records made before the ids were kept).


CONTACT_FIELDS = ("office_address", "office_phone", "contact_name", "contact_mobile", "contact_email")
EXTRA_FIELDS = ("description", "unit", "volume", "days", "hours")


ANSWER_VALUES = (
    "question__aspect__number", "question__aspect__title", "question_id", "question__order",
    "question__text", "question__unit", "volume", "days", "hours",
)  # fmt: skip


def snapshots_of(submissions) -> dict[int, dict]:
    """Everything the province confirms, per submission id, in a stable order, as plain JSON values:
    three queries for any number of submissions (loaded with their questionnaire and office)."""
    submissions = list(submissions)
    ids = [s.pk for s in submissions]
    answers = {pk: [] for pk in ids}
    for row in (
        Answer.objects.filter(submission__in=ids)
        .order_by("submission_id", "question__aspect__number", "question__order")
        .values_list("submission_id", *ANSWER_VALUES)
    ):
        submission_id, number, title, question_id, order, text, unit, volume, days, hours = row
        answers[submission_id].append(
            {
                "aspect": number,
                "aspect_title": title,
                "question_id": question_id,
                "order": order,
                "question": text,
                "unit": unit,
                "volume": volume,
                "days": str(days),
                "hours": hours,
            }
        )
    covered = {pk: {} for pk in ids}
    for submission_id, code, name in CoveredDistrict.objects.filter(submission__in=ids).values_list(
        "submission_id", "district__code", "district__name_th"
    ):
        covered[submission_id][code] = name
    extras = {pk: [] for pk in ids}
    for submission_id, *values in (
        ExtraItem.objects.filter(submission__in=ids)
        .order_by("submission_id", "created_at", "pk")
        .values_list("submission_id", *EXTRA_FIELDS)
    ):
        item = dict(zip(EXTRA_FIELDS, values, strict=True))
        item["days"] = str(item["days"])
        extras[submission_id].append(item)
    return {
        s.pk: {
            "fiscal_year": s.questionnaire.fiscal_year,
            "office": s.office.code,
            "office_name": s.office.name_th,
            "contact": {name: getattr(s, name) for name in CONTACT_FIELDS},
            "covered_districts": sorted(covered[s.pk]),
            "district_names": covered[s.pk],
            "answers": answers[s.pk],
            "extra_items": extras[s.pk],
        }
        for s in submissions
    }


def snapshot_of(submission: Submission) -> dict:
    return snapshots_of([submission])[submission.pk]


def digest_of(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The parts of a submission the province confirms, in the order of the version string.
PARTS = ("office", "contact", "covered", *(f"aspect{n}" for n in range(1, ASPECT_COUNT + 1)), "extras")


def _facts(snapshot: dict, question_ids: bool = True) -> dict:
    """The snapshot's data without its texts and names, by part."""
    facts = {
        "office": [snapshot["fiscal_year"], snapshot["office"]],
        "contact": snapshot["contact"],
        "covered": snapshot["covered_districts"],
        "extras": [[item[name] for name in EXTRA_FIELDS] for item in snapshot["extra_items"]],
    }
    facts.update({f"aspect{n}": [] for n in range(1, ASPECT_COUNT + 1)})
    for a in snapshot["answers"]:
        key = a.get("question_id") if question_ids else None
        facts[f"aspect{a['aspect']}"].append([key, a["order"], a["volume"], a["days"], a["hours"]])
    return facts


def _part_label(part: str) -> str:
    if part.startswith("aspect"):
        return _("aspect %(number)s") % {"number": part.removeprefix("aspect")}
    return {
        "office": _("the district office"),
        "contact": _("contact details"),
        "covered": _("districts covered"),
        "extras": _("office-specific items"),
    }[part]


def version_of(snapshot: dict) -> str:
    """What the confirmer looked at, part by part: a short fingerprint of each part's data."""
    facts = _facts(snapshot)
    return ".".join(stamp_of(facts[part])[:8] for part in PARTS)


def changed_since(seen: str, snapshot: dict) -> list[str] | None:
    """The parts (in words) whose data differs from the version ``seen``; None when ``seen`` is not
    a version (a page from before versions, or none given)."""
    now = version_of(snapshot).split(".")
    then = (seen or "").split(".")
    if len(then) != len(now):
        return None
    return [_part_label(part) for part, a, b in zip(PARTS, then, now, strict=True) if a != b]


@dataclass
class RecordCheck:
    sealed: bool  # the stored snapshot still gives the stored digest
    changed: list[str]  # the parts whose data is no longer what the snapshot holds

    @property
    def matches(self) -> bool:
        return self.sealed and not self.changed


def record_check(submission: Submission) -> RecordCheck:
    """The confirmation record checked: its snapshot against its digest, the data now against it."""
    stored = submission.snapshot
    with_ids = all("question_id" in a for a in stored["answers"])
    then, now = _facts(stored, with_ids), _facts(snapshot_of(submission), with_ids)
    return RecordCheck(
        sealed=digest_of(stored) == submission.digest,
        changed=[_part_label(part) for part in PARTS if then[part] != now[part]],
    )


class ChangedSinceSeen(ValidationError):
    """The district saved something after the confirmer opened the page."""

    def __init__(self, office, changed: list[str]):
        super().__init__(
            _(
                "%(office)s saved changes after you opened the page (%(parts)s): it has not been confirmed. "
                "Check the data as it is now and confirm again."
            )
            % {"office": office.name_th, "parts": ", ".join(changed)}
        )
        self.changed = changed


CONTACT_REQUIRED = ("office_address", "office_phone", "contact_name")


def confirm_blockers(submission: Submission, progress=None) -> list[str]:
    """What still stops a confirmation, each thing missing named; empty when the district may be
    confirmed. No query when ``progress`` is given and the submission came with_coverer()."""
    blockers = []
    if submission.confirmed_at:
        blockers.append(_("Already confirmed."))
    coverer = covered_by(submission)
    if coverer:
        blockers.append(
            _("Recorded together with %(office)s: confirming %(office)s confirms this district.")
            % {"office": coverer}
        )
        return blockers
    progress = progress or submission_progress([submission])[submission.pk]
    missing = [
        str(Submission._meta.get_field(name).verbose_name)
        for name in CONTACT_REQUIRED
        if not getattr(submission, name)
    ]
    if not (progress.anything_recorded or progress.covered_count) and len(missing) == len(CONTACT_REQUIRED):
        blockers.append(_("Nothing recorded yet: neither contact details nor any aspect."))
        return blockers
    if progress.missing_aspects:
        blockers.append(
            _("Aspects not complete yet: %(numbers)s.")
            % {"numbers": ", ".join(str(n) for n in progress.missing_aspects)}
        )
    if missing:
        blockers.append(_("Not filled in yet: %(fields)s.") % {"fields": ", ".join(missing)})
    if not progress.covered_count:
        blockers.append(_("The districts covered are not chosen."))
    return blockers


def submission_confirm(*, submission: Submission, by, seen: str | None = None) -> Submission:
    """Confirm and lock. ``seen``: the version (version_of) of the page the confirmer looked at; if
    the district saved anything since, nothing is confirmed (ChangedSinceSeen)."""
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .with_people()
            .with_coverer()
            .get(pk=submission.pk)
        )
        if not access.can(by, access.CONFIRM, locked):
            raise PermissionDenied
        blockers = confirm_blockers(locked)
        if blockers:
            raise ValidationError(blockers)
        snapshot = snapshot_of(locked)
        if seen is not None:
            changed = changed_since(seen, snapshot)
            if changed is None:
                raise ValidationError(
                    _(
                        "The page you confirmed from is out of date: check the data as it is now and "
                        "confirm again."
                    )
                )
            if changed:
                raise ChangedSinceSeen(locked.office, changed)
        locked.snapshot = snapshot
        locked.digest = digest_of(snapshot)
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = by
        locked.save()
    return locked


@dataclass
class ConfirmAll:
    confirmed: list[Submission] = field(default_factory=list)
    refused: list[tuple[Submission, list[str]]] = field(default_factory=list)


# More district offices than any province has: a tampered form cannot make a longer run.
MAX_CONFIRM_ALL = 200


def submissions_confirm_all(*, questionnaire: Questionnaire, province, by, seen: dict[int, str]):
    """Confirm the district offices the confirmer saw complete (``seen``: submission id → the
    version they looked at), each on its own: one refused leaves the others confirmed, and every
    one is reported, confirmed or not and why. Ids out of the confirmer's scope are ignored."""
    result = ConfirmAll()
    candidates = (
        Submission.objects.visible_to(by, access.CONFIRM)
        .filter(questionnaire=questionnaire, office__province=province, pk__in=list(seen)[:MAX_CONFIRM_ALL])
        .select_related("office")
        .order_by("office__name_sort")
    )
    for submission in candidates:
        try:
            confirmed = submission_confirm(submission=submission, by=by, seen=seen[submission.pk])
        except ValidationError as error:
            result.refused.append((submission, error.messages))
        except (PermissionDenied, Submission.DoesNotExist, DatabaseError):
            # A constraint, a lock timeout or a row gone: this district only, told as such.
            result.refused.append((submission, [_("It could not be confirmed now; try it again.")]))
        else:
            result.confirmed.append(confirmed)
    return result


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
            reopening_id = cursor.fetchone()[0]
        locked.refresh_from_db()
        _notify_reopened(locked, by=by, reason=reason, reopening_id=reopening_id)
    return locked


def _notify_reopened(submission: Submission, *, by, reason: str, reopening_id: int) -> None:
    """The district's recorders and the province's confirmers hear of a reopening, once each."""
    office = submission.office
    recipients = [
        user
        for user in [*access.district_recorders([office.pk]), *access.province_confirmers(office.province_id)]
        if user.pk != by.pk
    ]
    notify(
        recipients,
        Kind.DISTRICT_REOPENED,
        url=reverse("workload:status", args=[submission.questionnaire.fiscal_year, office.code]),
        params={"office": office.name_th, "fy": submission.questionnaire.fiscal_year, "reason": reason},
        event_key=f"district_reopened:{reopening_id}",
    )


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


def is_frozen(questionnaire: Questionnaire, today=None) -> bool:
    """Whether the questionnaire's aspects and questions are frozen: the pages' side of the rule
    that the database enforces (workload.models.FROZEN_QUESTIONNAIRE_SQL)."""
    today = today or timezone.localdate()
    return (
        questionnaire.opens_on <= today
        or Answer.objects.filter(submission__questionnaire=questionnaire).exists()
    )


def frozen_message(questionnaire: Questionnaire) -> str:
    return _(
        "Recording for fiscal year %(fy)s has opened, so its aspects and questions are fixed: a change "
        "of a question's text or counting unit is saved as a correction, a new version that district "
        "offices already confirmed do not follow. Titles, order and deletions cannot change."
    ) % {"fy": questionnaire.fiscal_year}


def question_correct(*, question: Question, by, text: str, unit: str) -> Question:
    """A new version of a question of a frozen questionnaire, with the same aspect and order.

    The old row is kept, retired, for the answers of the submissions confirmed on it (their record
    and their figures stay as confirmed); the answers of every other submission move to the new one.
    """
    if not access.may_correct_questions(by):
        raise PermissionDenied
    with transaction.atomic():
        old = Question.all_versions.select_for_update().get(pk=question.pk)
        if old.retired_at:
            raise ValidationError(_("This question has been corrected meanwhile: open the page again."))
        if (old.text, old.unit) == (text, unit):
            return old
        # Locked first, so that none of them is confirmed while its answer moves (a confirmation
        # under way is waited for, and then its submission is left out).
        moving = list(
            Submission.objects.select_for_update(of=("self",))
            .filter(confirmed_at__isnull=True, answers__question=old)
            .values_list("pk", flat=True)
        )
        Question.all_versions.filter(pk=old.pk).update(retired_at=timezone.now())
        new = Question(aspect_id=old.aspect_id, order=old.order, text=text, unit=unit, replaces=old)
        new.full_clean()
        new.save()
        Answer.objects.filter(question=old, submission_id__in=moving).update(question=new)
    return new


def current_versions(question_ids, aspect: Aspect) -> dict[int, int]:
    """Question id → the id of its current version, for answers given to an earlier version of a
    corrected question (a submission confirmed, then reopened after the correction)."""
    successor = dict(
        Question.all_versions.filter(aspect=aspect, replaces__isnull=False).values_list("replaces_id", "pk")
    )
    result = {}
    for qid in question_ids:
        current = qid
        while current in successor:
            current = successor[current]
        result[qid] = current
    return result


def aspect_questions_save(*, aspect: Aspect, by, title_form, formset) -> None:
    """Save an aspect's title and its questions; answered questions cannot be deleted. In a frozen
    questionnaire, changed questions are corrected (question_correct) and new ones added; nothing
    else may change."""
    if not access.can(by, access.CHANGE, aspect.questionnaire):
        raise PermissionDenied
    try:
        with transaction.atomic():
            if is_frozen(aspect.questionnaire):
                _frozen_questions_save(aspect=aspect, by=by, title_form=title_form, formset=formset)
                return
            title_form.save()
            for form in formset.deleted_forms:
                if form.instance.pk and form.instance.answers.exists():
                    raise ValidationError(
                        _("Question %(order)s already has answers and cannot be deleted.")
                        % {"order": form.instance.order}
                    )
            formset.save()
    except IntegrityError as error:
        if "frozen" not in str(error):
            raise
        # The window opened (or a district was confirmed) after the page was read.
        raise ValidationError(frozen_message(aspect.questionnaire)) from error


def _frozen_questions_save(*, aspect, by, title_form, formset) -> None:
    if title_form.has_changed():
        raise ValidationError(frozen_message(aspect.questionnaire))
    for form in formset.forms:
        if not form.has_changed():
            continue
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk:
                raise ValidationError(frozen_message(aspect.questionnaire))
            continue
        if not form.instance.pk:
            form.instance.aspect = aspect
            form.save()
        elif set(form.changed_data) - {"text", "unit"}:
            raise ValidationError(frozen_message(aspect.questionnaire))
        else:
            question_correct(
                question=form.instance, by=by, text=form.cleaned_data["text"], unit=form.cleaned_data["unit"]
            )


# --- reminders and the national picture ------------------------------------------


@dataclass
class Reminders:
    """What a reminder run did, office by office."""

    reminded: list = field(default_factory=list)  # offices whose recorders were notified now
    already: list = field(default_factory=list)  # offices reminded of this before (same event)
    # (submission, why): offices no e-mail can reach; those with an account still see the bell.
    unreachable: list = field(default_factory=list)


def incomplete_submissions(questionnaire: Questionnaire, **filters) -> list[Submission]:
    """The submissions not confirmed and not complete, those never started included; an office
    recorded together with another (covered) has nothing of its own to complete. ``filters`` narrow
    the year's figures rows (``SubmissionFigures.objects.awaiting_confirmation``; a row's pk is its
    submission's). Two queries."""
    rows = SubmissionFigures.objects.awaiting_confirmation(questionnaire).filter(**filters)
    rows = list(rows.order_by("office__province__name_sort", "office__name_sort"))
    totals = question_totals(questionnaire)
    return [
        submission
        for row, submission in zip(rows, reviewed_submissions(rows, questionnaire), strict=True)
        if not (row.covered_by_id or row.progress(totals).all_complete)
    ]


def remind_incomplete(*, submissions, event_key: str) -> Reminders:
    """Notify the recorders of each incomplete district office (in the site, and by e-mail where
    they have a verified address and keep e-mail on), once per ``event_key``.

    Every office is covered, those that never started too; an office without a recorder account,
    or whose recorders have no verified address, is listed in ``unreachable`` instead of being
    skipped silently. The contact e-mail typed on the contact page is not mailed: nobody has
    verified it (``User.email`` is the address the system mails).
    """
    submissions = list(submissions)
    recorders: dict[int, list] = {}
    for user in access.district_recorders(s.office_id for s in submissions).only(
        "pk", "is_active", "email", "email_notifications", "org_unit_id"
    ):
        recorders.setdefault(user.org_unit_id, []).append(user)
    result = Reminders()
    for submission in submissions:
        people = recorders.get(submission.office_id, [])
        questionnaire = submission.questionnaire
        notified = notify(
            people,
            Kind.WORKLOAD_DUE,
            url=reverse("workload:status", args=[questionnaire.fiscal_year, submission.office.code]),
            params={
                "office": submission.office.name_th,
                "fy": questionnaire.fiscal_year,
                "closes": questionnaire.closes_on.isoformat(),
            },
            event_key=event_key,
        )
        if not people:
            result.unreachable.append((submission, _("no recorder account")))
        elif not any(user.email for user in people):
            result.unreachable.append((submission, _("no recorder with a verified e-mail address")))
        if notified:
            result.reminded.append(submission)
        elif people:
            result.already.append(submission)
    return result
