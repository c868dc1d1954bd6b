"""Ranking the applications of a call from reviewers' scores, corrected for each reviewer's
leniency and scale. Pure: no I/O.

What "calibrated" means
-----------------------
Every review gives an application a score from 0 to 100 (its rubric-weighted total). Some
reviewers are lenient and score everything high; some are severe; some use the whole range
and some keep close to the middle. When each application is read by only a few reviewers,
the luck of who read it moves its raw mean by more than the gap between neighbouring
applications. The calibrated score is an estimate of the score the application would get
from a typical reviewer of this call.

The model. Application i has a quality q_i; reviewer j has a bias a_j (above 0 lenient,
below 0 severe) and a scale b_j (above 1 spreads scores out, below 1 keeps them close to the
middle). With m the mean of all the marks of the call, reviewer j's score of application i
is taken to be

    score_ij = q_i + a_j + (b_j - 1)(q_i - m) + noise,

that is, reviewer j sees an application of average quality m as m + a_j, and every point
of quality above or below average as b_j points. The noise is independent between reviews
with one standard deviation sigma for the whole call. The calibrated score of application
i is its estimated q_i, on the same 0..100 scale as the marks (it may go slightly outside).

The fit alternates two penalised least-squares steps, starting from the raw means:

1. Given the qualities, each reviewer's (a_j, b_j) is a ridge regression of their scores on
   the qualities of what they read, shrunk towards (0, 1) -- an unbiased reviewer -- by a
   prior worth `prior_reviews` reviews (3 by default): the bias is penalised by
   prior_reviews * a_j^2 and the scale by prior_reviews * V * (b_j - 1)^2, where V is the
   mean squared distance of a reviewed application's quality from m (at least 1). So a
   reviewer with one review is corrected by about a quarter of their apparent bias, one with
   30 reviews by about 90 %. The scale is then kept within [0.25, 4] (the bias refitted for
   the clamped scale), and the biases are shifted so that their mean, weighted by reviews,
   is 0: the model cannot tell "every reviewer lenient" from "every application good", and
   this choice keeps the calibrated scores on the scale of the marks.
2. Given the reviewers, each application's quality is the weighted least-squares estimate
   from its marks: each mark, corrected for its reviewer's bias and divided by their scale,
   weighted by the scale squared (a reviewer who barely separates applications says little
   about them), with a very weak pull towards m (worth a millionth of a review) so that
   every application has an estimate.

The rounds stop when no calibrated score moves by more than a ten-thousandth of a point, or
after 50 rounds (by then the scores are typically within a hundredth of a point of where
more rounds would take them). The result is deterministic: the same marks always give the
same ranking.

Uncertainty. sigma is the residual standard deviation of the fit: the root of the residual
sum of squares over the residual degrees of freedom, which are the number of marks less one
per application and, per reviewer with n reviews, 2n / (n + prior_reviews) (the share of
their two parameters the data pins down). With fewer than 5 residual degrees of freedom
sigma is taken as at least 10 points; it is never below 1 point (identical marks do not
mean certainty). The interval is

    calibrated -/+ 1.645 * sigma / sqrt(sum of b_j^2 over the application's reviewers),

about 90 % if the model holds. It ignores the uncertainty of the reviewer corrections
themselves, so it is somewhat narrow for applications read by reviewers with few reviews.

Ranking. Rank 1 is the highest calibrated score; ties go to the higher raw mean, then to the
lower application id. An application is flagged for disagreement when the spread of its
marks (highest less lowest) is at least `disagreement` points (25 by default).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]

DISAGREEMENT = 25.0
Z_90 = 1.645                   # two-sided 90 % normal quantile
SCALE_MIN, SCALE_MAX = 0.25, 4.0
QUALITY_PRIOR = 1e-6           # pull of each quality towards m, in reviews at scale 1
SD_FLOOR = 1.0                 # points
SD_FEW_DOF = 10.0              # points: sigma's least value when the data cannot say
MIN_DOF = 5.0
MAX_ROUNDS = 50
TOLERANCE = 1e-4               # points


@dataclass(frozen=True)
class Mark:
    """One submitted review: its rubric-weighted score on a 0..100 scale."""

    application_id: int
    reviewer_id: int
    score: float


@dataclass(frozen=True)
class Ranked:
    """One application's place in the ranking, with its raw and calibrated scores."""

    application_id: int
    reviews: int          # number of marks
    mean: float           # raw mean of its marks (0..100)
    spread: float         # max - min of its marks (0 with one mark)
    disagreement: bool    # spread >= threshold
    calibrated: float     # calibrated score on the 0..100 scale of the marks
    low: float            # lower end of the ~90 % interval around calibrated
    high: float
    rank: int             # 1 = best by calibrated score; ties by mean, then application_id


