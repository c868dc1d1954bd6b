"""Eligibility rules against a co-op profile: one finding per rule, each with its reason."""

from __future__ import annotations

from app.i18n import gettext, use_locale
from grants.calls.eligibility import Finding, Profile, Rules, check, passes

PROFILE = Profile(country="PE", commodities=frozenset({"coffee", "cocoa"}),
                  certifications=frozenset({"fairtrade"}), members_total=240,
                  legal_form="cooperative")


def test_no_rules_means_anyone() -> None:
    assert check(Rules(), PROFILE) == [] and passes([])


def test_each_rule_passes_or_fails_on_its_own() -> None:
    rules = Rules(countries=["PE", "CO"], commodities=["tea", "coffee"],
                  certifications=["organic"], min_members=300, legal_forms=["cooperative"])
    findings = {f.rule: f for f in check(rules, PROFILE)}
    assert {rule: f.passed for rule, f in findings.items()} == {
        "countries": True, "commodities": True, "certifications": False,
        "min_members": False, "legal_forms": True}
    assert not passes(list(findings.values()))
    with use_locale("es"):
        told = gettext(findings["min_members"].text())
    assert "300" in told and "240" in told


def test_findings_survive_a_round_trip_through_json() -> None:
    finding = check(Rules(min_members=500), PROFILE)[0]
    assert type(finding).from_json(finding.as_json()) == finding


def test_a_finding_stored_before_its_message_was_reworded_reads_in_the_new_words() -> None:
    stored = {**check(Rules(min_members=500), PROFILE)[0].as_json(), "message":
              "This call asks for at least %(minimum)s members; the profile gives %(members)s."}
    with use_locale("es"):
        told = gettext(Finding.from_json(stored).text())
    assert told == ("Esta convocatoria pide un número de socios de al menos 500; "
                    "el perfil indica 240.")


def test_boundaries() -> None:
    assert passes(check(Rules(min_members=240), PROFILE))
    assert not passes(check(Rules(countries=["KE"]), PROFILE))
    assert not passes(check(Rules(commodities=["tea"]), PROFILE))
    assert not passes(check(Rules(legal_forms=["association"]), PROFILE))
