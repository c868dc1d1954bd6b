"""What the application editor's HTML form sends, turned into the JSON-shaped answers the
use cases take (the API sends those directly).

The editor names an answer `a.<key>`; a budget line `a.<key>.<n>.category|description|amount`.
Amounts are typed as people write them and read in the application's currency. Every field
of the form is on the page, so a multiple-choice question with no box ticked is cleared.
Pure functions: no I/O.
"""

from __future__ import annotations

from typing import Any

from app.money import parse_amount
from grants.calls.formdef import BAD_LINE, NOT_MONEY, FieldType, FormDef


def _money(text: Any, currency: str) -> int | str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    parsed = parse_amount(text, currency)
    return parsed if parsed is not None else text


def _budget(rows: Any, currency: str) -> tuple[list[dict[str, Any]], bool]:
    """The lines typed, blank rows dropped; False when a row is half filled or unreadable."""
    if not isinstance(rows, list):
        return [], rows in (None, "", {})
    lines, readable = [], True
    for row in rows:
        if not isinstance(row, dict):
            readable = False
            continue
        category = str(row.get("category") or "").strip()
        description = str(row.get("description") or "").strip()
        amount_text = str(row.get("amount") or "").strip()
        if not (description or amount_text):
            continue  # a blank row (the category list always has a value)
        amount = parse_amount(amount_text, currency) if amount_text else None
        if not category or not description or amount is None:
            readable = False
            continue
        lines.append({"category": category, "description": description, "amount_minor": amount})
    return lines, readable


def answers_from_form(form: FormDef, sent: Any, currency: str, only: set[str] | None = None
                      ) -> tuple[dict[str, Any], dict[str, str]]:
    """(answers to save, errors for what could not even be read). `only`: the keys of the
    questions the request carries (the autosave sends what changed); None: all of them."""
    sent = sent if isinstance(sent, dict) else {}
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in form.fields():
        value = sent.get(field.key)
        if field.type is FieldType.FILE or (only is not None and field.key not in only):
            continue  # files are uploaded and removed through their own requests
        if field.type is FieldType.MONEY:
            amount = _money(value, currency)
            if isinstance(amount, str):
                errors[field.key] = NOT_MONEY
                continue
            answers[field.key] = amount
        elif field.type is FieldType.BUDGET:
            lines, readable = _budget(value, currency)
            if not readable:
                errors[field.key] = BAD_LINE
                continue
            answers[field.key] = lines
        elif field.type is FieldType.MULTIPLE_CHOICE:
            answers[field.key] = [value] if isinstance(value, str) else (value or [])
        else:
            answers[field.key] = value if isinstance(value, str) else None
    return answers, errors


def shown_back(form: FormDef, sent: Any) -> dict[str, Any]:
    """What was typed, in shapes the editor can show again (a form can send any shape)."""
    sent = sent if isinstance(sent, dict) else {}
    shown: dict[str, Any] = {}
    for field in form.fields():
        if field.key not in sent:
            continue
        value = sent[field.key]
        if field.type is FieldType.BUDGET:
            rows = value if isinstance(value, list) else []
            shown[field.key] = [{name: str(row.get(name) or "") for name in
                                 ("category", "description", "amount")}
                                for row in rows if isinstance(row, dict)]
        elif field.type is FieldType.MULTIPLE_CHOICE:
            values = [value] if isinstance(value, str) else value
            if isinstance(values, list):
                shown[field.key] = [v for v in values if isinstance(v, str)]
        elif isinstance(value, str):
            shown[field.key] = value
    return shown
