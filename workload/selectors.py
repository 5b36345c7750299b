"""Reads of the workload flow: statuses and hours from the submissions' figures (kept by PostgreSQL
from the answers), a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q, Value

from tracking.prepared import PreparedValues
from workload.models import ASPECT_COUNT, Answer, Question, SubmissionFigures

COMPLETE, INCOMPLETE, EMPTY = "complete", "incomplete", "empty"
# An office whose district another office records this year (its districts covered).
COVERED = "covered"
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
    def missing_aspects(self) -> list[int]:
        """The numbers of the aspects not complete yet (an aspect without questions never is)."""
        return [
            number
            for number, (status, total) in enumerate(zip(self.statuses, self.totals, strict=True), start=1)
            if status != COMPLETE or total == 0
        ]

    @property
    def all_complete(self) -> bool:
        """THE rule for a complete submission, the one confirmation applies: every aspect has
        questions and every one of them is answered. complete_condition() is its SQL form."""
        return not self.missing_aspects

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


def question_totals(questionnaire) -> list[int]:
    """The number of (current) questions of aspects 1–8 of one questionnaire (or its id)."""
    totals = [0] * ASPECT_COUNT
    for row in QUESTION_COUNTS(questionnaire=getattr(questionnaire, "pk", questionnaire)):
        totals[row["aspect__number"] - 1] = row["n"]
    return totals


def complete_condition(totals: list[int]) -> Q:
    """Progress.all_complete as a condition on SubmissionFigures rows, for counting in SQL:
    every aspect has questions and has as many answers as questions."""
    if not totals or not all(total > 0 for total in totals):
        return Q(pk__isnull=True)  # never: an aspect without questions is never complete
    return Q(**{f"answered_by_aspect__{index}__gte": total for index, total in enumerate(totals)})


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
