from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import FundingSource, OrgUnit
from accounts.reference import alro_unit_choices, alro_units
from projects.models import Activity, ActivityUnit, BudgetCategory, Indicator, Project, Step
from tracking.forms import (
    DecimalInput,
    ThaiDateField,
    ThaiDecimalField,
    ThaiIntegerField,
    ThaiNameChoiceField,
    number_formfield,
)
from tracking.queryparams import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from tracking.rows import StampField
from tracking.thaicalendar import fiscal_months
from tracking.uploads import check_spreadsheet
from tracking.widgets import FastSelect


class ProjectFilterForm(forms.Form):
    fy = ThaiIntegerField(
        label=_("Fiscal year"), required=False, min_value=FISCAL_YEAR_MIN, max_value=FISCAL_YEAR_MAX
    )
    source = forms.ChoiceField(
        label=_("Money source"), choices=[("", _("All")), *FundingSource.choices], required=False
    )
    owner = forms.TypedChoiceField(
        label=_("Responsible unit"), coerce=int, empty_value=None, required=False, widget=FastSelect
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Project.Status.choices], required=False
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("All")), *alro_unit_choices()]


FISCAL_YEAR_MESSAGE = _("Enter the fiscal year in the Buddhist era, between 2500 and 2700 (e.g. 2570).")


