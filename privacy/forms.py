"""The office's forms: erasing a person, publishing the privacy notice."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Request answered"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When and how the person asked, or why their data's purpose has ended."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that the person's name, e-mail and user name are replaced everywhere, and "
            "that this cannot be undone."
        ),
    )


class NoticeForm(forms.Form):
    text_tr = forms.CharField(
        label=_("Text (Turkish)"), widget=forms.Textarea(attrs={"rows": 14}), max_length=50000
    )
    text_en = forms.CharField(
        label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 14}), max_length=50000
    )
