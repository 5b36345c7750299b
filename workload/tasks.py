"""A DLA person's tasks for the home page: a district office's aspects to complete before the
window closes, a province's offices to confirm or still behind, the DLA's questionnaire of the year.

Each office's figures come from ``SubmissionFigures.objects.visible_to(user, …)`` (``for_office``,
``awaiting_confirmation``); "complete" and "may be confirmed" are the rules confirmation itself
uses (the row's ``Progress``, ``services.confirm_blockers``); a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import access
from tracking.tasks import SHOWN, Card, Item
from tracking.thaicalendar import fiscal_year, format_date
from workload.models import ASPECT_COUNT, Questionnaire, SubmissionFigures, reviewed_submissions
from workload.selectors import COMPLETE, EMPTY, Progress, question_totals
from workload.services import confirm_blockers, current_questionnaire


def _window(questionnaire: Questionnaire, today: dt.date) -> str:
    if today < questionnaire.opens_on:
        return _("Recording opens on %(date)s") % {"date": format_date(questionnaire.opens_on)}
    if today > questionnaire.closes_on:
        return _("Recording closed on %(date)s") % {"date": format_date(questionnaire.closes_on)}
    return _("Recording closes on %(date)s") % {"date": format_date(questionnaire.closes_on)}


def aspects_to_complete(user, questionnaire: Questionnaire, today: dt.date) -> Card:
    """The district office's aspects not complete this year (none once confirmed): three queries."""
    office = user.org_unit
    row = SubmissionFigures.objects.visible_to(user).for_office(questionnaire, office).first()
    aspects = list(questionnaire.aspects.all())
    totals = question_totals(questionnaire)
    progress = Progress(totals=totals) if row is None else row.progress(totals)
    statuses = progress.statuses
    fy = questionnaire.fiscal_year
    items = []
    if row is None or not row.is_confirmed:
        for aspect in aspects:
            status = statuses[aspect.number - 1]
            if status == COMPLETE:
                continue
            url = (
                reverse("workload:aspect", args=[fy, office.code, aspect.number])
                if row is not None
                else reverse("workload:index")
            )
            note = (
                _("Nothing recorded yet")
                if status == EMPTY
                else _("%(answered)s of %(total)s questions answered")
                % {
                    "answered": progress.answered[aspect.number - 1],
                    "total": progress.totals[aspect.number - 1],
                }
            )
            items.append(
                Item(
                    label=_("Aspect %(number)s: %(title)s")
                    % {"number": aspect.number, "title": aspect.title},
                    url=url,
                    note=note,
                )
            )
    return Card(
        key="aspects_to_complete",
        title=_("Aspects not yet complete (fiscal year %(fy)s)") % {"fy": fy},
        count=len(items),
        url=reverse("workload:index"),
        link_label=_("Open the office's workload record"),
        items=tuple(items[:ASPECT_COUNT]),
        due=questionnaire.closes_on,
        due_label=_window(questionnaire, today),
        note=_("%(complete)s of %(total)s aspects complete")
        % {"complete": progress.complete_count, "total": ASPECT_COUNT},
        order=10,
    )


def province_cards(user, questionnaire: Questionnaire, today: dt.date) -> list[Card]:
    """The province's district offices that may be confirmed now, and those that cannot yet with
    what is missing: two queries for the whole province."""
    rows = SubmissionFigures.objects.visible_to(user, access.CONFIRM).awaiting_confirmation(questionnaire)
    totals = question_totals(questionnaire)
    rows = list(rows.order_by("office__name_sort"))
    submissions = reviewed_submissions(rows, questionnaire)
    progress = {row.submission_id: row.progress(totals) for row in rows}
    fy = questionnaire.fiscal_year
    waiting, behind = [], []
    for submission in submissions:
        if submission.covered_by_id:
            continue  # recorded together with another office: nothing of its own to do
        blockers = confirm_blockers(submission, progress[submission.pk])
        (behind if blockers else waiting).append((submission, blockers))
    behind.sort(key=lambda row: progress[row[0].pk].complete_count)
    if submissions:
        url = reverse("workload:province", args=[fy, submissions[0].office.province.code])
    else:
        url = reverse("workload:index")

    def item(submission, blockers):
        done = progress[submission.pk]
        return Item(
            label=str(submission.office),
            url=reverse("workload:status", args=[fy, submission.office.code]),
            note=_("%(complete)s of %(total)s aspects complete")
            % {"complete": done.complete_count, "total": ASPECT_COUNT},
            # With every aspect complete, what else stops the confirmation (contact details,
            # districts covered); otherwise the count of aspects says it.
            reason=" ".join(str(blocker) for blocker in blockers) if done.all_complete else "",
        )

    window = _window(questionnaire, today)
    return [
        Card(
            key="districts_to_confirm",
            title=_("District offices complete and waiting for your confirmation"),
            count=len(waiting),
            url=url,
            link_label=_("Open the province's review"),
            items=tuple(item(*row) for row in waiting[:SHOWN]),
            due=questionnaire.closes_on,
            due_label=window,
            order=20,
        ),
        Card(
            key="districts_behind",
            title=_("District offices not yet complete"),
            count=len(behind),
            url=url,
            link_label=_("Open the province's review"),
            items=tuple(item(*row) for row in behind[:SHOWN]),
            due=questionnaire.closes_on,
            due_label=window,
            order=30,
        ),
    ]


def questionnaire_to_prepare(user, today: dt.date) -> Card:
    """The DLA's questionnaire of this fiscal year, when it does not exist yet: one query."""
    fy = fiscal_year(today)
    missing = not Questionnaire.objects.filter(fiscal_year=fy).exists()
    return Card(
        key="questionnaire_to_prepare",
        title=_("The questionnaire of fiscal year %(fy)s is not prepared yet") % {"fy": fy},
        count=int(missing),
        url=reverse("workload:questionnaires"),
        link_label=_("Open the questionnaires"),
        note=_("Create it by copying last year's, and set the recording window."),
        order=40,
    )


def tasks(user, today: dt.date) -> list[Card]:
    lists = access.task_lists(user)
    cards = []
    if access.QUESTIONNAIRE_SETUP in lists:
        cards.append(questionnaire_to_prepare(user, today))
    if lists & {access.DISTRICT_RECORDING, access.PROVINCE_REVIEW}:
        questionnaire = current_questionnaire(today)
        if questionnaire is not None:
            if access.DISTRICT_RECORDING in lists:
                cards.append(aspects_to_complete(user, questionnaire, today))
            if access.PROVINCE_REVIEW in lists:
                cards += province_cards(user, questionnaire, today)
    return cards
