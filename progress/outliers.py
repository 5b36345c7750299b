"""Outlier flags on an assigned unit's month, for the review of its report (statistic:
tracking.outliers).

Values: the month's output (quantity), the month's disbursement of this year's money (carry-over
is apart, as everywhere) and each indicator's result. Peers: the same activity (for an indicator,
the same indicator) in the other units of the same kind (provincial offices with provincial
offices, bureaus with bureaus), the same month. An activity has about ten units, so the peers are
read from the figures rows kept by PostgreSQL (``AssignmentFigures.objects.peers_of``), each
month's value from the rows' own methods (``done_in``, ``disbursed_in``), and compared here.
History: the median of the unit's own earlier months of the year that have a value (at least
three), for an indicator the unit's latest earlier result.

A month with nothing reported (0) is not flagged: that is the completeness grid's business.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from progress.models import AssignmentFigures, IndicatorResult, ResultCheck
from tracking.outliers import Comparison, Flag, history_flag, median, peer_flag, same_value, stats_of

QUANTITY, DISBURSED, INDICATOR = "quantity", "disbursed", "indicator"
MIN_EARLIER_MONTHS = 3

OTHER_UNITS = Comparison(
    high=gettext_lazy("%(ratio)s times the median of other units"),
    low=gettext_lazy("%(percent)s%% below the median of other units"),
    far_high=gettext_lazy("Far above the median of other units (%(reference)s)"),
)
EARLIER_MONTHS = Comparison(
    high=gettext_lazy("%(ratio)s times the unit's usual month"),
    low=gettext_lazy("%(percent)s%% below the unit's usual month"),
    far_high=gettext_lazy("Far above the unit's usual month (%(reference)s)"),
)
EARLIER_RESULT = Comparison(
    high=gettext_lazy("%(ratio)s times the unit's previous result"),
    low=gettext_lazy("%(percent)s%% below the unit's previous result"),
    far_high=gettext_lazy("Far above the unit's previous result (%(reference)s)"),
)
LABELS = {QUANTITY: gettext_lazy("Output achieved"), DISBURSED: gettext_lazy("Disbursed")}


@dataclass
class ResultFlag:
    subject: str
    label: str
    value: Decimal
    flags: list[Flag] = field(default_factory=list)
    check: ResultCheck | None = None

    @property
    def checked(self) -> bool:
        return self.check is not None and same_value(self.check.value, self.value)

    @property
    def reasons(self) -> list[str]:
        return [flag.reason for flag in self.flags]


def _flags(value, peers, earlier, history) -> list[Flag]:
    if not value:
        return []
    found = [peer_flag(value, stats_of(peers), OTHER_UNITS)]
    earlier = [v for v in earlier if v]
    if history is EARLIER_MONTHS and len(earlier) >= MIN_EARLIER_MONTHS:
        found.append(history_flag(value, median(earlier), history))
    elif history is EARLIER_RESULT and earlier:
        found.append(history_flag(value, earlier[-1], history))
    return [f for f in found if f is not None]


def month_flags(figures: AssignmentFigures, month: int) -> list[ResultFlag]:
    """The flagged values of one assigned unit's month: three queries, whatever the activity's size."""
    activity_unit_id = figures.activity_unit_id
    peers = list(AssignmentFigures.objects.peers_of(figures))
    checks = ResultCheck.objects.filter(activity_unit_id=activity_unit_id, month=month)
    checks = {c.subject: c for c in checks.select_related("checked_by")}
    result = []
    for subject, of_month in (
        (QUANTITY, AssignmentFigures.done_in),
        (DISBURSED, AssignmentFigures.disbursed_in),
    ):
        value = of_month(figures, month)
        flags = _flags(
            value,
            [of_month(row, month) for row in peers],
            [of_month(figures, m) for m in range(1, month)],
            EARLIER_MONTHS,
        )
        if flags:
            result.append(ResultFlag(subject, str(LABELS[subject]), value, flags, checks.get(subject)))
    # Indicator results of the activity's units of the same kind, up to the month.
    values: dict[int, dict] = {}
    names = {}
    for indicator_id, name, unit_id, m, value in (
        IndicatorResult.objects.filter(
            indicator__activity_id=figures.activity_id,
            activity_unit__unit__kind=figures.unit.kind,
            month__lte=month,
        )
        .order_by("indicator_id", "month")
        .values_list("indicator_id", "indicator__name", "activity_unit_id", "month", "value")
    ):
        names[indicator_id] = name
        values.setdefault(indicator_id, {}).setdefault(unit_id, {})[m] = value
    for indicator_id, by_unit in values.items():
        own = by_unit.get(activity_unit_id, {})
        if month not in own:
            continue
        subject = f"{INDICATOR}:{indicator_id}"
        flags = _flags(
            own[month],
            [months[month] for months in by_unit.values() if month in months],
            [own[m] for m in sorted(own) if m < month],
            EARLIER_RESULT,
        )
        if flags:
            result.append(ResultFlag(subject, names[indicator_id], own[month], flags, checks.get(subject)))
    return result


def result_check_save(
    *, figures: AssignmentFigures, month: int, subject: str, seen: Decimal, note: str, by
) -> ResultCheck:
    """Mark one flagged value as checked at the value the reviewer saw; refused if it changed since
    or is not flagged (any more)."""
    with transaction.atomic():
        flagged = {f.subject: f for f in month_flags(figures, month)}
        if subject not in flagged:
            raise ValidationError(_("This value is not flagged."))
        current = flagged[subject].value
        if not same_value(current, seen):
            raise ValidationError(_("The value has changed since the page was opened: look at it again."))
        check, _created = ResultCheck.objects.update_or_create(
            activity_unit_id=figures.activity_unit_id,
            month=month,
            subject=subject,
            defaults={"value": current, "note": note, "checked_by": by},
        )
        return check
