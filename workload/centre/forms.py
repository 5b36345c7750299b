"""Forms of the coordination centre's pages."""

from django import forms
from django.utils.translation import gettext_lazy

from accounts.models import District
from tracking.forms import ThaiNameMultipleChoiceField, number_formfield
from workload.models import CentrePage, FaqEntry, KnowledgeLink, StaffMember

DUPLICATE_NAME = gettext_lazy("This name is already in the registry of this province.")


class StaffForm(forms.ModelForm):
    districts = ThaiNameMultipleChoiceField(
        label=gettext_lazy("Districts covered"), queryset=District.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = StaffMember
        fields = ["name", "position", "phone", "email", "districts"]

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = District.objects.filter(province=province).in_thai_order()

    def clean_name(self):
        # The form has no province field, so ModelForm leaves the (province, name) constraint out.
        name = self.cleaned_data["name"]
        others = StaffMember.objects.filter(province=self.instance.province, name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(DUPLICATE_NAME, code="unique")
        return name


class LinkForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("Link"), max_length=500, assume_scheme="https")

    class Meta:
        model = KnowledgeLink
        fields = ["category", "title", "url", "note", "order"]
        formfield_callback = number_formfield


class FaqForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["category", "question", "answer", "order"]
        formfield_callback = number_formfield


class CentrePageForm(forms.ModelForm):
    class Meta:
        model = CentrePage
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
