"""The code of the second factor, as a person types it."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none", "size": 12}
        ),
    )

    def __init__(self, *args, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["code"].help_text = help_text


APP_OR_RECOVERY = _("The six digits your authenticator app shows now, or one of your recovery codes.")
APP_ONLY = _("The six digits your authenticator app shows now.")
