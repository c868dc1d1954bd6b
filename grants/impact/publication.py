"""What the public directory of funded projects may show, pure: no database.

The page, the CSV and the API are all made from one record, `PublicProject`, built here and
only here from what the co-op agreed to publish:

- listed: projects whose agreement the co-op accepted (under way or completed);
- always shown: country (never the region), commodities, challenge, project type, amount,
  dates and status;
- the co-op's name and the title it wrote (which may name it) only with its consent
  (`publish_name`), else a neutral label built from its country and commodities and a
  title built from the challenge and the project type; search matches named projects only;
- outcomes only with its consent (`publish_outcomes`): the summary written for the public
  and, from accepted reports only, each indicator's accepted baseline and final values.

Nothing else reaches the record, so nothing else (narratives, review comments, values of
reports not accepted, milestones, tranches, contacts) can reach a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.lists import format_list

from app import i18n
from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from grants.projects.outcomes import DEFAULT_INDICATORS, UNITS, change
from grants.projects.statuses import Direction, ProjectStatus, ReportKind, ReportStatus
from grants.shared import vocab

LISTED = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)
STATUS_LABELS = {
    ProjectStatus.ACTIVE: _l("under way"),
    ProjectStatus.COMPLETED: _l("completed"),
}
_DEFAULTS = {d.key: d for d in DEFAULT_INDICATORS}


# Messages formatted after translating (module constants, so that extraction finds them).
IN_COUNTRY = _l("A co-op in %(country)s")
IN_COUNTRY_PRODUCING = _l("A co-op in %(country)s producing %(commodities)s")
FROM_TO = _l("%(baseline)s → %(final)s %(unit)s")

@dataclass(frozen=True)
class ProjectFacts:
    """A project as the directory reads it: the public columns, the consents, and the co-op's
    name, which only `publish` decides whether to show."""

    id: int
    status: str
    title: str
    category: str
    kind: str
    amount_minor: int
    currency: str
    starts_on: date
    ends_on: date
    country: str
    commodities: tuple[str, ...]
    legal_name: str
    publish_name: bool
    publish_outcomes: bool
    public_summary: Mapping[str, str] | None


@dataclass(frozen=True)
class ReportFacts:
    project_id: int
    kind: str
    number: int
    status: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class IndicatorFacts:
    key: str
    names: Mapping[str, str]      # per locale
    unit: str
    direction: str


@dataclass(frozen=True)
class Highlight:
    """One indicator from its accepted baseline to its accepted final value."""

    indicator: str
    name: str
    unit: str
    baseline: float
    final: float
    change_percent: float | None   # relative change, positive when it is better

    @property
    def figure(self) -> str:
        """'800 → 1,150 kg per hectare' in the viewer's language."""
        return i18n.gettext(Msg(FROM_TO, baseline=number_text(self.baseline),
                                final=number_text(self.final), unit=unit_label(self.unit))
                            ).strip()

    @property
    def change_text(self) -> str:
        if self.change_percent is None:
            return ""
        sign = "+" if self.change_percent > 0 else ""
        return f"{sign}{number_text(round(self.change_percent))} %"


@dataclass(frozen=True)
class PublicProject:
    """Everything the directory shows of a project, in the viewer's language."""

    id: int
    title: str
    cooperative: str              # the name, with consent; a neutral label without
    named: bool
    country: str
    country_name: str
    commodities: tuple[str, ...]
    commodity_names: str
    category: str
    category_label: str
    kind: str
    kind_label: str
    amount_minor: int
    currency: str
    starts_on: date
    ends_on: date
    status: str
    status_label: str
    summary: str
    highlights: tuple[Highlight, ...]


def is_listed(status: str) -> bool:
    return status in LISTED


def publish(facts: ProjectFacts, reports: Iterable[ReportFacts],
            catalogue: Sequence[IndicatorFacts]) -> PublicProject | None:
    """The public record of a project, or None when it is not listed."""
    if not is_listed(facts.status):
        return None
    consented = facts.publish_outcomes
    return PublicProject(
        id=facts.id, title=facts.title if facts.publish_name else anonymous_title(facts),
        cooperative=facts.legal_name if facts.publish_name
        else neutral_label(facts.country, facts.commodities),
        named=facts.publish_name,
        country=facts.country, country_name=vocab.country_name(facts.country),
        commodities=facts.commodities,
        commodity_names=vocab.names(vocab.COMMODITIES, list(facts.commodities)),
        category=facts.category, category_label=vocab.label(vocab.CATEGORIES, facts.category),
        kind=facts.kind, kind_label=vocab.label(vocab.PROJECT_TYPES, facts.kind),
        amount_minor=facts.amount_minor, currency=facts.currency,
        starts_on=facts.starts_on, ends_on=facts.ends_on,
        status=facts.status, status_label=i18n.gettext(STATUS_LABELS[ProjectStatus(facts.status)]),
        summary=i18n.localised(dict(facts.public_summary or {})) if consented else "",
        highlights=highlights(
            [r for r in reports if r.project_id == facts.id], catalogue) if consented else (),
    )


