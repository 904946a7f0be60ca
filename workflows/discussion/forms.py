"""The discussion's web forms: the text as Django cleans any form's text."""

from django import forms


class CommentTextForm(forms.Form):
    """What a person types into the comment, reply and edit forms. The views read the ids themselves;
    the text goes through a form so that a NUL character (PostgreSQL cannot store it) is a form error
    like any other, before the service is asked. Emptiness and length are the service's rules."""

    body = forms.CharField(required=False, strip=False)
    visibility = forms.CharField(required=False)

    def problems(self) -> dict[str, list[str]]:
        return {} if self.is_valid() else {name: list(messages) for name, messages in self.errors.items()}
