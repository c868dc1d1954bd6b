"""Extract translatable messages into locale/messages.pot and merge them into each .po catalog."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from gettext import c2py
from importlib.metadata import version
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from app.i18n import DEFAULT_LOCALE, LOCALE_DIR, LOCALES
from app.registry import CATALOG_DIRECTORIES
from app.templating import TEMPLATE_DIR, environment

ROOT = LOCALE_DIR.parent
PYTHON_DIRS = CATALOG_DIRECTORIES
TEMPLATE_PATTERNS = ("**/*.html", "**/*.txt")
POT_PATH = LOCALE_DIR / "messages.pot"
PROJECT = "Harambee"
COPYRIGHT = "The Harambee contributors"
COMMENT_TAGS = ("Translators:",)
DATES = re.compile(rb'"(POT-Creation|PO-Revision)-Date: [^"]*"')
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None, "_l": None, "lazy_gettext": None, "gettext": None, "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}
# Numbers tried, the most typical first, to find one that a plural rule sends to each form.
PLURAL_SAMPLES = (1, 2, 3, 5, 11, 21, 0, 101, 111, 1_000, 1_000_000)


def _jinja_options() -> dict[str, str]:
    """Parse templates as the runtime environment does, so msgids match what gettext receives."""
    env = environment()
    flags = {
        "trim_blocks": env.trim_blocks,
        "lstrip_blocks": env.lstrip_blocks,
        "newstyle_gettext": getattr(env, "newstyle_gettext", False),
        "trimmed": env.policies.get("ext.i18n.trimmed", False),
        "silent": False,  # a template that does not parse must fail, not lose its messages
    }
    options = {name: str(bool(value)).lower() for name, value in flags.items()}
    options["extensions"] = ",".join(sorted(env.extensions))
    return options


def _sources() -> Iterator[tuple[Path, str, dict[str, str]]]:
    for directory in PYTHON_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            yield path, "python", {}
    jinja = _jinja_options()
    for pattern in TEMPLATE_PATTERNS:
        for path in sorted(TEMPLATE_DIR.glob(pattern)):
            yield path, "jinja2.ext.babel_extract", jinja


def _new_catalog(locale: str | None) -> Catalog:
    """A template (no locale, header fuzzy as usual) or a fresh, empty catalog for `locale`."""
    return Catalog(
        locale=locale, project=PROJECT, version=version("harambee"),
        copyright_holder=COPYRIGHT, charset="utf-8", fuzzy=locale is None,
    )


def extract() -> Catalog:
    """Every message marked in the Python sources and the templates, with where it appears."""
    catalog = _new_catalog(None)
    for path, method, options in _sources():
        found = extract_from_file(
            method, path, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, options=options
        )
        location = path.relative_to(ROOT).as_posix()
        for lineno, message, comments, context in found:
            catalog.add(
                message, locations=[(location, lineno)], auto_comments=comments, context=context
            )
    return catalog


def _load(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return _new_catalog(locale)
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def _write(path: Path, catalog: Catalog) -> str:
    """Write the catalog unless only its dates would change, so reruns leave git clean."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100)
    if path.exists() and DATES.sub(b"", path.read_bytes()) == DATES.sub(b"", buffer.getvalue()):
        return "unchanged"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return "written"


def _is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def _samples(rule: Callable[[int], int], forms: int) -> list[int]:
    """For each of a rule's forms, a number the rule gives that form."""
    found = []
    for form in range(forms):
        number = next((n for n in PLURAL_SAMPLES if rule(n) == form), None)
        if number is None:
            raise ValueError(f"no number in PLURAL_SAMPLES takes plural form {form}")
        found.append(number)
    return found


def adopt_plural_forms(catalog: Catalog, plural_forms: str) -> bool:
    """Give the catalog the rule `plural_forms` (a Plural-Forms value) and move each plural
    message's translations to the forms of the same numbers, so [one, other] under a rule
    with one, many and other becomes [one, other, other]. False if the rule is the same."""
    if catalog.plural_forms == plural_forms:
        return False
    old_rule = c2py(catalog.plural_expr)
    catalog.mime_headers = [("Plural-Forms", plural_forms)]
    samples = _samples(c2py(catalog.plural_expr), catalog.num_plurals)
    for message in [*catalog, *catalog.obsolete.values()]:
        if message.id and isinstance(message.string, (list, tuple)):
            old = tuple(message.string)
            message.string = tuple(
                old[old_rule(n)] if old_rule(n) < len(old) else "" for n in samples)
    return True


def update_catalogs() -> list[str]:
    """Write the template, then merge it into every locale's catalog; returns one line per file."""
    template = extract()
    status = _write(POT_PATH, template)
    report = [f"{POT_PATH.relative_to(ROOT)}: {status}, {len(template)} messages"]
    for locale in LOCALES:
        if locale == DEFAULT_LOCALE:
            continue
        path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
        catalog = _load(path, locale)
        catalog.version = template.version
        # before the merge, which marks fuzzy any plural message with the wrong number of forms
        adopt_plural_forms(catalog, Catalog(locale=locale).plural_forms)
        catalog.update(template)  # keeps translations; new or near-matched messages become fuzzy
        status = _write(path, catalog)
        to_do = sum(1 for message in catalog if message.id and not _is_translated(message))
        report.append(
            f"{path.relative_to(ROOT)}: {status}, {len(catalog)} messages, "
            f"{to_do} to translate or review (empty or fuzzy), {len(catalog.obsolete)} obsolete"
        )
    return report


def main() -> None:
    for line in update_catalogs():
        print(line)


if __name__ == "__main__":
    main()