def publish_all(projects: Iterable[ProjectFacts], reports: Iterable[ReportFacts],
                catalogue: Sequence[IndicatorFacts]) -> list[PublicProject]:
    by_project: dict[int, list[ReportFacts]] = {}
    for report in reports:
        by_project.setdefault(report.project_id, []).append(report)
    published = (publish(p, by_project.get(p.id, []), catalogue) for p in projects)
    return [p for p in published if p is not None]


def anonymous_title(facts: ProjectFacts) -> str:
    """A title that cannot name the co-op (the one it wrote may): 'Quality · Training'."""
    challenge = vocab.label(vocab.CATEGORIES, facts.category)
    kind = vocab.label(vocab.PROJECT_TYPES, facts.kind) if facts.kind else ""
    return " · ".join(part for part in (challenge, kind) if part)


def neutral_label(country: str, commodities: Sequence[str]) -> str:
    """'A co-op in Kenya producing coffee and tea', for a co-op that keeps its name private."""
    place = vocab.country_name(country)
    if not commodities:
        return i18n.gettext(Msg(IN_COUNTRY, country=place))
    crops = [vocab.label(vocab.COMMODITIES, c).lower() for c in commodities]
    listed = str(format_list(crops, locale=i18n.babel_locale(i18n.current_locale())))
    return i18n.gettext(Msg(IN_COUNTRY_PRODUCING, country=place, commodities=listed))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _accepted(reports: Iterable[ReportFacts], kind: ReportKind) -> Mapping[str, Any] | None:
    """The values of the accepted report of this kind (the latest one, if several)."""
    found = sorted((r for r in reports if r.kind == kind and r.status == ReportStatus.ACCEPTED),
                   key=lambda r: r.number)
    return found[-1].values if found else None


def highlights(reports: Iterable[ReportFacts], catalogue: Sequence[IndicatorFacts]
               ) -> tuple[Highlight, ...]:
    """Baseline → final for each indicator both accepted reports give a number for; nothing
    until the final report is accepted."""
    reports = list(reports)
    baseline = _accepted(reports, ReportKind.BASELINE)
    final = _accepted(reports, ReportKind.FINAL)
    if baseline is None or final is None:
        return ()
    known = {i.key: i for i in catalogue}
    order = [i.key for i in catalogue] + sorted(set(baseline) - set(known))
    found = []
    for key in order:
        before, after = _number(baseline.get(key)), _number(final.get(key))
        if before is None or after is None:
            continue
        name, unit, direction = _describe(key, known.get(key))
        _difference, relative = change(before, after, direction)
        found.append(Highlight(indicator=key, name=name, unit=unit, baseline=before,
                               final=after, change_percent=relative))
    return tuple(found)


def _describe(key: str, indicator: IndicatorFacts | None) -> tuple[str, str, Direction]:
    """An indicator's name in the viewer's language, its unit and its direction."""
    if indicator is not None:
        direction = Direction(indicator.direction) if indicator.direction in set(Direction) \
            else Direction.UP
        return i18n.localised(dict(indicator.names)) or key, indicator.unit, direction
    default = _DEFAULTS.get(key)
    if default is not None:
        return i18n.gettext(default.name), default.unit, default.direction
    return key, "", Direction.UP


def unit_label(unit: str) -> str:
    return i18n.gettext(UNITS[unit]) if unit in UNITS else unit


def number_text(value: float) -> str:
    """1150.0 -> '1,150' in English, '1.150' in Spanish."""
    shown: float | int = int(value) if float(value).is_integer() else value
    return i18n.format_number(shown)


def highlights_text(project: PublicProject) -> str:
    """The highlights on one line (a CSV cell)."""
    return "; ".join(f"{h.name}: {h.figure}" for h in project.highlights)
