"""Reads of the workload flow: statuses and hours from the submissions' figures (kept by PostgreSQL
from the answers), a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, ExpressionWrapper, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import Province
from tracking.caching import newest
from tracking.thaicalendar import ratio
from workload.models import (
    ASPECT_COUNT,
    Answer,
    AnswerCheck,
    Aspect,
    Question,
    Questionnaire,
    Submission,
    SubmissionFigures,
    hours_field,
)

COMPLETE, INCOMPLETE, EMPTY = "complete", "incomplete", "empty"
# An office whose district another office records this year (its districts covered).
COVERED = "covered"
HOURS = hours_field()


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


def aspect_answers(submission, aspect) -> list[dict]:
    """An aspect's saved answers (the STAMPED fields) with their yearly hours (``total_hours``), for
    a submission loaded with its questionnaire (whose working hours a day the hours take)."""
    return list(
        Answer.objects.filter(submission=submission, question__aspect=aspect).values(
            *STAMPED, total_hours=hours_expression(submission.questionnaire.hours_per_day)
        )
    )


def fte(hours, yearly_hours) -> Decimal | None:
    """THE full-time-equivalent staff: hours ÷ a person's working hours in a year (two decimals,
    half up); None without a base."""
    return ratio(hours, yearly_hours)


def _figures_state(figures) -> tuple[Subquery, Subquery]:
    """The newest version of ``figures`` rows and their number, as two scalar subqueries: together
    they change whenever any of those figures change (a new number from the summaries' sequence, or
    a row gone)."""
    rows = Subquery(figures.order_by().annotate(rows=Func(F("pk"), function="COUNT")).values("rows"))
    return newest(figures, "version"), rows


def figures_version(questionnaire) -> tuple:
    """Changes whenever any submission's figures of the year change (for caching rendered pages)."""
    state = _figures_state(SubmissionFigures.objects.filter(questionnaire=questionnaire))
    return (questionnaire.pk, *Questionnaire.objects.filter(pk=questionnaire.pk).values_list(*state).get())


def review_version(questionnaire, province) -> tuple:
    """Changes whenever anything a province's review shows changes, names aside (one query): the
    figures of the year and of the last (answers, extra items, districts covered, confirmations,
    questions; the outlier flags compare with every office's answers and with last year's), and
    the history of the province's submissions (contact details) and of the checks made on them,
    which PostgreSQL writes for every change, however made."""
    figures = SubmissionFigures.objects.filter(
        questionnaire__fiscal_year__in=(questionnaire.fiscal_year - 1, questionnaire.fiscal_year)
    )
    own = {"questionnaire": questionnaire, "office__province": province}
    theirs = {"submission__questionnaire": questionnaire, "submission__office__province": province}
    return (
        Questionnaire.objects.filter(pk=questionnaire.pk)
        .values_list(
            *_figures_state(figures),
            newest(Submission.events.field.model.objects.filter(**own)),
            newest(AnswerCheck.events.field.model.objects.filter(**theirs)),
        )
        .get()
    )


def figures_of(submissions, figures=None) -> dict:
    """The submissions' figures by submission id: those given (loaded with select_related("figures")),
    else one query."""
    if figures is None:
        figures = {f.submission_id: f for f in SubmissionFigures.objects.filter(submission__in=submissions)}
    return figures


def district_figures(user, submission) -> dict:
    """One district office's figures as figures_of() gives them, read within what ``user`` may see."""
    return {f.submission_id: f for f in SubmissionFigures.objects.visible_to(user).for_district(submission)}


def _question_counts(**filters):
    return (
        Question.objects.filter(**filters)
        .values("aspect__questionnaire_id", "aspect__number")
        .annotate(n=Count("pk"))
    )


def question_totals(questionnaire) -> list[int]:
    """The number of (current) questions of aspects 1–8 of one questionnaire (or its id)."""
    totals = [0] * ASPECT_COUNT
    for row in _question_counts(aspect__questionnaire_id=getattr(questionnaire, "pk", questionnaire)):
        totals[row["aspect__number"] - 1] = row["n"]
    return totals


