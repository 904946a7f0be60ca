"""Request parsers of the API: JSON with limits every body must keep (see REST_FRAMEWORK settings)."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with two limits no input of this API comes near, so that what is refused is
    refused with a 400 and not by the server falling over:

    - nesting deeper than MAX_DEPTH levels (`parse_error`): Python's decoder gives up with a
      RecursionError at about 1,000, and every consumer of the data walks it recursively again;
    - the NUL character in any string or key (`invalid`, under the top-level field that holds it):
      PostgreSQL cannot store it in text or jsonb, so it could only end in a database error, also in
      the values no serializer field checks (a review's scores, a transition's data).
    """

    MAX_DEPTH = 64

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        self.check(data)
        return data

    def _too_deep(self) -> str:
        return _("JSON parse error - nested deeper than %(depth)d levels.") % {"depth": self.MAX_DEPTH}

    def check(self, data) -> None:
        """Walk the parsed value without recursion: depth, and NUL characters by top-level field."""
        top = data if isinstance(data, dict) else {}
        pending = [(value, 2, key) for key, value in top.items()] if top else [(data, 1, None)]
        pending.extend((key, 1, key) for key in top)
        while pending:
            value, depth, field = pending.pop()
            if isinstance(value, str):
                if "\x00" in value:
                    raise ValidationError(
                        {field or "non_field_errors": [_("Null characters are not allowed.")]}
                    )
            elif isinstance(value, dict | list):
                if depth > self.MAX_DEPTH:
                    raise ParseError(self._too_deep())
                items = [*value, *value.values()] if isinstance(value, dict) else value
                pending.extend((item, depth + 1, field) for item in items)
