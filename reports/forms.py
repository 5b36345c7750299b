from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import FundingSource, OrgUnit, Province
from progress.models import AssignmentFigures
from projects.models import Project
from reports import selectors
from reports.models import DisbursementTargets
from reports.selectors import LIVE, OFFICIAL, Filters
from tracking.forms import DecimalInput, ThaiDecimalField, ThaiNameChoiceField, number_formfield
from tracking.thaicalendar import current_fiscal_year, fiscal_month_of, fiscal_months
from tracking.widgets import FastSelect
from workload.models import Questionnaire, Submission


class ProjectChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class DashboardFilterForm(forms.Form):
    """The ALRO dashboards' filters, kept in the URL. Choices are narrowed to what the user may see."""

    fy = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    month = forms.TypedChoiceField(label=_("As of the end of"), coerce=int)
    asof = forms.ChoiceField(label=_("Figures"), required=False, choices=[])
    source = forms.ChoiceField(
        label=_("Money source"), choices=[("", _("All")), *FundingSource.choices], required=False
    )
    province = ThaiNameChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    unit = ThaiNameChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All")
    )
    project = ProjectChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, data, *, user):
        data = data.copy() if data else {}
        years = sorted(
            set(Project.objects.order_by().values_list("fiscal_year", flat=True).distinct())
            | {current_fiscal_year()}
        )
        fy = _int(data.get("fy")) if _int(data.get("fy")) in years else current_fiscal_year()
        data.setdefault("fy", fy)
        self.figures_version, self.records = selectors.year_state(fy)
        if not data.get("month"):
            # Open on the latest closed month's official figures; without one, on the month so far.
            today = fiscal_month_of(timezone.localdate())
            latest = max(self.records, default=None)
            data["month"] = latest or (today.index if today.fiscal_year == fy else 12)
        month = _int(data.get("month"))
        record = self.records.get(month)
        if record is None:
            data.pop("asof", None)  # an open month has only its latest figures: nothing to choose
        elif data.get("asof") not in (OFFICIAL, LIVE):
            data["asof"] = OFFICIAL
        super().__init__(data)
        self.fields["fy"].choices = [(year, year) for year in reversed(years)]
        closed = _("%(month)s, closed")
        self.fields["month"].choices = [
            (m.index, closed % {"month": m.label} if m.index in self.records else m.label)
            for m in fiscal_months(fy)
        ]
        if record is not None:
            label = fiscal_months(fy)[record.month - 1].label
            self.fields["asof"].choices = [
                (OFFICIAL, _("As of the end of %(month)s (official figures)") % {"month": label}),
                (LIVE, _("Latest figures, corrections included")),
            ]
        else:
            self.fields["asof"].choices = [("", _("Latest figures (month still open)"))]
        seen = AssignmentFigures.objects.visible_to(user).filter(fiscal_year=fy)
        self.fields["province"].queryset = Province.objects.filter(
            units__in=OrgUnit.objects.filter(pk__in=seen.values("unit_id"))
        ).distinct()
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=seen.values("unit_id")).in_thai_order()
        self.fields["project"].queryset = Project.objects.filter(pk__in=seen.values("project_id")).order_by(
            "code"
        )

    def filters(self) -> Filters:
        """The filters that passed; a choice the user may not make is dropped (and shown as an error)."""
        self.is_valid()
        data = self.cleaned_data
        valid = {name: data.get(name) for name in self.fields if name not in self.errors}
        month = valid.get("month") or 12
        asof = valid.get("asof") or ""
        record = self.records.get(month)
        return Filters(
            fiscal_year=valid.get("fy") or current_fiscal_year(),
            month=month,
            source=valid.get("source") or "",
            province=valid.get("province"),
            unit=valid.get("unit"),
            project=valid.get("project"),
            asof=asof if record is not None else "",
            official=record if record is not None and asof == OFFICIAL else None,
        )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def percent_field(label):
    return ThaiDecimalField(
        label=label,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=DecimalInput(attrs={"class": "num-input"}),
    )


class TargetsForm(forms.ModelForm):
    """The cabinet's quarterly disbursement targets of a fiscal year, cumulative percentages."""

    class Meta:
        model = DisbursementTargets
        fields = [f"{kind}_q{q}" for kind in ("overall", "investment") for q in range(1, 5)]
        formfield_callback = number_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name] = percent_field(DisbursementTargets._meta.get_field(name).verbose_name)


class WorkloadFilterForm(forms.Form):
    """The DLA reports' fiscal year and province, narrowed to the provinces the user may see."""

    fy = forms.ModelChoiceField(
        label=_("Fiscal year"),
        queryset=Questionnaire.objects.all(),
        to_field_name="fiscal_year",
        required=False,
        empty_label=None,
    )
    province = ThaiNameChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Whole country"),
    )

    def __init__(self, data, *, user):
        super().__init__(data or None)
        self.fields["province"].queryset = Province.objects.filter(
            is_bangkok=False,
            units__in=OrgUnit.objects.filter(agency="dla", kind="district").filter(
                pk__in=Submission.objects.filter(access.dla_report_scope(user)).values("office_id")
            ),
        ).distinct()

    def choice(self):
        """(questionnaire, province): the chosen year (else the latest) and province (else none)."""
        valid = self.cleaned_data if self.is_bound and self.is_valid() else getattr(self, "cleaned_data", {})
        questionnaire = valid.get("fy") or self.fields["fy"].queryset.first()
        return questionnaire, valid.get("province")
