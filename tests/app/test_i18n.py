"""Translation catalogs against the extracted messages, locale negotiation, translated rendering."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from app import i18n, i18n_catalogs
from app.templating import environment, render_text

# msgids whose translation may be spelled exactly as the English (names, codes).
SAME_AS_ENGLISH = frozenset({"Harambee", "OK", "API"})
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")
TRANSLATED_LOCALES = [code for code in i18n.LOCALES if code != i18n.DEFAULT_LOCALE]
COMPLETE_LOCALES = [code for code in i18n.COMPLETE_LOCALES if code != i18n.DEFAULT_LOCALE]


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return i18n_catalogs.extract()


def _po_path(locale: str) -> Path:
    return i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


def _catalog(locale: str) -> Catalog:
    with _po_path(locale).open("rb") as po_file:
        return read_po(po_file, locale=locale, abort_invalid=True)


def _strings(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """The forms of a msgid or msgstr: one, or several for a plural message."""
    if value is None or isinstance(value, str):
        return (value or "",)
    return tuple(value)


def _problem(translation: Message | None, msgid: str | Sequence[str]) -> str | None:
    if translation is None:
        return "missing"
    strings = _strings(translation.string)
    if not all(strings):
        return "empty"
    if translation.fuzzy:
        return "fuzzy"
    english = _strings(msgid)[0]
    if strings[0] == english and english not in SAME_AS_ENGLISH:
        return "same as English"
    return None


@pytest.mark.parametrize("locale", COMPLETE_LOCALES)
def test_complete_catalog_translates_every_message(locale: str, extracted: Catalog) -> None:
    catalog = _catalog(locale)
    problems = []
    for message in extracted:
        if message.id:
            problem = _problem(catalog.get(message.id, message.context), message.id)
            if problem:
                problems.append(f"  {problem}: {message.id!r}")
    assert not problems, (
        f"{locale}: run `make messages`, then translate in {_po_path(locale)}:\n"
        + "\n".join(problems)
    )


# Where the messages people outside the foundation read come from: applicants (co-ops),
# anyone signing up. Those are translated in every language; staff pages in the complete ones.
APPLICANT_SOURCES = (
    "templates/base.html", "templates/macros.html", "templates/error.html",
    "templates/landing.html", "templates/home.html", "templates/accounts/", "templates/mail/",
    "templates/grants/applications/mail/", "templates/grants/coops/mail/",
    "templates/grants/review/mail/", "templates/grants/projects/mail/",
    "templates/grants/calls/directory.html", "templates/grants/calls/calls.html",
    "templates/grants/calls/call.html", "templates/grants/coops/coop_form.html",
    "templates/grants/applications/my_applications.html",
    "templates/grants/applications/editor.html",
    "templates/grants/applications/_answer_field.html",
    "templates/grants/applications/_answers.html", "templates/grants/_status.html",
    "app/errors.py", "app/forms.py", "app/storage.py", "app/accounts/",
    "grants/calls/formdef.py", "grants/calls/form_input.py", "grants/calls/eligibility.py",
    "grants/shared/workflow.py", "grants/shared/vocab.py", "grants/shared/schemas.py",
    "grants/calls/deadlines.py",
    "grants/coops/schemas.py", "grants/applications/schemas.py",
    "grants/applications/service/applicant.py", "grants/coops/service.py",
    "templates/campaigns/", "campaigns/pledges/consent.py", "campaigns/pledges/views.py",
    "campaigns/pledges/service/connect.py",
    # reviewers score in their own language too
    "templates/grants/review/review.html", "templates/grants/review/review_queue.html",
    "templates/grants/review/reviewer_profile.html", "templates/grants/review/_labels.html",
    "grants/review/rubric.py", "grants/review/schemas.py", "grants/review/service/reviewing.py",
)


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_what_applicants_read_is_translated_in_every_language(locale: str,
                                                             extracted: Catalog) -> None:
    catalog = _catalog(locale)
    problems = []
    applicant_facing = [message for message in extracted if message.id and any(
        path.startswith(APPLICANT_SOURCES) for path, _line in message.locations)]
    assert len(applicant_facing) > 200, "the sources above still hold the applicants' pages"
    for message in applicant_facing:
        problem = _problem(catalog.get(message.id, message.context), message.id)
        if problem and problem != "same as English":  # brand names read the same
            problems.append(f"  {problem}: {message.id!r}")
    assert not problems, (f"{locale}: applicant-facing messages to translate in "
                          f"{_po_path(locale)}:\n" + "\n".join(problems))


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_catalog_parses_with_the_plural_forms_of_its_language(locale: str) -> None:
    catalog = _catalog(locale)
    assert len(catalog) > 0
    assert catalog.plural_forms == Catalog(locale=locale).plural_forms
    assert i18n.translations(locale).ugettext("Password") != "Password"


# Nouns Harambee puts a number before. A message that shows a number and then one of these
# needs plural forms ("1 answers" in English, "1 respuestas" in Spanish): `ngettext` or
# `lazy_ngettext` in Python, `ngettext(...)` or `{% trans count=... %}...{% pluralize %}` in
# templates; or it reads "label: value" ("Followers reached: %(n)s"). Add a noun when
# something new is counted.
COUNTED_NOUNS = (
    "answers", "questions", "applications", "calls", "decisions", "reviewers", "reviews",
    "members", "co-ops", "cooperatives", "organisations", "people", "characters", "lines",
    "words", "files", "pages", "rows", "milestones", "tranches", "projects", "reports",
    "indicators", "rules", "seconds", "minutes", "hours", "days", "weeks", "months", "years",
    "followers", "supporters", "sponsors", "pledges", "campaigns", "posts", "reposts", "links",
    "accounts", "bids", "messages", "invitations",
)
# A number (a placeholder), then at most two words, none a preposition or a determiner (in
# "%(n)s from reviewers %(ids)s" or "@%(handle)s lends its followers" no number counts the
# noun), then a counted noun.
COUNTED = re.compile(
    r"%(?:\([^)]*\))?[sd]"
    r"(?:\s+(?!(?:from|of|by|to|for|in|on|at|with|and|or|the|a|an|its|their|your|our)\b)"
    r"[\w'’-]+){0,2}"
    r"\s+(?:" + "|".join(map(re.escape, COUNTED_NOUNS)) + r")\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("msgid", "counted"), [
    ("Saved, except %(count)s answers that need attention: save the draft to see them.", True),
    ("Application %(a)s has %(count)s eligible reviewers; it needs %(k)s.", True),
    ("Use at most %(limit)s budget lines.", True),
    ("%(n)s co-ops", True),
    ("Followers reached: %(followers)s", False),
    ("%(from_full)s from reviewers %(full)s at their maximum loads", False),
    ("Thank you: @%(handle)s lends its followers to “%(campaign)s”.", False),
    ("Page %(number)s of %(pages)s", False),
])
def test_a_number_before_a_counted_noun_is_found(msgid: str, counted: bool) -> None:
    assert bool(COUNTED.search(msgid)) is counted


def test_messages_that_count_have_plural_forms(extracted: Catalog) -> None:
    singular_only = [
        f"  {message.id!r} ({message.locations[0][0]}:{message.locations[0][1]})"
        for message in extracted
        if isinstance(message.id, str) and COUNTED.search(message.id)  # one form only
    ]
    assert not singular_only, (
        "these messages show a count with a noun but have one form only: use ngettext, "
        "lazy_ngettext or {% pluralize %}, or write them as 'label: value':\n"
        + "\n".join(singular_only))


@pytest.mark.parametrize(("n", "applications", "characters"), [
    (1, "1 solicitud", "Usa como máximo 1 carácter."),
    (2, "2 solicitudes", "Usa como máximo 2 caracteres."),
    (0, "0 solicitudes", "Usa como máximo 0 caracteres."),
    (1000000, "1000000 solicitudes", "Usa como máximo 1000000 caracteres.")])
def test_spanish_takes_the_form_of_the_count(n: int, applications: str, characters: str) -> None:
    """Spanish has a third form (CLDR's "many": exact millions), as plural as "other"."""
    template = environment().from_string(
        '{{ ngettext("%(num)s application", "%(num)s applications", n) }}')
    too_long = i18n.lazy_ngettext("Use at most %(limit)s character.",
                                  "Use at most %(limit)s characters.", n, limit=n)
    with i18n.use_locale("es"):
        assert template.render(n=n) == applications
        assert i18n.gettext(too_long) == characters
    assert i18n.gettext(too_long) == f"Use at most {n} character{'' if n == 1 else 's'}."


def test_a_catalog_takes_the_plural_rule_of_its_language_keeping_its_translations() -> None:
    catalog = Catalog(locale="fr")
    catalog.mime_headers = [("Plural-Forms", "nplurals=2; plural=(n > 1);")]
    catalog.add(("%(num)s answer", "%(num)s answers"), ("%(num)s réponse", "%(num)s réponses"))
    catalog.add("Password", "Mot de passe")
    rule = Catalog(locale="fr").plural_forms
    assert i18n_catalogs.adopt_plural_forms(catalog, rule)
    assert catalog.plural_forms == rule and catalog.num_plurals == 3
    assert catalog["%(num)s answer"].string == (  # one (0 and 1), many (millions), other
        "%(num)s réponse", "%(num)s réponses", "%(num)s réponses")
    assert catalog["Password"].string == "Mot de passe"
    assert not i18n_catalogs.adopt_plural_forms(catalog, rule)


def _translated_pairs(locale: str) -> list[tuple[Message, str]]:
    return [
        (message, string)
        for message in _catalog(locale) if message.id
        for string in _strings(message.string) if string
    ]


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_translations_keep_the_placeholders_of_the_msgid(locale: str) -> None:
    mismatched = []
    for message, string in _translated_pairs(locale):
        expected = set().union(*(PLACEHOLDER.findall(form) for form in _strings(message.id)))
        found = set(PLACEHOLDER.findall(string))
        # a plural form may leave out the count ("One co-op"); a singular message may not
        if not (found <= expected if message.pluralizable else found == expected):
            mismatched.append(f"  {message.id!r} -> {string!r}")
    assert not mismatched, f"{locale}: placeholders differ:\n" + "\n".join(mismatched)


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_translations_add_no_markup(locale: str) -> None:
    """Templates mark translations safe (newstyle gettext): `<`, `&` or `"` would reach the page."""
    added = [
        f"  {message.id!r} -> {string!r}"
        for message, string in _translated_pairs(locale)
        if set(string) & set('<>&"') - set("".join(_strings(message.id)))
    ]
    assert not added, f"{locale}: translations add HTML characters:\n" + "\n".join(added)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", []),
        ("es", ["es"]),
        ("ES-mx", ["es"]),
        ("pt-BR;q=0.5, sw;q=0.9, fr", ["fr", "sw", "pt"]),
        ("es, fr", ["es", "fr"]),
        ("fr;q=0, es", ["es"]),
        ("fr;q=high, es;q=0.2", ["es"]),
        ("*, sw;q=0.1", ["sw"]),
    ],
)
def test_parse_accept_language(header: str, expected: list[str]) -> None:
    assert i18n.parse_accept_language(header) == expected


