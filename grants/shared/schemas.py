"""Field types the grants' schemas share: one line of text, a name, long text, a language."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    StringConstraints,
)

from app.forms import (
    ONE_LINE,
    TEXT_BLOCK,
    invalid,
)
from app.i18n import LOCALES
from app.i18n import lazy_gettext as _l

OneLine = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), ONE_LINE]


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200),
                 ONE_LINE]


LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10000),
                     TEXT_BLOCK]


def _json_box(value: Any, problem: str) -> Any:
    """The staff form's JSON boxes arrive as text; the API sends objects."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            raise invalid(problem) from None
    return value


def _language(value: str) -> str:
    if value not in LOCALES:
        raise invalid(_l("Choose one of the languages offered."))
    return value


Language = Annotated[str, AfterValidator(_language)]