@dataclass(frozen=True)
class Leniency:
    """A reviewer's estimated bias (points at an average application) and scale."""

    reviewer_id: int
    bias: float
    scale: float
    reviews: int


@dataclass(frozen=True)
class Ranking:
    """The applications best first, the reviewers' fitted corrections, and sigma."""

    rows: tuple[Ranked, ...]          # sorted by rank
    reviewers: tuple[Leniency, ...]   # sorted by reviewer_id
    residual_sd: float


@dataclass(frozen=True)
class _Indexed:
    """The marks as arrays: distinct ids (sorted) and, per mark, indices into them."""

    application_ids: npt.NDArray[np.int64]
    reviewer_ids: npt.NDArray[np.int64]
    app: Indices
    rev: Indices
    score: Floats


@dataclass(frozen=True)
class _Raw:
    """Per application: number of marks, their mean and their spread."""

    count: npt.NDArray[np.int64]
    mean: Floats
    spread: Floats


@dataclass(frozen=True)
class _Fit:
    """The fitted model, per application and per reviewer (in index order)."""

    quality: Floats     # q_i - m
    bias: Floats        # a_j
    scale: Floats       # b_j
    weight: Floats      # per application: sum of b_j^2 over its marks, plus the prior
    reviews: npt.NDArray[np.int64]   # per reviewer
    sd: float


def rank(marks: Sequence[Mark], *, disagreement: float = DISAGREEMENT,
         prior_reviews: float = 3.0) -> Ranking:
    """Rank the applications of a call by calibrated score (see the module docstring).

    Raises ValueError if a score is not finite or prior_reviews is not positive."""
    if prior_reviews <= 0:
        raise ValueError("prior_reviews must be positive")
    if not marks:
        return Ranking((), (), 0.0)
    indexed = _index(marks)
    raw = _raw(indexed)
    fit = _fit(indexed, prior_reviews)
    calibrated = float(indexed.score.mean()) + fit.quality
    half = Z_90 * fit.sd / np.sqrt(fit.weight)
    order = np.lexsort((indexed.application_ids, -raw.mean, -calibrated))   # best first
    columns = zip(indexed.application_ids[order].tolist(), raw.count[order].tolist(),
                  raw.mean[order].tolist(), raw.spread[order].tolist(),
                  calibrated[order].tolist(), (calibrated - half)[order].tolist(),
                  (calibrated + half)[order].tolist(), strict=True)
    rows = tuple(Ranked(app_id, count, mean, spread, spread >= disagreement, value, low, high,
                        place)
                 for place, (app_id, count, mean, spread, value, low, high)
                 in enumerate(columns, start=1))
    reviewers = tuple(Leniency(*values) for values in zip(
        indexed.reviewer_ids.tolist(), fit.bias.tolist(), fit.scale.tolist(),
        fit.reviews.tolist(), strict=True))
    return Ranking(rows, reviewers, fit.sd)


def kendall_tau(a: Sequence[float], b: Sequence[float]) -> float:
    """Kendall's tau-b between two equally long sequences (ties counted as in tau-b): 1 for
    the same order, -1 for the reverse. NaN when either sequence has fewer than two distinct
    values. O(n²) time, O(n) memory: meant for the hundreds or thousands of a call."""
    if len(a) != len(b):
        raise ValueError("kendall_tau needs sequences of the same length")
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    agreement, untied_x, untied_y = 0.0, 0, 0
    for i in range(len(x) - 1):            # the pairs (i, j > i), one row at a time
        sign_x, sign_y = np.sign(x[i + 1:] - x[i]), np.sign(y[i + 1:] - y[i])
        agreement += float(sign_x @ sign_y)
        untied_x += int(np.count_nonzero(sign_x))
        untied_y += int(np.count_nonzero(sign_y))
    if untied_x == 0 or untied_y == 0:
        return math.nan
    return agreement / math.sqrt(untied_x * untied_y)


