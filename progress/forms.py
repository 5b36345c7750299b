from django import forms
from django.utils.translation import gettext_lazy as _

from progress.models import Procurement, Transfer
from tracking.forms import ThaiDateField, ThaiDecimalField


def amount_field(label, required=True, maximum=None):
    return ThaiDecimalField(
        label=label, min_value=0, max_value=maximum, max_digits=15, decimal_places=2, required=required,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num-input"}),
    )  # fmt: skip


class VersionedForm(forms.Form):
    """Carries the version the user started from, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PerformanceForm(VersionedForm):
    quantity = amount_field(_("Output achieved this month"))
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
            self.fields[f"step_{step.pk}"] = amount_field(step.name, required=False, maximum=100)
        for indicator in self.indicators:
            label = f"{indicator.name} ({indicator.unit_of_measure})"
            self.fields[f"ind_{indicator.pk}"] = amount_field(label, required=False)

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


class DisbursementForm(VersionedForm):
    committed = amount_field(_("Committed this month (baht)"))
    disbursed = amount_field(_("Disbursed this month (baht)"))
    override_reason = forms.CharField(
        label=_("Reason, only when disbursing more than the budget received"),
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
    )  # fmt: skip


class TransferForm(forms.ModelForm):
    date = ThaiDateField(label=_("Date"))
    amount = amount_field(_("Amount (baht)"))

    class Meta:
        model = Transfer
        fields = ["kind", "date", "amount", "document_no", "note", "override_reason"]
        widgets = {"override_reason": forms.Textarea(attrs={"rows": 2})}


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


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip
    caption = forms.CharField(label=_("Caption"), max_length=300)
    taken_on = ThaiDateField(
        label=_("Date taken"), required=False, help_text=_("Empty: from the photo itself.")
    )
