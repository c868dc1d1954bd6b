"""A call's application form as data, and the rules that check answers against it.

A form is sections of fields. Each field has a stable `key`, a `type`, per-locale labels,
whether it is required and, by type, its options or limits. Answers are JSON-shaped:

| type              | answer                                                        |
|-------------------|---------------------------------------------------------------|
| short_text        | one line of text (at most `max_length`, default 200)          |
| long_text         | text (at most `max_length`, default 5000)                     |
| number            | a decimal written as text, "12" or "12.5", within min..max    |
| money             | an int of minor units in the application's currency           |
| choice            | one option key                                                |
| multiple_choice   | a list of option keys                                         |
| date              | "YYYY-MM-DD"                                                  |
| file              | a list of attachment ids (uploaded separately)                |
| budget            | lines [{"category", "description", "amount_minor"}]; the      |
|                   | categories are the field's options; the total must equal the  |
|                   | amount requested                                              |

`clean_answer` checks one answer's shape (a draft keeps every valid answer); `problems`
checks a whole application for submission and names every problem at once.
Pure functions: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.forms import BIDI_CONTROLS, TEXT_BLOCK, invalid, one_line
from app.i18n import LOCALES, Msg, lazy_ngettext
from app.i18n import lazy_gettext as _l
from app.money import MAX_MINOR

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
MAX_SECTIONS = 20
MAX_FIELDS = 80
MAX_OPTIONS = 50
MAX_BUDGET_LINES = 60
MAX_FILES_PER_FIELD = 5


class FieldType(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    MONEY = "money"
    CHOICE = "choice"
    MULTIPLE_CHOICE = "multiple_choice"
    DATE = "date"
    FILE = "file"
    BUDGET = "budget"


OPTION_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.BUDGET})
Key = Annotated[str, StringConstraints(pattern=KEY_RE.pattern)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
                 TEXT_BLOCK]


def too_long(limit: int) -> Msg:
    """What a text over its limit is told, in the plural form of the limit."""
    return lazy_ngettext("Use at most %(limit)s character.",
                         "Use at most %(limit)s characters.", limit, limit=limit)


def _texts(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise invalid(_l("Give a text in at least one language."))
    unknown = [code for code in value if code not in LOCALES]
    if unknown:
        raise invalid(_l("Use only the languages offered."))
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    key: Key
    label: dict[str, Text]

    _label = field_validator("label")(_texts)


class FieldDef(Strict):
    key: Key
    type: FieldType
    label: dict[str, Text]
    help: dict[str, Text] = {}
    required: bool = True
    identifying: bool = False
    options: list[Option] = Field(default=[], max_length=MAX_OPTIONS)
    max_length: int | None = Field(default=None, ge=1, le=20000)
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    _label = field_validator("label")(_texts)

    @model_validator(mode="after")
    def _fits_type(self) -> FieldDef:
        if self.type in OPTION_TYPES and not self.options:
            raise invalid(_l("A choice or budget field needs options."))
        if len({option.key for option in self.options}) != len(self.options):
            raise invalid(_l("Each option needs its own key."))
        return self


class Section(Strict):
    key: Key
    title: dict[str, Text]
    fields: list[FieldDef] = Field(min_length=1, max_length=MAX_FIELDS)

    _title = field_validator("title")(_texts)


class FormDef(Strict):
    sections: list[Section] = Field(min_length=1, max_length=MAX_SECTIONS)

    @model_validator(mode="after")
    def _unique_keys(self) -> FormDef:
        keys = [field.key for field in self.fields()]
        if len(keys) > MAX_FIELDS:
            raise invalid(_l("A form has at most 80 fields."))
        if len(set(keys)) != len(keys):
            raise invalid(_l("Each field needs its own key."))
        if sum(field.type is FieldType.BUDGET for field in self.fields()) > 1:
            raise invalid(_l("A form has at most one budget table."))
        return self

    def fields(self) -> list[FieldDef]:
        return [field for section in self.sections for field in section.fields]

    def field(self, key: str) -> FieldDef | None:
        return next((field for field in self.fields() if field.key == key), None)

    def budget_field(self) -> FieldDef | None:
        return next((f for f in self.fields() if f.type is FieldType.BUDGET), None)


# -- answers -------------------------------------------------------------------------------

REQUIRED = _l("This field is required.")
NOT_A_CHOICE = _l("Choose one of the options.")
NOT_TEXT = _l("Enter text.")
NOT_NUMBER = _l("Enter a number, such as 120 or 12.5.")
NOT_MONEY = _l("Enter an amount, such as 1500 or 1,500.50.")
NOT_DATE = _l("Enter a date as year-month-day, such as 2027-03-31.")
NOT_FILES = _l("Upload the file again.")
BAD_LINE = _l("Each budget line needs a category, a description and an amount.")


@dataclass(frozen=True)
class Cleaned:
    value: Any = None
    error: str | None = None


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _text(field: FieldDef, value: Any) -> Cleaned:
    if not isinstance(value, str):
        return Cleaned(error=NOT_TEXT)
    limit = field.max_length or (200 if field.type is FieldType.SHORT_TEXT else 5000)
    if field.type is FieldType.SHORT_TEXT:
        value = " ".join(value.split())
    else:
        value = value.replace("\r\n", "\n").strip()
    if any(char in BIDI_CONTROLS or (ord(char) < 32 and char not in "\n\t") for char in value):
        return Cleaned(error=_l("Use letters, digits and punctuation only."))
    if len(value) > limit:
        return Cleaned(error=too_long(limit))
    return Cleaned(value)


def _number(field: FieldDef, value: Any) -> Cleaned:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return Cleaned(error=NOT_NUMBER)
    text = str(value).strip().replace(",", ".")
    if len(text) > 30:
        return Cleaned(error=NOT_NUMBER)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return Cleaned(error=NOT_NUMBER)
    if not number.is_finite():
        return Cleaned(error=NOT_NUMBER)
    if field.minimum is not None and number < field.minimum:
        return Cleaned(error=Msg(_l("Enter at least %(minimum)s."), minimum=field.minimum))
    if field.maximum is not None and number > field.maximum:
        return Cleaned(error=Msg(_l("Enter at most %(maximum)s."), maximum=field.maximum))
    return Cleaned(format(number.normalize(), "f"))


def _minor(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MINOR:
        return None
    return value


def _money(field: FieldDef, value: Any) -> Cleaned:
    amount = _minor(value)
    return Cleaned(error=NOT_MONEY) if amount is None else Cleaned(amount)


def _choice(field: FieldDef, value: Any) -> Cleaned:
    keys = {option.key for option in field.options}
    if isinstance(value, str) and value in keys:
        return Cleaned(value)
    return Cleaned(error=NOT_A_CHOICE)


def _choices(field: FieldDef, value: Any) -> Cleaned:
    keys = [option.key for option in field.options]
    if not isinstance(value, list) or any(not isinstance(v, str) or v not in keys for v in value):
        return Cleaned(error=NOT_A_CHOICE)
    return Cleaned([key for key in keys if key in value])  # the form's order, no repeats


def _date(field: FieldDef, value: Any) -> Cleaned:
    if not isinstance(value, str) or len(value) != 10:
        return Cleaned(error=NOT_DATE)
    try:
        return Cleaned(date.fromisoformat(value).isoformat())
    except ValueError:
        return Cleaned(error=NOT_DATE)


def _files(field: FieldDef, value: Any) -> Cleaned:
    if (not isinstance(value, list) or len(value) > MAX_FILES_PER_FIELD
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)):
        return Cleaned(error=NOT_FILES)
    return Cleaned(list(dict.fromkeys(value)))


def _budget(field: FieldDef, value: Any) -> Cleaned:
    if not isinstance(value, list):
        return Cleaned(error=BAD_LINE)
    if len(value) > MAX_BUDGET_LINES:
        return Cleaned(error=lazy_ngettext("Use at most %(limit)s budget line.",
                                           "Use at most %(limit)s budget lines.",
                                           MAX_BUDGET_LINES, limit=MAX_BUDGET_LINES))
    categories = {option.key for option in field.options}
    lines = []
    for line in value:
        if not isinstance(line, dict):
            return Cleaned(error=BAD_LINE)
        category, description = line.get("category"), line.get("description")
        amount = _minor(line.get("amount_minor"))
        if category not in categories or not isinstance(description, str) or amount is None:
            return Cleaned(error=BAD_LINE)
        try:
            description = one_line(description)
        except PydanticCustomError:
            return Cleaned(error=BAD_LINE)
        if not description or len(description) > 200:
            return Cleaned(error=BAD_LINE)
        lines.append({"category": category, "description": description, "amount_minor": amount})
    return Cleaned(lines)


_CLEANERS = {
    FieldType.SHORT_TEXT: _text, FieldType.LONG_TEXT: _text, FieldType.NUMBER: _number,
    FieldType.MONEY: _money, FieldType.CHOICE: _choice, FieldType.MULTIPLE_CHOICE: _choices,
    FieldType.DATE: _date, FieldType.FILE: _files, FieldType.BUDGET: _budget,
}


def clean_answer(field: FieldDef, value: Any) -> Cleaned:
    """One answer checked and normalised; a blank answer is None (allowed in a draft)."""
    if _is_blank(value):
        return Cleaned(None)
    return _CLEANERS[field.type](field, value)


def merge_answers(form: FormDef, saved: dict[str, Any],
                  changes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Apply changed answers to the saved ones: valid answers are kept, each invalid one is
    named and leaves its saved value alone; unknown keys are errors."""
    merged = dict(saved)
    errors: dict[str, str] = {}
    for key, value in changes.items():
        field = form.field(key)
        if field is None:
            errors[key] = _l("This question is not on the form.")
            continue
        cleaned = clean_answer(field, value)
        if cleaned.error is not None:
            errors[key] = cleaned.error
        elif cleaned.value is None:
            merged.pop(key, None)
        else:
            merged[key] = cleaned.value
    return merged, errors


def budget_total(lines: list[dict[str, Any]]) -> int:
    return sum(int(line["amount_minor"]) for line in lines)


def problems(form: FormDef, answers: dict[str, Any], requested_minor: int | None,
             existing_files: set[int]) -> dict[str, str]:
    """Everything that keeps these answers from being submitted, by field key."""
    found: dict[str, str] = {}
    for field in form.fields():
        value = answers.get(field.key)
        if _is_blank(value):
            if field.required:
                found[field.key] = REQUIRED
            continue
        cleaned = clean_answer(field, value)
        if cleaned.error is not None:
            found[field.key] = cleaned.error
        elif field.type is FieldType.FILE and not set(cleaned.value) <= existing_files:
            found[field.key] = NOT_FILES
        elif (field.type is FieldType.BUDGET and requested_minor is not None
              and budget_total(cleaned.value) != requested_minor):
            found[field.key] = _l("The budget lines must add up to the amount requested.")
    return found