def complete_condition(totals: list[int]) -> Q:
    """Progress.all_complete as a condition on SubmissionFigures rows, for counting in SQL:
    every aspect has questions and has as many answers as questions."""
    if not totals or not all(total > 0 for total in totals):
        return Q(pk__isnull=True)  # never: an aspect without questions is never complete
    return Q(**{f"answered_by_aspect__{index}__gte": total for index, total in enumerate(totals)})


def menu_aspects(questionnaire) -> list[Aspect]:
    """A questionnaire's aspects in order, each with ``question_count`` (its current questions): an
    office page's menu and the totals of its statuses (submission_progress) in one query."""
    # Counted through Question.objects, which keeps only the current questions.
    counts = Question.objects.filter(aspect=OuterRef("pk")).order_by().values("aspect")
    counts = counts.annotate(n=Count("pk"))
    return list(
        Aspect.objects.filter(questionnaire=questionnaire)
        .order_by("number")
        .annotate(question_count=Coalesce(Subquery(counts.values("n")), 0))
    )


def submission_progress(submissions, figures=None, aspects=None) -> dict[int, Progress]:
    """Per submission, answered and total questions of each aspect: two queries for any number
    (one when ``figures`` come loaded, none more when the submissions' questionnaire's ``aspects``
    come from menu_aspects())."""
    submissions = list(submissions)
    questionnaire_ids = {s.questionnaire_id for s in submissions}
    totals: dict[int, list[int]] = {qid: [0] * ASPECT_COUNT for qid in questionnaire_ids}
    if aspects is not None and questionnaire_ids == {a.questionnaire_id for a in aspects}:
        for aspect in aspects:
            totals[aspect.questionnaire_id][aspect.number - 1] = aspect.question_count
    else:
        for row in _question_counts(aspect__questionnaire_id__in=questionnaire_ids):
            totals[row["aspect__questionnaire_id"]][row["aspect__number"] - 1] = row["n"]
    progress = {s.pk: Progress(totals=list(totals[s.questionnaire_id])) for s in submissions}
    by_id = {s.pk: s for s in submissions}
    for submission_id, row in figures_of(submissions, figures).items():
        progress[submission_id] = row.progress(totals[by_id[submission_id].questionnaire_id])
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
        return fte(self.total, self.yearly_hours)


def submission_workload(submissions, figures=None) -> dict[int, Workload]:
    """Hours per aspect and of extra items, from the submissions' figures: one query for any number
    (none when ``figures`` come loaded)."""
    submissions = list(submissions)
    result = {s.pk: Workload(yearly_hours=s.questionnaire.yearly_hours) for s in submissions}
    for submission_id, row in figures_of(submissions, figures).items():
        result[submission_id] = row.workload(result[submission_id].yearly_hours)
    return result


def national_overview(user, questionnaire) -> list[dict]:
    """Per province (Bangkok has no district offices): SubmissionFiguresQuerySet.status_counts() of
    the year's district offices this user may see. One grouped query, whatever the number of districts."""
    grouped = SubmissionFigures.objects.visible_to(user).for_national_overview(questionnaire)
    by_province = {row.pop("office__province_id"): row for row in grouped}
    empty = dict.fromkeys(("offices", "covered", "recorded", "complete", "confirmed"), 0)
    return [
        {"province": province, **by_province.get(province.pk, empty)}
        for province in Province.objects.filter(is_bangkok=False)
    ]


def aspect_totals(user, questionnaire) -> list[dict]:
    """Per aspect of the year, the sums of answers given and of yearly hours (and their FTE) over the
    district offices this user may see: one query over the figures."""
    sums = SubmissionFigures.objects.visible_to(user).filter(questionnaire=questionnaire).aspect_sums()
    rows = []
    for aspect in questionnaire.aspects.all():
        answers, hours = sums[aspect.number - 1]
        staff = fte(hours, questionnaire.yearly_hours)
        rows.append({"aspect": aspect, "answers": answers, "hours": hours, "fte": staff})
    return rows