@pytest.mark.parametrize(
    ("user", "query", "session", "accept", "expected"),
    [
        ("es", "fr", "pt", "sw", "es"),
        (None, "fr", "pt", "sw", "fr"),
        (None, None, "pt", "sw", "pt"),
        (None, None, None, "sw-KE, en;q=0.5", "sw"),
        (None, None, None, "", "en"),
        ("xx", "zz", "de", "de-DE, it;q=0.9, pt;q=0.1", "pt"),
        ("xx", None, None, "de", "en"),
    ],
)
def test_negotiate_prefers_user_then_query_then_session_then_header(
    user: str | None, query: str | None, session: str | None, accept: str, expected: str
) -> None:
    chosen = i18n.negotiate(
        user_locale=user, query_lang=query, session_lang=session, accept_language=accept
    )
    assert chosen == expected


def test_negotiate_only_offers_the_available_locales() -> None:
    chosen = i18n.negotiate(
        user_locale="fr", query_lang=None, session_lang=None,
        accept_language="fr, es;q=0.5", available=("en", "es"),
    )
    assert chosen == "es"


def test_spanish_catalog_translates_at_runtime() -> None:
    assert i18n.translations("es").ugettext("Password") == "Contraseña"
    with i18n.use_locale("es"):
        assert i18n.gettext("Password") == "Contraseña"
    with i18n.use_locale("xx"):
        assert i18n.gettext("Password") == "Password"


