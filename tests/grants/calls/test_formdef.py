"""The application form as data: definitions are checked, answers are cleaned and kept."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.i18n import LOCALES, gettext
from grants.calls.default_form import DEFAULT_FORM
from grants.calls.formdef import FormDef, clean_answer, merge_answers, problems

FORM: dict[str, Any] = {"sections": [
    {"key": "project", "title": {"en": "The project"}, "fields": [
        {"key": "summary", "type": "long_text", "label": {"en": "Summary"}, "max_length": 50},
        {"key": "name", "type": "short_text", "label": {"en": "Name"}, "identifying": True},
        {"key": "people", "type": "number", "label": {"en": "People"}, "minimum": 1,
         "maximum": 5000},
        {"key": "match", "type": "money", "label": {"en": "Own contribution"},
         "required": False},
        {"key": "area", "type": "choice", "label": {"en": "Area"}, "options": [
            {"key": "north", "label": {"en": "North"}},
            {"key": "south", "label": {"en": "South"}}]},
        {"key": "crops", "type": "multiple_choice", "label": {"en": "Crops"}, "options": [
            {"key": "coffee", "label": {"en": "Coffee"}}, {"key": "tea", "label": {"en": "Tea"}}]},
        {"key": "start", "type": "date", "label": {"en": "Start"}},
        {"key": "papers", "type": "file", "label": {"en": "Certificate"}},
        {"key": "budget", "type": "budget", "label": {"en": "Budget"}, "options": [
            {"key": "training", "label": {"en": "Training"}},
            {"key": "equipment", "label": {"en": "Equipment"}}]},
    ]},
]}


def form() -> FormDef:
    return FormDef.model_validate(FORM)


def test_definitions_that_cannot_work_are_refused() -> None:
    twice = {"sections": [{"key": "a", "title": {"en": "A"}, "fields": [
        FORM["sections"][0]["fields"][0], FORM["sections"][0]["fields"][0]]}]}
    no_options = {"sections": [{"key": "a", "title": {"en": "A"}, "fields": [
        {"key": "x", "type": "choice", "label": {"en": "X"}}]}]}
    bad_locale = {"sections": [{"key": "a", "title": {"xx": "A"}, "fields": [
        {"key": "x", "type": "date", "label": {"en": "X"}}]}]}
    bad_key = {"sections": [{"key": "a", "title": {"en": "A"}, "fields": [
        {"key": "X; drop", "type": "date", "label": {"en": "X"}}]}]}
    for definition in (twice, no_options, bad_locale, bad_key, {"sections": []}):
        with pytest.raises(ValidationError):
            FormDef.model_validate(definition)


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("summary", "  Cupping\r\ntraining  ", "Cupping\ntraining"),
    ("name", "Coop   La  Esperanza", "Coop La Esperanza"),
    ("people", "12,5", "12.5"),
    ("people", 120, "120"),
    ("match", 150000, 150000),
    ("area", "north", "north"),
    ("crops", ["tea", "coffee", "tea"], ["coffee", "tea"]),
    ("start", "2027-03-31", "2027-03-31"),
    ("papers", [3, 3, 4], [3, 4]),
    ("budget", [{"category": "training", "description": " Cupping  course ",
                 "amount_minor": 5000}],
     [{"category": "training", "description": "Cupping course", "amount_minor": 5000}]),
])
def test_good_answers_are_normalised(key: str, value: Any, expected: Any) -> None:
    cleaned = clean_answer(form().field(key), value)  # type: ignore[arg-type]
    assert cleaned.error is None and cleaned.value == expected


@pytest.mark.parametrize(("key", "value"), [
    ("summary", "x" * 51), ("summary", 5), ("name", "evil\u202ename"), ("people", "lots"),
    ("people", "0"), ("people", "NaN"), ("people", True), ("match", -1), ("match", "12"),
    ("match", 10**16), ("area", "east"), ("crops", "coffee"), ("start", "31/03/2027"),
    ("start", "2027-02-30"), ("papers", ["a"]),
    ("budget", [{"category": "travel", "description": "x", "amount_minor": 1}]),
    ("budget", [{"category": "training", "description": "", "amount_minor": 1}]),
    ("budget", [{"category": "training", "description": "x", "amount_minor": -5}]),
    ("budget", "lots"),
])
def test_bad_answers_are_named(key: str, value: Any) -> None:
    cleaned = clean_answer(form().field(key), value)  # type: ignore[arg-type]
    assert cleaned.error is not None and gettext(cleaned.error)


def test_a_draft_keeps_every_valid_answer_and_names_the_rest() -> None:
    saved = {"summary": "Old summary", "area": "south"}
    merged, errors = merge_answers(form(), saved, {
        "summary": "New summary", "people": "many", "area": "", "ghost": "boo"})
    assert merged == {"summary": "New summary"}  # area cleared; people left as it was (absent)
    assert set(errors) == {"people", "ghost"}


def test_submission_names_every_problem_at_once() -> None:
    answers = {"summary": "Cupping", "budget": [
        {"category": "training", "description": "Course", "amount_minor": 4000},
        {"category": "equipment", "description": "Cupping table", "amount_minor": 2000}],
        "papers": [7]}
    found = problems(form(), answers, requested_minor=5000, existing_files=set())
    assert set(found) == {"name", "people", "area", "crops", "start", "papers", "budget"}
    assert "add up" in gettext(found["budget"])
    complete = {**answers, "name": "La Esperanza", "people": "40", "area": "north",
                "crops": ["coffee"], "start": "2027-01-15"}
    assert problems(form(), complete, requested_minor=6000, existing_files={7}) == {}


def test_the_default_form_is_valid_and_speaks_every_language() -> None:
    form = FormDef.model_validate(DEFAULT_FORM)
    texts = [section.title for section in form.sections] + [f.label for f in form.fields()]
    assert all(set(text) == set(LOCALES) for text in texts)
