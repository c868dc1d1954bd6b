"""Conflicts of interest as pure rules: who is conflicted with which application, and why."""

from __future__ import annotations

import itertools

from grants.review.conflicts import Applicant, Reason, Recorded, Ties, find

# Co-op 10 and co-op 11 are in network 1; co-op 20 in network 2; co-op 30 in none.
# Co-op 10 has applied twice (two calls), the others once.
APPLICANTS = (Applicant(100, 10, 1), Applicant(101, 10, 1), Applicant(110, 11, 1),
              Applicant(200, 20, 2), Applicant(300, 30, None))
REVIEWER = 7
OTHER = 8


def waiver(application_id: int, reviewer_id: int = REVIEWER) -> Recorded:
    return Recorded(reviewer_id, None, application_id=application_id)


def test_nobody_is_conflicted_without_ties_or_records() -> None:
    assert find(APPLICANTS, {}, []) == {}
    assert find(APPLICANTS, {REVIEWER: Ties()}, []) == {}


def test_acting_for_the_applicant_coop_conflicts_every_application_of_it() -> None:
    found = find(APPLICANTS, {REVIEWER: Ties(frozenset({10}), frozenset({1}))}, [])
    assert found[(100, REVIEWER)] is Reason.OWN_COOP
    assert found[(101, REVIEWER)] is Reason.OWN_COOP
    assert found[(110, REVIEWER)] is Reason.NETWORK  # co-op 11 shares network 1
    assert (200, REVIEWER) not in found and (300, REVIEWER) not in found
    assert all(reviewer == REVIEWER for _app, reviewer in found)


def test_the_own_coop_conflict_is_never_waived() -> None:
    ties = {REVIEWER: Ties(frozenset({10}), frozenset({1}))}
    found = find(APPLICANTS, ties, [waiver(100), waiver(101)])
    assert found[(100, REVIEWER)] is Reason.OWN_COOP
    assert found[(101, REVIEWER)] is Reason.OWN_COOP


def test_a_network_conflict_is_waived_for_one_application_only() -> None:
    ties = {REVIEWER: Ties(frozenset({11}), frozenset({1})),
            OTHER: Ties(frozenset({12}), frozenset({1}))}
    before = find(APPLICANTS, ties, [])
    assert before[(100, REVIEWER)] is Reason.NETWORK
    assert before[(101, REVIEWER)] is Reason.NETWORK
    after = find(APPLICANTS, ties, [waiver(100)])
    assert (100, REVIEWER) not in after
    assert after[(101, REVIEWER)] is Reason.NETWORK     # the co-op's other application
    assert after[(100, OTHER)] is Reason.NETWORK        # another reviewer of the network
    assert after[(110, REVIEWER)] is Reason.OWN_COOP


def test_a_waiver_of_another_reviewer_or_application_changes_nothing() -> None:
    ties = {REVIEWER: Ties(frozenset({11}), frozenset({1}))}
    assert find(APPLICANTS, ties, [waiver(100, OTHER), waiver(200)]) == find(
        APPLICANTS, ties, [])


def test_a_declared_tie_covers_all_the_coops_applications() -> None:
    found = find(APPLICANTS, {}, [Recorded(REVIEWER, Reason.TIE, cooperative_id=10)])
    assert found == {(100, REVIEWER): Reason.TIE, (101, REVIEWER): Reason.TIE}


def test_a_tie_to_a_coop_that_has_not_applied_conflicts_nothing() -> None:
    assert find(APPLICANTS, {}, [Recorded(REVIEWER, Reason.TIE, cooperative_id=99)]) == {}


def test_declared_and_staff_conflicts_are_per_application() -> None:
    found = find(APPLICANTS, {}, [Recorded(REVIEWER, Reason.DECLARED, application_id=100),
                                  Recorded(OTHER, Reason.STAFF, application_id=300)])
    assert found == {(100, REVIEWER): Reason.DECLARED, (300, OTHER): Reason.STAFF}


def test_a_waiver_does_not_lift_a_recorded_conflict() -> None:
    recorded = [Recorded(REVIEWER, Reason.DECLARED, application_id=200), waiver(200)]
    assert find(APPLICANTS, {}, recorded) == {(200, REVIEWER): Reason.DECLARED}


def test_the_strongest_reason_wins_whatever_the_order() -> None:
    """Own co-op (never lifted) beats everything; a recorded conflict beats the network one
    (a waiver cannot lift it, so staff must see it); the answer never depends on the order
    the rows come in."""
    ties = {REVIEWER: Ties(frozenset({11}), frozenset({1}))}
    rows = [Recorded(REVIEWER, Reason.STAFF, application_id=100),
            Recorded(REVIEWER, Reason.DECLARED, application_id=100),
            Recorded(REVIEWER, Reason.TIE, cooperative_id=10),
            Recorded(REVIEWER, Reason.STAFF, application_id=110),
            Recorded(REVIEWER, Reason.DECLARED, application_id=101)]
    answers = [find(APPLICANTS, ties, list(order)) for order in itertools.permutations(rows)]
    assert all(answer == answers[0] for answer in answers)
    found = answers[0]
    assert found[(110, REVIEWER)] is Reason.OWN_COOP       # over the staff record
    assert found[(100, REVIEWER)] not in (Reason.NETWORK, Reason.OWN_COOP)
    assert found[(101, REVIEWER)] not in (Reason.NETWORK, Reason.OWN_COOP)
    # without the recorded ones it is the network, and waiving that leaves the records
    assert find(APPLICANTS, ties, [])[(100, REVIEWER)] is Reason.NETWORK
    waived = find(APPLICANTS, ties, [*rows, waiver(100)])
    assert waived[(100, REVIEWER)] is found[(100, REVIEWER)]


def test_the_tie_outranks_a_single_declaration_and_a_staff_record() -> None:
    """A tie covers the whole co-op: it says most about why, so it is the reason shown."""
    rows = [Recorded(REVIEWER, Reason.STAFF, application_id=100),
            Recorded(REVIEWER, Reason.DECLARED, application_id=100),
            Recorded(REVIEWER, Reason.TIE, cooperative_id=10)]
    for order in itertools.permutations(rows):
        assert find(APPLICANTS, {}, list(order))[(100, REVIEWER)] is Reason.TIE
