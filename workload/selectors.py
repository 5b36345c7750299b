"""Reads of the workload flow: statuses and hours from the submissions' figures (kept by PostgreSQL
from the answers), a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Value

from tracking.prepared import PreparedValues
from workload.models import ASPECT_COUNT, Answer, Question, SubmissionFigures

COMPLETE, INCOMPLETE, EMPTY = "complete", "incomplete", "empty"
HOURS = DecimalField(max_digits=20, decimal_places=2)


def hours_expression(hours_per_day):
    """volume × (days × working hours per day + hours): the yearly hours of one row.

    ``hours_per_day``: the questionnaire's figure, or an expression that reads it.
    """
    if not hasattr(hours_per_day, "resolve_expression"):
        hours_per_day = Value(Decimal(hours_per_day), output_field=HOURS)
    per_unit = F("days") * hours_per_day + F("hours")
    return ExpressionWrapper(F("volume") * per_unit, output_field=HOURS)


@dataclass
class Progress:
    answered: list[int] = field(default_factory=lambda: [0] * ASPECT_COUNT)
    totals: list[int] = field(default_factory=lambda: [0] * ASPECT_COUNT)
    covered_count: int = 0

    @property
    def statuses(self) -> list[str]:
        result = []
        for answered, total in zip(self.answered, self.totals, strict=True):
            if answered == 0:
                result.append(EMPTY)
            elif answered >= total:
                result.append(COMPLETE)
            else:
                result.append(INCOMPLETE)
        return result

    @property
    def all_complete(self) -> bool:
        return all(total > 0 for total in self.totals) and all(s == COMPLETE for s in self.statuses)

    @property
    def complete_count(self) -> int:
        return self.statuses.count(COMPLETE)

    @property
    def anything_recorded(self) -> bool:
        return any(self.answered)


# What an aspect's edit stamp is made of (workload.services.aspect_stamp).
STAMPED = ("question_id", "volume", "days", "hours")
# An aspect's saved answers with their yearly hours, the SQL built once per process.
ASPECT_ANSWERS = PreparedValues(
    lambda submission, aspect: Answer.objects.filter(submission=submission, question__aspect=aspect).values(
        *STAMPED, total_hours=hours_expression(F("submission__questionnaire__hours_per_day"))
    )
)


def figures_version(questionnaire) -> tuple:
    """Changes whenever any submission's figures of the year change (for caching rendered pages)."""
    summary = SubmissionFigures.objects.filter(questionnaire=questionnaire).aggregate(
        version=Max("version"), rows=Count("pk")
    )
    return (questionnaire.pk, summary["version"], summary["rows"])


def figures_of(submissions, figures=None) -> dict:
    """The submissions' figures by submission id: those given (loaded with select_related("figures")),
    else one query."""
    if figures is None:
        figures = {f.submission_id: f for f in SubmissionFigures.objects.filter(submission__in=submissions)}
    return figures


def _question_counts(**filters):
    return (
        Question.objects.filter(**filters)
        .values("aspect__questionnaire_id", "aspect__number")
        .annotate(n=Count("pk"))
    )


# The questions of each aspect of one questionnaire, the SQL built once per process.
QUESTION_COUNTS = PreparedValues(
    lambda questionnaire: _question_counts(aspect__questionnaire_id=questionnaire)
)


def submission_progress(submissions, figures=None) -> dict[int, Progress]:
    """Per submission, answered and total questions of each aspect: two queries for any number
    (one when ``figures`` come loaded)."""
    submissions = list(submissions)
    questionnaire_ids = {s.questionnaire_id for s in submissions}
    totals: dict[int, list[int]] = {qid: [0] * ASPECT_COUNT for qid in questionnaire_ids}
    if len(questionnaire_ids) == 1:  # nearly always: one year's page
        counts = QUESTION_COUNTS(questionnaire=next(iter(questionnaire_ids)))
    else:
        counts = _question_counts(aspect__questionnaire_id__in=questionnaire_ids)
    for row in counts:
        totals[row["aspect__questionnaire_id"]][row["aspect__number"] - 1] = row["n"]
    progress = {s.pk: Progress(totals=list(totals[s.questionnaire_id])) for s in submissions}
    for submission_id, row in figures_of(submissions, figures).items():
        progress[submission_id].answered = list(row.answered_by_aspect)
        progress[submission_id].covered_count = row.covered_count
    return progress


@dataclass
class Workload:
    by_aspect: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * ASPECT_COUNT)
    extra: Decimal = Decimal(0)
    yearly_hours: Decimal = Decimal(1)

    @property
    def total(self) -> Decimal:
        return sum(self.by_aspect, Decimal(0)) + self.extra

    @property
    def fte(self) -> Decimal:
        """Full-time-equivalent staff: total hours ÷ a person's working hours in a year."""
        return (self.total / self.yearly_hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def submission_workload(submissions, figures=None) -> dict[int, Workload]:
    """Hours per aspect and of extra items, from the submissions' figures: one query for any number
    (none when ``figures`` come loaded)."""
    submissions = list(submissions)
    result = {s.pk: Workload(yearly_hours=s.questionnaire.yearly_hours) for s in submissions}
    for submission_id, row in figures_of(submissions, figures).items():
        result[submission_id].by_aspect = list(row.hours_by_aspect)
        result[submission_id].extra = row.extra_hours
    return result