class ProjectForm(forms.ModelForm):
    # The table allows 2500–2700 only; say so here, not as a broken database rule.
    fiscal_year = ThaiIntegerField(
        label=_("Fiscal year"),
        min_value=2500,
        max_value=2700,
        error_messages={"min_value": FISCAL_YEAR_MESSAGE, "max_value": FISCAL_YEAR_MESSAGE},
    )
    start_date = ThaiDateField(label=_("Start"), required=False)
    end_date = ThaiDateField(label=_("End"), required=False)
    owner_unit = ThaiNameChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    edit_stamp = StampField()  # the version the form was opened on

    class Meta:
        model = Project
        fields = [
            "fiscal_year", "funding_source", "code", "name", "owner_unit", "strategy", "objective",
            "start_date", "end_date", "status",
        ]  # fmt: skip
        widgets = {"objective": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = number_formfield

    def __init__(self, *args, allowed_sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = alro_units()
        self.fields["funding_source"].choices = [c for c in FundingSource.choices if c[0] in allowed_sources]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end is before the start."))
        return data


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["order", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = number_formfield


class ActivityUnitForm(forms.ModelForm):
    unit = ThaiNameChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())

    class Meta:
        model = ActivityUnit
        fields = ["unit", "is_executing", "is_budget_receiving", "output_unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = alro_units()

    def clean(self):
        data = super().clean()
        if not data.get("DELETE") and not (data.get("is_executing") or data.get("is_budget_receiving")):
            self.add_error(None, _("A unit must carry out the activity or receive budget (or both)."))
        return data


class BaseActivityFormSet(forms.BaseInlineFormSet):
    """Formsets of an activity's rows, with the checks that span rows."""


class StepFormSet(BaseActivityFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = [
            f.cleaned_data["weight"]
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("weight") is not None
        ]
        if weights and sum(weights) != 100:
            raise forms.ValidationError(
                _("The weights add up to %(total)s; they must add up to 100.") % {"total": sum(weights)}
            )


# A tampered row count must not make the server build thousands of forms (Django allows 2,000):
# 150 rows is more than the 87 ALRO units or any activity's steps and indicators.
MAX_ROWS = {"max_num": 150, "absolute_max": 150, "validate_max": True}
UnitFormSet = forms.inlineformset_factory(
    Activity,
    ActivityUnit,
    form=ActivityUnitForm,
    formset=BaseActivityFormSet,
    extra=3,
    can_delete=True,
    **MAX_ROWS,
)


class StepForm(forms.ModelForm):
    # The table wants a weight above 0 (a step of no weight is no step) and at most 100.
    weight = ThaiDecimalField(
        label=_("Weight (%)"), min_value=Decimal("0.01"), max_value=100, max_digits=5, decimal_places=2
    )

    class Meta:
        model = Step
        fields = ["order", "name", "weight"]
        formfield_callback = number_formfield


class IndicatorForm(forms.ModelForm):
    target = ThaiDecimalField(label=_("Target"), min_value=0, max_digits=14, decimal_places=2)

    class Meta:
        model = Indicator
        fields = ["name", "unit_of_measure", "target"]
        formfield_callback = number_formfield


StepsFormSet = forms.inlineformset_factory(
    Activity, Step, form=StepForm, formset=StepFormSet, extra=3, can_delete=True, **MAX_ROWS
)
IndicatorFormSet = forms.inlineformset_factory(
    Activity, Indicator, form=IndicatorForm, formset=BaseActivityFormSet, extra=2, can_delete=True, **MAX_ROWS
)


def money_field(label="", max_digits=15, money=True):
    """Baht: 13 digits and satang. Quantities (outputs, targets) are stored with 12 digits: max_digits=14,
    and are shown without ``.00`` (``money=False``)."""
    return ThaiDecimalField(
        label=label,
        min_value=0,
        max_digits=max_digits,
        decimal_places=2,
        required=False,
        widget=DecimalInput(attrs={"class": "num-input"}, places=2 if money else None),
    )


class PlanGridForm(forms.Form):
    """Every assigned unit × twelve fiscal months, quantity and spending, saved in one go."""

    def __init__(self, *args, activity_units, fiscal_year, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_units = list(activity_units)
        self.months = fiscal_months(fiscal_year)
        for au in self.activity_units:
            for month in self.months:
                plan = plans.get((au.pk, month.index))
                for kind in ("q", "s"):
                    name = f"{kind}_{au.pk}_{month.index}"
                    self.fields[name] = money_field(max_digits=15 if kind == "s" else 14, money=kind == "s")
                    self.fields[name].widget.attrs.update(
                        {"data-row": f"{kind}{au.pk}", "data-col": f"{kind}{month.index}"}
                    )
                    if plan is not None:
                        self.initial[name] = plan.quantity if kind == "q" else plan.spending

    def rows(self):
        for au in self.activity_units:
            yield au, [(self[f"q_{au.pk}_{m.index}"], self[f"s_{au.pk}_{m.index}"]) for m in self.months]

    def grid(self):
        data = self.cleaned_data
        return {
            (au.pk, m.index): (data[f"q_{au.pk}_{m.index}"] or 0, data[f"s_{au.pk}_{m.index}"] or 0)
            for au in self.activity_units
            for m in self.months
        }


class BudgetGridForm(forms.Form):
    """Each budget-receiving unit × budget category, current year and carried over."""

    def __init__(self, *args, activity_units, allocations, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_units = [au for au in activity_units if au.is_budget_receiving]
        for au in self.activity_units:
            for category, _label in BudgetCategory.choices:
                for carried in (False, True):
                    name = f"b_{au.pk}_{category}_{int(carried)}"
                    self.fields[name] = money_field()
                    self.fields[name].widget.attrs.update(
                        {"data-row": f"b{au.pk}{int(carried)}", "data-col": f"c{int(carried)}"}
                    )
                    amount = allocations.get((au.pk, category, carried))
                    if amount is not None:
                        self.initial[name] = amount

    def rows(self):
        for au in self.activity_units:
            yield (
                au,
                [
                    (label, self[f"b_{au.pk}_{category}_0"], self[f"b_{au.pk}_{category}_1"])
                    for category, label in BudgetCategory.choices
                ],
            )

    def grid(self):
        data = self.cleaned_data
        return {
            (au.pk, category, carried): data[f"b_{au.pk}_{category}_{int(carried)}"] or 0
            for au in self.activity_units
            for category, _label in BudgetCategory.choices
            for carried in (False, True)
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in workbook (.xlsx or .ods)"),
        help_text=_("At most 5 MB. Use the template or an export of this system."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_spreadsheet(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return upload


class IndicatorTargetGridForm(forms.Form):
    """Each indicator's target split by assigned unit, where the target is shared out (empty: not split)."""

    def __init__(self, *args, indicators, activity_units, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators, self.activity_units = list(indicators), list(activity_units)
        for indicator in self.indicators:
            for au in self.activity_units:
                name = f"t_{indicator.pk}_{au.pk}"
                self.fields[name] = money_field(max_digits=14, money=False)
                if (indicator.pk, au.pk) in targets:
                    self.initial[name] = targets[(indicator.pk, au.pk)]

    def rows(self):
        for indicator in self.indicators:
            yield indicator, [self[f"t_{indicator.pk}_{au.pk}"] for au in self.activity_units]

    def grid(self):
        return {
            (i.pk, au.pk): self.cleaned_data[f"t_{i.pk}_{au.pk}"]
            for i in self.indicators
            for au in self.activity_units
        }
