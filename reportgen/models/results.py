"""What analysis gives narrative, charts and document: ``Results`` and the values in it
(estimates, comparisons, ranks, groups, trends, the priority map, the respondent profile,
comments)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from reportgen.models.survey import DataAccount, Question

Verdict = Literal["over", "under", "paa_niveau"]


@dataclass(frozen=True)
class Estimate:
    """A mean or share with its n and 95 % confidence interval."""

    n: int
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    sd: float | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    n: int
    n_missing: int
    mean: Estimate
    share_positive: Estimate
    share_neutral: float | None
    share_negative: float | None
    counts: tuple[int, ...]
    suppressed: bool = False
    n_positive: int = 0


@dataclass(frozen=True)
class ThemeResult:
    theme: str
    n: int
    score: Estimate
    share_positive: Estimate
    suppressed: bool = False


@dataclass(frozen=True)
class UnitResult:
    """Results for one unit: a municipality, the benchmark, or one group within them."""

    name: str
    n_respondents: int
    overall: Estimate
    themes: Mapping[str, ThemeResult]
    questions: Mapping[str, QuestionResult]
    suppressed: bool = False
    overall_share: Estimate | None = None


@dataclass(frozen=True)
class Comparison:
    """Focus against benchmark for one measure, with the verdict by the documented rule."""

    measure: str
    focus: float | None
    benchmark: float | None
    difference: float | None
    p_value: float | None
    verdict: Verdict | None


@dataclass(frozen=True)
class Rank:
    rank: int
    of: int


@dataclass(frozen=True)
class GroupBreakdown:
    """Results per category of one background column (e.g. målgruppe) in one unit."""

    column: str
    title: str
    groups: tuple[UnitResult, ...]
    hidden_n: int = 0
    comparisons: Mapping[str, Comparison] = field(default_factory=dict)
    n_total: int = 0


@dataclass(frozen=True)
class QuestionComparison:
    """Focus against benchmark for one question: the mean (Welch) and the share positive."""

    mean: Comparison
    share: Comparison


ChangeVerdict = Literal["steget", "faldet", "uaendret"]


@dataclass(frozen=True)
class Change:
    """One measure in a later period against an earlier one, with the test and its verdict."""

    measure: str
    kind: Literal["mean", "share"]
    from_period: str
    to_period: str
    before: float | None
    after: float | None
    difference: float | None
    p_value: float | None
    verdict: ChangeVerdict | None


@dataclass(frozen=True)
class PeriodResult:
    """The focus municipality (and the benchmark, when there is one) in one period."""

    period: str
    focus: UnitResult
    benchmark: UnitResult | None


@dataclass(frozen=True)
class Trend:
    """Results per period (oldest first) and the changes in the latest period.

    ``previous`` holds latest-against-previous changes of means (keys: ``_samlet``, the
    themes and the question ids), ``previous_share`` of the questions' share positive;
    ``first`` holds latest-against-first changes (the same as ``previous`` with two periods).
    """

    periods: tuple[str, ...]
    results: tuple[PeriodResult, ...]
    previous: Mapping[str, Change]
    previous_share: Mapping[str, Change]
    first: Mapping[str, Change]


Quadrant = Literal["Styrker", "Udfordringer", "Vedligehold", "Lav prioritet"]
QUADRANTS: tuple[str, ...] = ("Styrker", "Udfordringer", "Vedligehold", "Lav prioritet")


@dataclass(frozen=True)
class PriorityItem:
    """One question on the priority map: its score, its importance and its quadrant."""

    question: Question
    score: float
    importance: float
    n: int
    quadrant: Quadrant
    ci_low: float | None = None  # 95 % interval of the correlation (Fisher z)
    ci_high: float | None = None
    clearly_high: bool = False  # the interval lies entirely above the median importance


@dataclass(frozen=True)
class PriorityMap:
    """The prioriteringskort: items split into quadrants at the mean score and importance."""

    items: tuple[PriorityItem, ...]
    score_split: float
    importance_split: float
    target: str
    score_measure: Literal["gennemsnit", "andel_positive"]
    excluded: tuple[Question, ...] = ()
    importance_median: float | None = None


@dataclass(frozen=True)
class ProfilePart:
    """One clause of the respondent profile: a category (or adjacent ones) and its share."""

    column: str
    title: str
    label: str
    categories: tuple[str, ...]
    n: int
    share: float


@dataclass(frozen=True)
class RespondentProfile:
    n: int
    parts: tuple[ProfilePart, ...]


@dataclass(frozen=True)
class CommentCount:
    """Comments on one theme; ``n`` is None when fewer than min_n (shown as 'under min_n')."""

    theme: str
    n: int | None


@dataclass(frozen=True)
class Quote:
    theme: str | None
    text: str


@dataclass(frozen=True)
class CommentSummary:
    n_comments: int
    by_theme: tuple[CommentCount, ...]
    quotes: tuple[Quote, ...]
    n_redacted: int
    min_n: int


@dataclass(frozen=True)
class Results:
    focus: UnitResult
    benchmark: UnitResult
    themes: tuple[str, ...]
    questions: tuple[Question, ...]
    comparisons: Mapping[str, Comparison]
    ranks: Mapping[str, Rank]
    focus_groups: Mapping[str, GroupBreakdown]
    benchmark_groups: Mapping[str, GroupBreakdown]
    response_rate_focus: float | None
    response_rate_benchmark: float | None
    invited_focus: int | None
    invited_benchmark: int | None
    n_municipalities: int
    min_n: int
    account: DataAccount
    benchmark_name: str = "Alle kommuner"
    question_comparisons: Mapping[str, QuestionComparison] = field(default_factory=dict)
    benchmark_source: Literal["data", "tabel", "ingen"] = "data"
    period: str | None = None
    trend: Trend | None = None
    priority: PriorityMap | None = None
    profile: RespondentProfile | None = None
    comments: CommentSummary | None = None

    @property
    def has_benchmark(self) -> bool:
        return self.benchmark_source != "ingen"