def test_mail_renders_in_spanish() -> None:
    context = {
        "user": SimpleNamespace(display_name="Amani"),
        "base_url": "https://harambee.example",
        "link": "/verify-email?token=abc",
    }
    with i18n.use_locale("es"):
        subject = render_text("mail/verify_email.subject.txt", context)
        body = render_text("mail/verify_email.txt", context)
    assert subject.strip() == "Confirma tu correo electrónico para Harambee"
    assert "Hola, Amani:" in body
    assert "https://harambee.example/verify-email?token=abc" in body
    assert "Please confirm" not in body


class _Recorder:
    """Stands in for a catalog and notes every msgid the templates ask it for."""

    def __init__(self) -> None:
        self.asked: list[str | tuple[str, str]] = []

    def ugettext(self, message: str) -> str:
        self.asked.append(message)
        return message

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        self.asked.append((singular, plural))
        return singular if n == 1 else plural


PROBE = """\
{% if name %}
  {% trans name=name %}
    Hello {{ name }}, you are 100% in.
  {% endtrans %}
{% endif %}
<p>{{ _("Welcome, %(name)s", name=name) }}</p>
{% trans count=n %}One co-op{% pluralize %}{{ count }} co-ops, 5% funded{% endtrans %}
"""


def test_extracted_msgids_are_the_ones_templates_ask_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whitespace control, `trans` blocks and `%` escaping must give the runtime's msgids."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "probe.html").write_text(PROBE, encoding="utf-8")
    monkeypatch.setattr(i18n_catalogs, "ROOT", tmp_path)
    monkeypatch.setattr(i18n_catalogs, "TEMPLATE_DIR", tmp_path / "templates")
    monkeypatch.setattr(i18n_catalogs, "PYTHON_DIRS", ())
    extracted = {message.id for message in i18n_catalogs.extract() if message.id}
    recorder = _Recorder()
    monkeypatch.setattr(i18n, "translations", lambda _locale: recorder)
    environment().from_string(PROBE).render(name="Amani", n=3)
    assert set(recorder.asked) == extracted
    assert len(extracted) == 3


def test_counts_are_written_as_the_reader_writes_them() -> None:
    template = environment().from_string(
        '{{ ngettext("%(num)s follower", "%(num)s followers", n, num=n|number) }}')
    with i18n.use_locale("es"):
        assert template.render(n=1200) == "1.200 seguidores"
    with i18n.use_locale("en"):
        assert template.render(n=1200) == "1,200 followers"
        assert template.render(n=1) == "1 follower"
