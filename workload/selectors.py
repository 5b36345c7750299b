"""Reads of the workload flow: statuses and hours computed in SQL, a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce

from workload.models import ASPECT_COUNT, Answer, CoveredDistrict, ExtraItem, Question

COMPLETE, INCOMPLETE, EMPTY = "complete", "incomplete", "empty"
HOURS = DecimalField(max_digits=20, decimal_places=2)


def hours_expression(hours_per_day):
    """volume × (days × working hours per day + hours): the yearly hours of one row."""
    per_unit = F("days") * Value(Decimal(hours_per_day), output_field=HOURS) + F("hours")
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


def submission_progress(submissions) -> dict[int, Progress]:
    """Per submission, answered and total questions of each aspect: three queries for any number."""
    submissions = list(submissions)
    ids = [s.pk for s in submissions]
    questionnaire_ids = {s.questionnaire_id for s in submissions}
    totals: dict[int, list[int]] = {qid: [0] * ASPECT_COUNT for qid in questionnaire_ids}
    for row in (
        Question.objects.filter(aspect__questionnaire_id__in=questionnaire_ids)
        .values("aspect__questionnaire_id", "aspect__number")
        .annotate(n=Count("pk"))
    ):
        totals[row["aspect__questionnaire_id"]][row["aspect__number"] - 1] = row["n"]
    progress = {s.pk: Progress(totals=list(totals[s.questionnaire_id])) for s in submissions}
    for row in (
        Answer.objects.filter(submission_id__in=ids)
        .values("submission_id", "question__aspect__number")
        .annotate(n=Count("pk"))
    ):
        progress[row["submission_id"]].answered[row["question__aspect__number"] - 1] = row["n"]
    for row in (
        CoveredDistrict.objects.filter(submission_id__in=ids).values("submission_id").annotate(n=Count("pk"))
    ):
        progress[row["submission_id"]].covered_count = row["n"]
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


def submission_workload(submissions) -> dict[int, Workload]:
    """Hours per aspect and extra items, summed in SQL: two queries for any number of submissions."""
    submissions = list(submissions)
    result = {s.pk: Workload(yearly_hours=s.questionnaire.yearly_hours) for s in submissions}
    per_day = {s.pk: s.questionnaire.hours_per_day for s in submissions}
    by_questionnaire: dict[Decimal, list[int]] = {}
    for s in submissions:
        by_questionnaire.setdefault(per_day[s.pk], []).append(s.pk)
    for hours_per_day, ids in by_questionnaire.items():
        for row in (
            Answer.objects.filter(submission_id__in=ids)
            .values("submission_id", "question__aspect__number")
            .annotate(h=Coalesce(Sum(hours_expression(hours_per_day)), Value(Decimal(0)), output_field=HOURS))
        ):
            result[row["submission_id"]].by_aspect[row["question__aspect__number"] - 1] = row["h"]
        for row in (
            ExtraItem.objects.filter(submission_id__in=ids)
            .values("submission_id")
            .annotate(h=Coalesce(Sum(hours_expression(hours_per_day)), Value(Decimal(0)), output_field=HOURS))
        ):
            result[row["submission_id"]].extra = row["h"]
    return result
