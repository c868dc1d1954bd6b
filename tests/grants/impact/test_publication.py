"""The public directory's rules, without a database: what a project's public record holds,
with and without the co-op's consents, and the directory's filters."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

from app import i18n
from grants.impact.publication import (
    IndicatorFacts,
    ProjectFacts,
    PublicProject,
    ReportFacts,
    highlights,
    neutral_label,
    publish,
    publish_all,
)
from grants.impact.service.directory import Filters
from grants.projects.statuses import Direction

FACTS = ProjectFacts(
    id=7, status="active", title="Cupping lab", category="quality", kind="equipment",
    amount_minor=1_000_000, currency="USD", starts_on=date(2027, 1, 1),
    ends_on=date(2027, 12, 31), country="KE", commodities=("coffee", "tea"),
    legal_name="Kiambu Growers", publish_name=False, publish_outcomes=True,
    public_summary={"en": "A lab to cup every lot.", "es": "Un laboratorio de catación."})
CATALOGUE = [
    IndicatorFacts("yield_per_ha", {"en": "Yield per hectare", "es": "Rendimiento por hectárea"},
                   "kg_per_ha", "up"),
    IndicatorFacts("cost_of_production", {"en": "Cost of production"}, "per_kg", "down"),
]


def report(kind: str, values: dict[str, object], *, status: str = "accepted",
           number: int = 1, project_id: int = 7) -> ReportFacts:
    return ReportFacts(project_id=project_id, kind=kind, number=number, status=status,
                       values=values)


ACCEPTED_PAIR = [report("baseline", {"yield_per_ha": 800, "cost_of_production": 2.5}),
                 report("final", {"yield_per_ha": 1150, "cost_of_production": 2.0})]


def test_only_accepted_agreements_are_listed() -> None:
    for status in ("agreement", "cancelled"):
        assert publish(replace(FACTS, status=status), [], CATALOGUE) is None
    assert publish(replace(FACTS, status="completed"), [], CATALOGUE) is not None
    listed = publish_all([FACTS, replace(FACTS, id=8, status="agreement")], [], CATALOGUE)
    assert [p.id for p in listed] == [7]


def test_the_name_is_shown_only_with_consent() -> None:
    hidden = publish(FACTS, [], CATALOGUE)
    assert hidden is not None and not hidden.named
    assert hidden.cooperative == "A co-op in Kenya producing coffee and tea"
    assert "Kiambu" not in repr(hidden)
    shown = publish(replace(FACTS, publish_name=True), [], CATALOGUE)
    assert shown is not None and (shown.cooperative, shown.named) == ("Kiambu Growers", True)


def test_the_neutral_label_is_translated() -> None:
    with i18n.use_locale("es"):
        label = neutral_label("KE", ["coffee"])
    assert "Kenia" in label and "Kenya" not in label
    assert neutral_label("PE", []) == "A co-op in Peru"


def test_outcomes_need_consent_and_accepted_reports() -> None:
    published = publish(FACTS, ACCEPTED_PAIR, CATALOGUE)
    assert published is not None
    assert published.summary == "A lab to cup every lot."
    (yield_, cost) = published.highlights
    assert (yield_.indicator, yield_.baseline, yield_.final) == ("yield_per_ha", 800, 1150)
    assert yield_.figure == "800 → 1,150 kg per hectare"
    assert yield_.change_percent is not None and round(yield_.change_percent) == 44
    assert cost.change_percent is not None and round(cost.change_percent) == 20  # lower: better
    private = publish(replace(FACTS, publish_outcomes=False), ACCEPTED_PAIR, CATALOGUE)
    assert private is not None and (private.summary, private.highlights) == ("", ())


def test_no_figures_without_both_accepted_reports() -> None:
    baseline_only = [ACCEPTED_PAIR[0], report("midline", {"yield_per_ha": 999})]
    assert highlights(baseline_only, CATALOGUE) == ()
    submitted_final = [ACCEPTED_PAIR[0], report("final", {"yield_per_ha": 5}, status="submitted")]
    assert highlights(submitted_final, CATALOGUE) == ()
    returned = [*ACCEPTED_PAIR, report("final", {"yield_per_ha": 5}, status="returned",
                                       number=2)]
    assert [h.final for h in highlights(returned, CATALOGUE)] == [1150, 2.0]


def test_only_numbers_both_reports_give_are_shown() -> None:
    pair = [report("baseline", {"yield_per_ha": 800, "hectares_mapped": "many",
                                "members_trained_women": 10, "flag": True}),
            report("final", {"yield_per_ha": 900, "members_trained_women": 25, "flag": True})]
    shown = highlights(pair, CATALOGUE)
    assert [h.indicator for h in shown] == ["yield_per_ha", "members_trained_women"]
    assert shown[1].name == "Women members trained"      # from the default catalogue
    assert shown[1].figure == "10 → 25 people"


def test_reports_of_other_projects_are_not_mixed_in() -> None:
    other = [report("baseline", {"yield_per_ha": 1}, project_id=8),
             report("final", {"yield_per_ha": 2}, project_id=8)]
    (published,) = publish_all([FACTS], other, CATALOGUE)
    assert published.highlights == ()


def test_the_public_record_has_no_private_field() -> None:
    names = {f.name for f in fields(PublicProject)}
    assert not names & {"legal_name", "region", "milestones", "indicators", "narrative",
                        "review_comment", "publish_name", "publish_outcomes", "answers"}


def test_figures_read_in_the_viewers_language() -> None:
    published = publish(FACTS, ACCEPTED_PAIR, CATALOGUE)
    assert published is not None
    with i18n.use_locale("es"):
        spanish = publish(FACTS, ACCEPTED_PAIR, CATALOGUE)
        assert spanish is not None
        assert spanish.highlights[0].name == "Rendimiento por hectárea"
        assert spanish.highlights[0].figure == "de 800 a 1.150 kg por hectárea"
        assert spanish.summary == "Un laboratorio de catación."
    with i18n.use_locale("fr"):
        french = publish(FACTS, ACCEPTED_PAIR, CATALOGUE)
        assert french is not None and french.summary == "A lab to cup every lot."  # en next


def test_filters_keep_known_values_and_name_the_others() -> None:
    filters = Filters.from_query({"country": "ke", "commodity": "coffee", "category": "quality",
                                  "kind": "equipment", "status": "completed", "year": "2027",
                                  "q": " lab "})
    assert filters.active == {"q": "lab", "country": "KE", "commodity": "coffee",
                              "category": "quality", "kind": "equipment",
                              "status": "completed", "year": "2027"}
    assert filters.ignored == ()
    odd = Filters.from_query({"country": "XX", "commodity": "gold", "kind": "x",
                              "status": "agreement", "year": "20x7", "q": "a\x00b",
                              "category": "c" * 65})
    assert odd.active == {}
    assert set(odd.ignored) == {"country", "commodity", "kind", "status", "year", "q",
                                "category"}
    assert Filters.from_query({"year": "99999"}).year is None
    assert Filters.from_query({"q": "café", "page": "2"}).query_string(page=3) == \
        "q=caf%C3%A9&page=3"


def test_direction_of_a_catalogue_row_is_read() -> None:
    odd = [IndicatorFacts("yield_per_ha", {}, "kg_per_ha", "sideways")]
    shown, cost = highlights(ACCEPTED_PAIR, odd)
    assert shown.name == "yield_per_ha" and shown.change_percent is not None
    assert shown.change_percent > 0                                 # read as "up"
    assert cost.name == "Cost of production"                        # the default's
    assert cost.change_percent is not None and cost.change_percent > 0
    assert Direction.DOWN.value == "down"
