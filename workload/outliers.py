"""Outlier flags on district answers, for the province's review (statistic: tracking.outliers).

Peers: the same question answered by every other district office of the country in the same
fiscal year, not only those of the province. A province has 3 to 50 district offices, too few
in many provinces for a median to mean much, and every district office does the same duties
under the same law; the median and MAD come from PostgreSQL (878 offices × ~120 questions stay
in the database). History: the same office's answer to the same question (same aspect number
and order) in the previous fiscal year.

Two values of each answer are compared: the yearly volume, and the time one unit takes in hours
(days × the questionnaire's working hours per day + hours; answers with a volume of 0 are left
out of its peers, their time means nothing).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracking.caching import cached
from tracking.outliers import Comparison, Flag, group_stats, history_flag, peer_flag, same_value
from workload.models import Answer, AnswerCheck, Question, Submission
from workload.selectors import figures_version

VOLUME, TIME = AnswerCheck.Measure.VOLUME, AnswerCheck.Measure.TIME
# Yearly volumes below this are small counts: a rise from 2 to 7 is no news.
VOLUME_FLOOR = 10

OTHER_DISTRICTS = Comparison(
    high=gettext_lazy("%(ratio)s times the median of other district offices"),
    low=gettext_lazy("%(percent)s%% below the median of other district offices"),
    far_high=gettext_lazy("Far above the median of other district offices (%(reference)s)"),
)
LAST_YEAR = Comparison(
    high=gettext_lazy("%(ratio)s times last year's value"),
    low=gettext_lazy("%(percent)s%% below last year's value"),
    far_high=gettext_lazy("Far above last year's value (%(reference)s)"),
)

VALUE = DecimalField(max_digits=20, decimal_places=4)
# One question across versions and fiscal years: its aspect's number and its order.
QUESTION_KEY = ExpressionWrapper(
    F("question__aspect__number") * 1000 + F("question__order"), output_field=VALUE
)


def _per_unit(hours_per_day):
    return ExpressionWrapper(
        F("days") * Value(Decimal(hours_per_day), output_field=VALUE) + F("hours"), output_field=VALUE
    )


@dataclass
class AnswerFlag:
    """One value of one answer that is flagged, and the check made on it (if any)."""

    submission_id: int
    question: object
    measure: str
    value: Decimal
    flags: list[Flag] = field(default_factory=list)
    check: AnswerCheck | None = None

    @property
    def checked(self) -> bool:
        return self.check is not None and same_value(self.check.value, self.value)

    @property
    def reasons(self) -> list[str]:
        return [flag.reason for flag in self.flags]

    @property
    def subject(self) -> str:
        """What the check form posts to name this value."""
        return f"{self.question.pk}:{self.measure}"

    @property
    def measure_label(self) -> str:
        return AnswerCheck.Measure(self.measure).label


def _stats(questionnaire, aspect=None) -> dict:
    """The peers' median, MAD and count of each question (of one aspect when given), per measure.

    Computed by PostgreSQL over every office's answers of the year (about 100,000 rows at full
    scale: too much to repeat for every page), then kept in the page cache under the version of the year's
    figures, which changes in the same transaction as any answer: never stale, recomputed only
    after a change.
    """

    def compute():
        peers = Answer.objects.filter(submission__questionnaire=questionnaire)
        if aspect is not None:
            peers = peers.filter(question__aspect__number=aspect.number)
        peers = peers.annotate(key=QUESTION_KEY)
        return {
            VOLUME: group_stats(peers, "key", "volume"),
            TIME: group_stats(
                peers.filter(volume__gt=0).annotate(per_unit=_per_unit(questionnaire.hours_per_day)),
                "key",
                "per_unit",
            ),
        }

    return cached(
        ("outlier-stats", figures_version(questionnaire), aspect.number if aspect else None), compute
    )


def _last_year(questionnaire, submissions, aspect=None) -> dict:
    """(office id, question key) → {measure: value} of the previous fiscal year's answers."""
    rows = Answer.objects.filter(
        submission__questionnaire__fiscal_year=questionnaire.fiscal_year - 1,
        submission__office_id__in={s.office_id for s in submissions},
    )
    if aspect is not None:
        rows = rows.filter(question__aspect__number=aspect.number)
    rows = rows.annotate(
        key=QUESTION_KEY,
        per_unit=ExpressionWrapper(
            F("days") * F("submission__questionnaire__hours_per_day") + F("hours"), output_field=VALUE
        ),
    ).values_list("submission__office_id", "key", "volume", "per_unit")
    return {(office, int(key)): {VOLUME: volume, TIME: per_unit} for office, key, volume, per_unit in rows}


