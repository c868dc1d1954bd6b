"""Validation shared by HTML forms and the JSON API: pydantic errors become a translated 422."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from babel.numbers import list_currencies
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from app.errors import Invalid
from app.i18n import LOCALES
from app.i18n import lazy_gettext as _l
from app.money import MAX_MINOR, parse_amount

Schema = TypeVar("Schema", bound=BaseModel)


# Overrides and isolates can make a name read backwards in a mail subject (spoofing).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def one_line(value: str) -> str:
    """Names end up in mail headers and page titles: no control characters, one space."""
    if any(unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS for char in value):
        raise invalid(_l("Use letters, digits and punctuation on one line."))
    return " ".join(value.split())


ONE_LINE = AfterValidator(one_line)


def text_block(value: str) -> str:
    """Paragraphs (comments, descriptions): line breaks and tabs, no other control character."""
    if any((unicodedata.category(char) == "Cc" and char not in "\n\r\t")
           or char in BIDI_CONTROLS for char in value):
        raise invalid(_l("Use letters, digits and punctuation only."))
    return value.replace("\r\n", "\n")


TEXT_BLOCK = AfterValidator(text_block)

def per_locale(value: Any) -> dict[str, str]:
    """Texts given per language ({"en": "...", "es": "..."}): blank ones are dropped,
    unknown languages refused, each a block of text without control characters."""
    if not isinstance(value, dict):
        raise invalid(_l("Give a text in at least one language."))
    texts = {str(code): text_block(text.strip()) for code, text in value.items()
             if isinstance(text, str) and text.strip()}
    if any(code not in LOCALES for code in texts):
        raise invalid(_l("Use only the languages offered."))
    return texts


def utc_moment(moment: datetime, zone: ZoneInfo) -> datetime:
    """A time typed without an offset is in `zone`; stored in UTC. Years from 2000 to 2100
    only: a far date would overflow when shown in another timezone."""
    if not 2000 <= moment.year <= 2100:
        raise invalid(_l("Enter a date between the years 2000 and 2100."))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _string_list(value: Any) -> Any:
    """A form sends one ticked box as a string and none as nothing."""
    return [value] if isinstance(value, str) else value


StringList = Annotated[list[str], BeforeValidator(_string_list)]


# A row's id as a client sends it: a positive 32-bit integer, so a huge number is a clear
# 422, never an overflow in the database driver.
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]


class Input(BaseModel):
    """Base of every input schema: unknown fields (a form's button, say) are ignored."""

    model_config = ConfigDict(extra="ignore")

_MESSAGES = {
    "missing": _l("This field is required."),
    "string_too_short": _l("This is too short."),
    "string_too_long": _l("This is too long."),
    "value_error": _l("This value is not valid."),
    "value_not_int": _l("Enter a whole number."),
    "int_parsing": _l("Enter a whole number."),
    "enum": _l("Choose one of the options."),
    "literal_error": _l("Choose one of the options."),
}
GENERIC = _l("This value is not valid.")


def _currency_code(value: object) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if len(code) != 3 or code not in list_currencies():
        raise invalid(_l("Use a three-letter currency code, such as USD, EUR or KES."))
    return code


# An ISO 4217 code as people type it ("kes" is KES); anything else is refused by name.
CurrencyCode = Annotated[str, BeforeValidator(_currency_code)]


def invalid(message: str) -> PydanticCustomError:
    """A field error whose message is one of ours (marked for translation)."""
    return PydanticCustomError("harambee", message)


def _message(error: Any) -> str:
    if error["type"] == "harambee":
        return str(error["msg"])
    if error["type"] == "value_error" and "email" in str(error.get("msg", "")).lower():
        return _l("Enter a valid email address.")
    return _MESSAGES.get(error["type"], GENERIC)


def errors_by_field(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "__all__"
        fields.setdefault(name, _message(error))
    return fields


def validate(schema: type[Schema], data: Mapping[str, Any],
             context: dict[str, Any] | None = None, *, keep_blank: bool = False) -> Schema:
    """Validate form or JSON data; blank fields count as missing unless `keep_blank` (a JSON
    PATCH clearing a text). `context` reaches the schema's validators (the currency that
    amounts typed in a form are in, say)."""
    cleaned = {key: value for key, value in data.items() if keep_blank or value != ""}
    try:
        return schema.model_validate(cleaned, context=context)
    except ValidationError as exc:
        raise Invalid(fields=errors_by_field(exc)) from exc


MAX_NESTING = 4


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted form names become nested data: {"title.en": "x"} -> {"title": {"en": "x"}};
    a level whose keys are all numbers becomes a list in that order ("lines.0.amount")."""
    root: dict[str, Any] = {}
    for name, value in flat.items():
        parts = name.split(".")
        if len(parts) > MAX_NESTING or any(part == "" for part in parts):
            continue  # not a name our forms use
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if not isinstance(node.get(parts[-1]), dict):
            node[parts[-1]] = value
    nested: dict[str, Any] = _lists(root)  # the top level always has names, never numbers
    return nested


def texts_under(nested: Mapping[str, Any], key: str) -> dict[str, str]:
    """The texts a form sent under `key.<name>`, by name (`nest`ed): {} when it sent none,
    and a value that is not one text (a repeated field, a deeper name) as its text."""
    group = nested.get(key)
    if not isinstance(group, dict):
        return {}
    return {name: value if isinstance(value, str) else str(value)
            for name, value in group.items()}


def _lists(node: dict[str, Any]) -> Any:
    converted = {key: _lists(value) if isinstance(value, dict) else value
                 for key, value in node.items()}
    if converted and all(key.isascii() and key.isdigit() and len(key) <= 3 for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def validate_partial(schema: type[Schema], data: Mapping[str, Any],
                     context: dict[str, Any] | None = None, *, keep_blank: bool = False
                     ) -> tuple[Schema, dict[str, str]]:
    """Validate what can be: fields in error are dropped and named, the rest is kept
    (a draft saves every good answer). The schema must accept every field missing."""
    errors: dict[str, str] = {}
    remaining = dict(data)
    for _attempt in range(len(data) + 1):
        try:
            return validate(schema, remaining, context, keep_blank=keep_blank), errors
        except Invalid as error:
            wrong = {name.split(".")[0] for name in error.fields}
            errors.update({name.split(".")[0]: text for name, text in error.fields.items()})
            if not wrong & set(remaining):
                break
            remaining = {k: v for k, v in remaining.items() if k not in wrong}
    return schema.model_validate({}, context=context), errors


# -- amounts ---------------------------------------------------------------------------------

MONEY_HELP = _l("Enter an amount, such as 1500 or 1,500.50.")


def _amount(value: Any, info: ValidationInfo) -> Any:
    """Whole minor units as they are; text typed in a form, read in the context's currency."""
    if isinstance(value, str):
        currency = (info.context or {}).get("currency")
        if currency is None:  # JSON: whole minor units only, never text or a float
            raise invalid(_l("Send an amount as a whole number of minor units (cents)."))
        parsed = parse_amount(value, currency)
        if parsed is None:
            raise invalid(MONEY_HELP)
        return parsed
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(MONEY_HELP)
    return value


Minor = Annotated[int, BeforeValidator(_amount), Field(ge=0, le=MAX_MINOR)]
