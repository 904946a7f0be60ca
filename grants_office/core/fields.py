"""Form fields shared by the pages and the admin."""

import re

from django import forms

SEPARATORS = re.compile(r"[\s,;]+")


class CodeListField(forms.CharField):
    """Codes typed as "BG, RO" (commas, semicolons or spaces), cleaned to a list in the order typed,
    each once, in upper or lower case (`case`); the service or model still says which codes exist."""

    def __init__(self, *, case: str = "upper", **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        codes = [getattr(code, self.case)() for code in SEPARATORS.split(text) if code]
        return list(dict.fromkeys(codes))
