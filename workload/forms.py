from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from tracking.forms import (
    DecimalInput,
    IntegerInput,
    ThaiDateField,
    ThaiDecimalField,
    ThaiIntegerField,
    ThaiNameMultipleChoiceField,
    number_formfield,
    thai_mobile_field,
)
from tracking.rows import StampField
from workload.models import MAX_DAYS, MAX_HOURS, MAX_VOLUME, Aspect, ExtraItem, Question, Questionnaire


class ContactForm(forms.Form):
    """ข้อมูลติดต่อ สถอ.: part 1 the office, part 2 the responsible person."""

    office_address = forms.CharField(
        label=_("Office address"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    office_phone = forms.RegexField(
        label=_("Office phone"),
        regex=r"^0[0-9 -]{7,14}$",
        max_length=30,
        error_messages={"invalid": _("Enter a Thai phone number starting with 0.")},
    )
    contact_name = forms.CharField(label=_("Responsible person (name and surname)"), max_length=200)
    contact_mobile = thai_mobile_field()
    contact_email = forms.EmailField(label=_("E-mail"))
    covered_districts = ThaiNameMultipleChoiceField(
        label=_("Districts this person is responsible for"),
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick your own district and every other district whose workload your office records as well: "
            "their offices then record nothing themselves and are confirmed with yours."
        ),
    )

    def __init__(self, *args, province, taken=None, **kwargs):
        """``taken``: district id → the office that records it already this year, said beside it
        (None: the district's own office does)."""
        super().__init__(*args, **kwargs)
        field = self.fields["covered_districts"]
        field.queryset = District.objects.filter(province=province).in_thai_order()
        taken = taken or {}

        def label(district):
            if district.pk in taken and taken[district.pk] is None:
                return _("%(district)s (its own office records it)") % {"district": district.name_th}
            if district.pk in taken:
                return _("%(district)s (recorded by %(office)s)") % {
                    "district": district.name_th,
                    "office": taken[district.pk],
                }
            return district.name_th

        field.label_from_instance = label


def measure_fields(prefix: str = ""):
    """The three numbers of a workload row, all required, 0 where there is none.

    Text inputs, not type=number: a browser empties a number input typed with Thai digits (๑๒).
    """
    return {
        f"{prefix}volume": ThaiIntegerField(
            label=_("Volume per year"), min_value=0, max_value=MAX_VOLUME, widget=IntegerInput(grouped=True)
        ),
        f"{prefix}days": ThaiDecimalField(
            label=_("Days per unit"),
            min_value=0,
            max_value=MAX_DAYS,
            max_digits=5,
            decimal_places=2,
            widget=DecimalInput(),
        ),
        f"{prefix}hours": ThaiIntegerField(
            label=_("Hours per unit"), min_value=0, max_value=MAX_HOURS, widget=IntegerInput()
        ),
    }


# A row's three inputs and the word that names each in its error messages.
MEASURES = {"volume": _("Volume"), "days": _("Days"), "hours": _("Hours")}
PARTLY_ANSWERED = _("Fill in volume, days and hours (0 where none), or leave all three empty.")


class AspectForm(forms.Form):
    """Every question of one aspect in one form, saved as it stands: a question is answered with
    all three numbers (0 where none) or left empty for later (the aspect is then incomplete, ◐)."""

    edit_stamp = StampField()  # the answers as they were when the form was opened

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            for name, field in measure_fields(f"q{question.pk}_").items():
                field.required = False
                field.widget.attrs["aria-label"] = f"{question.order}. {field.label}"
                self.fields[name] = field

    def clean(self):
        data = super().clean()
        for question in self.questions:
            names = [f"q{question.pk}_{part}" for part in MEASURES]
            # As typed: a number that did not parse was still given.
            given = [str(self[name].value() or "").strip() != "" for name in names]
            if any(given) and not all(given):
                for name, present in zip(names, given, strict=True):
                    if not present:
                        self.add_error(name, PARTLY_ANSWERED)
        return data

    def rows(self):
        """(question, volume field, days field, hours field, errors) for the template; ``errors``: the
        row's (part, message) pairs, read once here rather than per input in the template."""
        errors = self.errors
        for question in self.questions:
            names = [f"q{question.pk}_{part}" for part in MEASURES]
            row_errors = [
                (MEASURES[part], message)
                for part, name in zip(MEASURES, names, strict=True)
                for message in errors.get(name, ())
            ]
            yield (question, *(self[name] for name in names), row_errors)

    def answers(self) -> dict[int, tuple]:
        """The questions answered (all three numbers given), by question id."""
        data = self.cleaned_data
        rows = {
            q.pk: (data[f"q{q.pk}_volume"], data[f"q{q.pk}_days"], data[f"q{q.pk}_hours"])
            for q in self.questions
        }
        return {pk: row for pk, row in rows.items() if None not in row}


class ExtraItemForm(forms.ModelForm):
    class Meta:
        model = ExtraItem
        fields = ["description", "unit", "volume", "days", "hours"]
        labels = {"description": _("Work done"), "unit": _("Counting unit")}
        formfield_callback = number_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in measure_fields().items():
            self.fields[name] = field


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class QuestionnaireForm(forms.ModelForm):
    opens_on = ThaiDateField(label=_("Recording opens on"))
    closes_on = ThaiDateField(label=_("Recording closes on"))

    class Meta:
        model = Questionnaire
        fields = ["opens_on", "closes_on", "hours_per_day", "yearly_hours"]
        formfield_callback = number_formfield

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The window must close after it opens."))
        return data


class QuestionnaireCopyForm(forms.Form):
    fiscal_year = ThaiIntegerField(label=_("New fiscal year (B.E.)"), min_value=2560, max_value=2700)
    opens_on = ThaiDateField(label=_("Recording opens on"))
    closes_on = ThaiDateField(label=_("Recording closes on"))

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The window must close after it opens."))
        if data.get("fiscal_year") and Questionnaire.objects.filter(fiscal_year=data["fiscal_year"]).exists():
            self.add_error("fiscal_year", _("A questionnaire for this fiscal year exists already."))
        return data


class AspectTitleForm(forms.ModelForm):
    class Meta:
        model = Aspect
        fields = ["title"]


QuestionFormSet = forms.inlineformset_factory(
    Aspect,
    Question,
    fields=["order", "text", "unit"],
    extra=3,
    can_delete=True,
    # A tampered row count must not make the server build thousands of forms (Django allows 2,000).
    max_num=200,
    absolute_max=200,
    validate_max=True,
    formfield_callback=number_formfield,
    widgets={
        "text": forms.TextInput(attrs={"size": 60}),
        "order": IntegerInput(attrs={"class": "narrow-input"}),
    },
)