def answer_flags(questionnaire, submissions, aspect=None) -> dict[int, list[AnswerFlag]]:
    """The flagged values of the submissions' answers (of one aspect when given), by submission id:
    five queries, however many submissions and peers, and two more when the peers' statistics are
    not in the cache."""
    submissions = list(submissions)
    result: dict[int, list[AnswerFlag]] = {s.pk: [] for s in submissions}
    if not submissions:
        return result
    stats = _stats(questionnaire, aspect)
    last_year = _last_year(questionnaire, submissions, aspect)
    office_of = {s.pk: s.office_id for s in submissions}
    # Plain values: a province reviews thousands of answers, of which a few are flagged; the
    # questions (with their aspect) are the questionnaire's, read once.
    answers = Answer.objects.filter(submission__in=submissions)
    questions = Question.objects.filter(aspect__questionnaire=questionnaire).select_related("aspect")
    if aspect is not None:
        answers = answers.filter(question__aspect=aspect)
        questions = questions.filter(aspect=aspect)
    questions = {question.pk: question for question in questions}
    checks = {
        (c.submission_id, c.question_id, c.measure): c
        for c in AnswerCheck.objects.filter(submission__in=submissions).select_related("checked_by")
    }
    rows = answers.order_by("question__aspect__number", "question__order").values_list(
        "submission_id", "question_id", "volume", "days", "hours"
    )
    for submission_id, question_id, volume, days, hours in rows:
        question = questions[question_id]
        key = question.aspect.number * 1000 + question.order
        values = {VOLUME: Decimal(volume)}
        if volume:
            values[TIME] = days * questionnaire.hours_per_day + hours
        before = last_year.get((office_of[submission_id], key), {})
        for measure, value in values.items():
            flags = [
                peer_flag(value, stats[measure].get(key), OTHER_DISTRICTS),
                history_flag(
                    value, before.get(measure), LAST_YEAR, floor=VOLUME_FLOOR if measure == VOLUME else 0
                ),
            ]
            flags = [f for f in flags if f is not None]
            if flags:
                check = checks.get((submission_id, question_id, measure))
                result[submission_id].append(
                    AnswerFlag(submission_id, question, measure, value, flags, check)
                )
    return result


def unchecked_counts(flags: dict[int, list[AnswerFlag]]) -> dict[int, int]:
    return {pk: sum(not f.checked for f in items) for pk, items in flags.items()}


def by_question(flags: list[AnswerFlag]) -> dict[int, list[AnswerFlag]]:
    result: dict[int, list[AnswerFlag]] = {}
    for flag in flags:
        result.setdefault(flag.question.pk, []).append(flag)
    return result


def answer_check_save(*, submission: Submission, subject: str, seen: Decimal, note: str, by) -> AnswerCheck:
    """Mark one flagged value (``subject``: "<question id>:<measure>") as checked at the value the
    reviewer saw; refused if it changed since or is not flagged (any more)."""
    with transaction.atomic():
        flagged = {f.subject: f for f in answer_flags(submission.questionnaire, [submission])[submission.pk]}
        item = flagged.get(subject)
        if item is None:
            raise ValidationError(_("This value is not flagged."))
        if not same_value(item.value, seen):
            raise ValidationError(_("The value has changed since the page was opened: look at it again."))
        check, _created = AnswerCheck.objects.update_or_create(
            submission=submission,
            question=item.question,
            measure=item.measure,
            defaults={"value": item.value, "note": note, "checked_by": by},
        )
        return check
