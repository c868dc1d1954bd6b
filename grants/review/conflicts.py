"""Conflicts of interest between reviewers and applications. Pure: no I/O.

A reviewer is conflicted with an application when:

- they act for the applicant co-op (a contact of it): computed, and never lifted;
- they act for a co-op of the same union or network: computed; staff may lift it for one
  application, with a reason (a waiver);
- they declared a tie to the applicant co-op (covers all its applications), or declared a
  conflict with the application, or staff recorded one: recorded with a reason; lifting it
  records who, when and why.

A conflicted reviewer is never assigned the application and never sees it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import lazy_gettext as _l


class Reason(StrEnum):
    OWN_COOP = "own_coop"
    NETWORK = "network"
    TIE = "tie"
    DECLARED = "declared"
    STAFF = "staff"


LABELS = {
    Reason.OWN_COOP: _l("acts for the applicant co-op"),
    Reason.NETWORK: _l("acts for a co-op of the same union or network"),
    Reason.TIE: _l("declared a tie to the applicant co-op"),
    Reason.DECLARED: _l("declared a conflict with this application"),
    Reason.STAFF: _l("recorded by staff"),
}


# Strongest first: one's own co-op is never lifted; a recorded conflict is lifted only from
# its own line, so it outranks the network one a waiver lifts. The answer never depends on
# the order the rows come in.
STRENGTH = (Reason.OWN_COOP, Reason.TIE, Reason.DECLARED, Reason.STAFF, Reason.NETWORK)


@dataclass(frozen=True)
class Applicant:
    application_id: int
    cooperative_id: int
    network_id: int | None


@dataclass(frozen=True)
class Ties:
    """The co-ops a reviewer acts for, and their networks."""

    coops: frozenset[int] = frozenset()
    networks: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Recorded:
    """A conflict row still in force: a declared tie names a co-op, the others an
    application; a waiver lifts the network conflict for one application."""

    reviewer_id: int
    reason: Reason | None           # None: a waiver
    application_id: int | None = None
    cooperative_id: int | None = None


def find(applicants: Iterable[Applicant], ties: dict[int, Ties],
         recorded: Iterable[Recorded]) -> dict[tuple[int, int], Reason]:
    """(application id, reviewer id) -> the strongest reason they are conflicted."""
    by_coop: dict[int, list[int]] = defaultdict(list)
    by_network: dict[int, list[int]] = defaultdict(list)
    for applicant in applicants:
        by_coop[applicant.cooperative_id].append(applicant.application_id)
        if applicant.network_id is not None:
            by_network[applicant.network_id].append(applicant.application_id)
    found: dict[tuple[int, int], Reason] = {}
    waived: set[tuple[int, int]] = set()
    for row in recorded:
        if row.reason is None:
            if row.application_id is not None:
                waived.add((row.application_id, row.reviewer_id))
        elif row.cooperative_id is not None:
            for application_id in by_coop.get(row.cooperative_id, ()):
                _keep_stronger(found, (application_id, row.reviewer_id), row.reason)
        elif row.application_id is not None:
            _keep_stronger(found, (row.application_id, row.reviewer_id), row.reason)
    for reviewer_id, tie in ties.items():
        for network_id in tie.networks:
            for application_id in by_network.get(network_id, ()):
                if (application_id, reviewer_id) not in waived:
                    _keep_stronger(found, (application_id, reviewer_id), Reason.NETWORK)
        for coop_id in tie.coops:
            for application_id in by_coop.get(coop_id, ()):
                found[(application_id, reviewer_id)] = Reason.OWN_COOP
    return found


def _keep_stronger(found: dict[tuple[int, int], Reason], pair: tuple[int, int],
                   reason: Reason) -> None:
    known = found.get(pair)
    if known is None or STRENGTH.index(reason) < STRENGTH.index(known):
        found[pair] = reason
