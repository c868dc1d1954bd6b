"""What the JSON API answers about the public directory of funded projects: made from
grants/publication.py's public record, field by field, and nothing else."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from grants.impact.publication import Highlight, PublicProject


class HighlightOut(BaseModel):
    indicator: str = Field(description="The indicator's key")
    name: str = Field(description="Its name, in the caller's language")
    unit: str
    baseline: float = Field(description="From the accepted baseline report")
    final: float = Field(description="From the accepted final report")
    change_percent: float | None = Field(
        description="The relative change, positive when it is better for this indicator; "
                    "null from a baseline of 0")

    @classmethod
    def of(cls, highlight: Highlight) -> HighlightOut:
        return cls(indicator=highlight.indicator, name=highlight.name, unit=highlight.unit,
                   baseline=highlight.baseline, final=highlight.final,
                   change_percent=highlight.change_percent)


class PublicProjectOut(BaseModel):
    id: int
    title: str
    cooperative: str = Field(description="The co-op's name if it agreed to publish it, "
                                         "else a neutral label ('A co-op in Kenya producing "
                                         "coffee')")
    cooperative_named: bool
    country: str = Field(description="ISO 3166 code")
    commodities: list[str]
    category: str = Field(description="The challenge category")
    kind: str = Field(description="The project type")
    amount_minor: int
    currency: str
    starts_on: date
    ends_on: date
    status: Literal["active", "completed"] = Field(
        description="active: under way; completed")
    summary: str = Field(description="Written for the public, if the co-op agreed to publish "
                                     "its outcomes; in the caller's language when there is one")
    highlights: list[HighlightOut] = Field(
        description="Baseline to final, from accepted reports only, if the co-op agreed to "
                    "publish its outcomes")

    @classmethod
    def of(cls, project: PublicProject) -> PublicProjectOut:
        return cls(
            id=project.id, title=project.title, cooperative=project.cooperative,
            cooperative_named=project.named, country=project.country,
            commodities=list(project.commodities), category=project.category,
            kind=project.kind, amount_minor=project.amount_minor, currency=project.currency,
            starts_on=project.starts_on, ends_on=project.ends_on,
            status="completed" if project.status == "completed" else "active",
            summary=project.summary,
            highlights=[HighlightOut.of(h) for h in project.highlights])
