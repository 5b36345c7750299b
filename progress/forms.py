from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from progress.models import Procurement, Transfer
from progress.services import LineFigures
from tracking.forms import DecimalInput, ThaiDateField, ThaiDecimalField, ThaiIntegerField, number_formfield
from tracking.thaicalendar import format_quantity


def amount_field(label, required=True, maximum=None, minimum=0, money=True):
    """Baht with satang (``money``), or a quantity or percentage, shown without ``.00``."""
    return ThaiDecimalField(
        label=label, min_value=minimum, max_value=maximum, max_digits=15, decimal_places=2, required=required,
        widget=DecimalInput(attrs={"class": "num-input"}, places=2 if money else None),
    )  # fmt: skip


class VersionedForm(forms.Form):
    """Carries the version the user started from, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PerformanceForm(VersionedForm):
    quantity = amount_field(_("Output achieved this month"), money=False)
    narrative = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    obstacles = forms.CharField(
        label=_("Problems and obstacles"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, steps, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps, self.indicators = list(steps), list(indicators)
        for step in self.steps:
            self.fields[f"step_{step.pk}"] = amount_field(step.name, required=False, maximum=100, money=False)
        for indicator in self.indicators:
            label = f"{indicator.name} ({indicator.unit_of_measure})"
            field = self.fields[f"ind_{indicator.pk}"] = amount_field(label, required=False, money=False)
            field.help_text = _("Target: %(target)s %(unit)s") % {
                "target": format_quantity(indicator.target),
                "unit": indicator.unit_of_measure,
            }

    def show_plan(self, month, to_date, unit):
        """The plan beside the result (planned this month, planned to its end, counting unit): read only
        for a page that is shown, not for a save that succeeds."""
        self.fields["quantity"].help_text = _(
            "Planned for this month: %(month)s %(unit)s (to the end of this month: %(to_date)s %(unit)s)."
        ) % {"month": format_quantity(month), "to_date": format_quantity(to_date), "unit": unit}

    def step_fields(self):
        return [self[f"step_{s.pk}"] for s in self.steps]

    def indicator_fields(self):
        return [self[f"ind_{i.pk}"] for i in self.indicators]

    def parts(self):
        data = self.cleaned_data
        fields = {k: data[k] for k in ("quantity", "narrative", "obstacles")}
        steps = {s.pk: data[f"step_{s.pk}"] for s in self.steps if data[f"step_{s.pk}"] is not None}
        indicators = {i.pk: data[f"ind_{i.pk}"] for i in self.indicators if data[f"ind_{i.pk}"] is not None}
        return fields, steps, indicators


class DisbursementForm(forms.Form):
    """A month's spending: committed and disbursed on each of the unit's budget lines."""

    override_reason = forms.CharField(
        label=_("Reason, only when disbursing more than the budget received"),
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
    )  # fmt: skip

    def __init__(self, *args, lines, **kwargs):
        """``lines``: (category, carried over, label) of each budget line, in the order shown."""
        super().__init__(*args, **kwargs)
        self.lines = []
        for category, carried_over, label in lines:
            key = f"{category}{'_carried' if carried_over else ''}"
            self.fields[f"{key}_version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            self.fields[f"{key}_committed"] = amount_field(
                _("Committed this month on %(line)s (baht)") % {"line": label}, required=False
            )
            self.fields[f"{key}_disbursed"] = amount_field(
                _("Disbursed this month on %(line)s (baht)") % {"line": label}, required=False
            )
            for kind in ("committed", "disbursed"):
                field = self.fields[f"{key}_{kind}"]
                field.widget.attrs = {**field.widget.attrs, "aria-label": field.label}
            self.lines.append((key, category, carried_over, label))

    def rows(self):
        """(label, committed field, disbursed field, version field) per line, for the template."""
        return [
            (label, self[f"{key}_committed"], self[f"{key}_disbursed"], self[f"{key}_version"])
            for key, _category, _carried, label in self.lines
        ]

    def line_figures(self):
        data = self.cleaned_data
        return [
            LineFigures(
                category=category,
                carried_over=carried_over,
                committed=data[f"{key}_committed"] or Decimal(0),
                disbursed=data[f"{key}_disbursed"] or Decimal(0),
                version=data[f"{key}_version"],
            )
            for key, category, carried_over, _label in self.lines
        ]

    @staticmethod
    def initial_for(rows, lines):
        """Initial values from the month's saved rows."""
        initial = {}
        saved = {(row.category, row.carried_over): row for row in rows}
        for category, carried_over, _label in lines:
            row = saved.get((category, carried_over))
            if row is not None:
                key = f"{category}{'_carried' if carried_over else ''}"
                initial.update(
                    {
                        f"{key}_version": row.version,
                        f"{key}_committed": row.committed,
                        f"{key}_disbursed": row.disbursed,
                        "override_reason": row.override_reason or initial.get("override_reason", ""),
                    }
                )
        return initial


class TransferForm(forms.ModelForm):
    date = ThaiDateField(label=_("Date"))
    # The table wants more than nothing (transfer_amount_positive): at least one satang.
    amount = amount_field(_("Amount (baht)"), minimum=Decimal("0.01"))

    class Meta:
        model = Transfer
        fields = ["kind", "date", "amount", "carried_over", "document_no", "note", "override_reason"]
        widgets = {"override_reason": forms.Textarea(attrs={"rows": 2})}
        formfield_callback = number_formfield


class ProcurementForm(forms.ModelForm):
    reference_price = amount_field(_("Reference price (baht)"), required=False)
    contract_amount = amount_field(_("Contract amount (baht)"), required=False)
    contract_date = ThaiDateField(label=_("Contract date"), required=False)
    delivery_due = ThaiDateField(label=_("Delivery due"), required=False)
    delivered_on = ThaiDateField(label=_("Delivered on"), required=False)

    class Meta:
        model = Procurement
        fields = [
            "item", "method", "reference_price", "contract_amount", "vendor", "contract_no", "contract_date",
            "delivery_due", "delivered_on", "egp_number", "status",
        ]  # fmt: skip
        formfield_callback = number_formfield


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    caption = forms.CharField(label=_("Caption"), max_length=300)
    taken_on = ThaiDateField(
        label=_("Date taken"), required=False, help_text=_("Empty: from the photo itself.")
    )


class ReportingCalendarForm(forms.Form):
    fiscal_year = ThaiIntegerField(label=_("Fiscal year"), min_value=2500, max_value=2700)
    due_day = ThaiIntegerField(
        label=_("Due day of the following month"),
        min_value=1,
        max_value=28,
        help_text=_("Each month's report falls due on this day of the next month (1–28)."),
    )


class CloseMonthForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read what closing locks and what is still missing, and I close the month."),
        error_messages={"required": _("Tick the box to confirm the closing.")},
    )


class ReopenMonthForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Kept with the month's history and shown with the next revision of its official figures."
        ),
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("What the unit must fix"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The unit sees this as it is written, above its forms for the month."),
    )
