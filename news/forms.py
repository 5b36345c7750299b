from django import forms
from django.utils.translation import gettext_lazy as _

from news.models import News
from tracking.forms import ThaiDateField


class NewsForm(forms.ModelForm):
    publish_date = ThaiDateField(
        label=_("Publish date"), required=False, help_text=_("Empty: the day it is published.")
    )
    cover_upload = forms.FileField(
        label=_("Cover image"), required=False, help_text=_("JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip

    class Meta:
        model = News
        fields = ["title", "summary", "category", "body", "publish_date", "pinned"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2}), "body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, may_pin, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_pin:
            del self.fields["pinned"]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"), help_text=_("PDF, Word, Excel or PowerPoint, at most 10 MB.")
    )


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for sending back"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
