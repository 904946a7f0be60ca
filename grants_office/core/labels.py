"""A choice's label in the active language, translated once per process and language: a list of 100
proposals translated its state labels row by row (60 % of the serialising time, issue 18)."""

import functools

from django.utils import translation


@functools.cache
def _labels(choices, language: str | None) -> dict:
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}


def label(choices, value) -> str:
    """`choices` a TextChoices or IntegerChoices class; an unknown value is shown as it is."""
    return _labels(choices, translation.get_language()).get(value, str(value))