def _index(marks: Sequence[Mark]) -> _Indexed:
    """The marks as arrays; ValueError if a score is not finite."""
    count = len(marks)
    apps = np.fromiter((mark.application_id for mark in marks), np.int64, count)
    revs = np.fromiter((mark.reviewer_id for mark in marks), np.int64, count)
    score = np.fromiter((mark.score for mark in marks), np.float64, count)
    if not np.isfinite(score).all():
        raise ValueError("every score must be a finite number")
    application_ids, app = np.unique(apps, return_inverse=True)
    reviewer_ids, rev = np.unique(revs, return_inverse=True)
    return _Indexed(application_ids, reviewer_ids, app.astype(np.intp), rev.astype(np.intp),
                    score)


def _sums(index: Indices, values: Floats, size: int) -> Floats:
    """The values summed per index (np.bincount with weights returns floats)."""
    return cast(Floats, np.bincount(index, weights=values, minlength=size))


def _raw(marks: _Indexed) -> _Raw:
    """Counts, means and spreads per application: what any ranking of the marks computes."""
    size = len(marks.application_ids)
    count = np.bincount(marks.app, minlength=size)
    mean = _sums(marks.app, marks.score, size) / count
    high, low = np.full(size, -np.inf), np.full(size, np.inf)
    np.maximum.at(high, marks.app, marks.score)
    np.minimum.at(low, marks.app, marks.score)
    return _Raw(count, mean, high - low)


def _fit(marks: _Indexed, prior: float) -> _Fit:
    """Alternate the reviewer and the quality steps until the qualities settle."""
    apps, revs = len(marks.application_ids), len(marks.reviewer_ids)
    residual = marks.score - marks.score.mean()      # score - m
    counts = np.bincount(marks.rev, minlength=revs)
    reviews = counts.astype(np.float64)
    bias, scale = np.zeros(revs), np.ones(revs)
    quality, weight = _qualities(marks, residual, bias, scale, apps)
    for _ in range(MAX_ROUNDS):
        bias, scale = _reviewers(marks, residual, quality, reviews, prior)
        settled, weight = _qualities(marks, residual, bias, scale, apps)
        change = float(np.abs(settled - quality).max())
        quality = settled
        if change < TOLERANCE:
            break
    left = residual - bias[marks.rev] - scale[marks.rev] * quality[marks.app]
    freedom = len(residual) - apps - float((2 * reviews / (reviews + prior)).sum())
    sd = math.sqrt(float(left @ left) / max(freedom, 1.0))
    if freedom < MIN_DOF:
        sd = max(sd, SD_FEW_DOF)
    return _Fit(quality, bias, scale, weight, counts, max(sd, SD_FLOOR))


def _reviewers(marks: _Indexed, residual: Floats, quality: Floats, reviews: Floats,
               prior: float) -> tuple[Floats, Floats]:
    """Each reviewer's (bias, scale) given the qualities: the ridge regression of their
    (score - m) on (q_i - m), shrunk towards (0, 1); scale clamped; biases centred."""
    size = len(reviews)
    x = quality[marks.app]
    spread = max(float(x @ x) / len(x), 1.0)          # V: typical (q_i - m)^2 of a review
    sum_x, sum_xx = _sums(marks.rev, x, size), _sums(marks.rev, x * x, size)
    sum_y, sum_xy = _sums(marks.rev, residual, size), _sums(marks.rev, x * residual, size)
    # Normal equations [[n + P, Sx], [Sx, Sxx + P V]] (a, b) = (Sy, Sxy + P V).
    h11, h22 = reviews + prior, sum_xx + prior * spread
    scale = (h11 * (sum_xy + prior * spread) - sum_x * sum_y) / (h11 * h22 - sum_x * sum_x)
    scale = np.clip(scale, SCALE_MIN, SCALE_MAX)
    bias = (sum_y - scale * sum_x) / h11              # the first equation, for this scale
    bias -= float(reviews @ bias) / float(reviews.sum())
    return bias, scale


def _qualities(marks: _Indexed, residual: Floats, bias: Floats, scale: Floats,
               size: int) -> tuple[Floats, Floats]:
    """Each application's q_i - m given the reviewers (weighted least squares), and its
    weight: the sum of its reviewers' squared scales plus the weak prior."""
    b = scale[marks.rev]
    weight = _sums(marks.app, b * b, size) + QUALITY_PRIOR
    return _sums(marks.app, b * (residual - bias[marks.rev]), size) / weight, weight
