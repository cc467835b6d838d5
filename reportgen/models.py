"""Typed, immutable values passed between the pipeline stages.

``Survey`` (load → analyze), ``Results`` (analyze → narrate/charts/document),
``Finding`` (narrate → document) and the document model (``Document`` and its blocks,
document → renderers). Renderers only lay out a ``Document``; they never compute a
number or write a sentence of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Union

import pandas as pd

# --------------------------------------------------------------------------- survey


@dataclass(frozen=True)
class Scale:
    """An ordinal answer scale: labels in order from most negative to most positive."""

    name: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    positive: frozenset[float]
    negative: frozenset[float]
    missing_labels: tuple[str, ...] = ("Ved ikke", "Ikke relevant")
    missing_codes: tuple[float, ...] = ()
    title: str = ""
    positive_word: str = ""  # people who answer positively: "tilfredse", "enige"; "" = inferred

    @property
    def word(self) -> str:
        """The adjective for respondents at the positive end, for sentences like "de mest
        tilfredse": declared (``positiv_ord``), else from the labels, else "positive"."""
        if self.positive_word:
            return self.positive_word
        pos = " ".join(self.labels[self.values.index(v)] for v in sorted(self.positive)).lower()
        if "utilfreds" not in pos and "tilfreds" in pos:
            return "tilfredse"
        if "uenig" not in pos and "enig" in pos:
            return "enige"
        return "positive"

    @property
    def points(self) -> int:
        return len(self.values)

    @property
    def minimum(self) -> float:
        return min(self.values)

    @property
    def maximum(self) -> float:
        return max(self.values)

    @property
    def neutral(self) -> frozenset[float]:
        return frozenset(self.values) - self.positive - self.negative

    def label_of(self, value: float) -> str:
        return self.labels[self.values.index(value)]


@dataclass(frozen=True)
class Question:
    """One survey question: the data column it lives in, its text, theme and scale."""

    id: str
    column: str
    text: str
    theme: str
    scale: Scale
    reverse: bool = False
    number: str = ""


# Codes in Survey.missing_kind: why an answer is not valid.
VALID, BLANK, MISSING_LABEL, MISSING_CODE = 0, 1, 2, 3


@dataclass(frozen=True)
class DataAccount:
    """How every row and answer of the input was used (for the method note and `validate`).

    ``rows_read`` = ``rows_used`` + the sum of ``rows_excluded``. ``rows_used`` counts the
    rows kept in every period; of these, ``rows_period`` are in the analysed ``period``,
    ``rows_earlier`` in earlier periods (used only for the trend) and ``rows_later`` in
    later ones (not used; only a batch item of an earlier period has them). Without
    periods, ``period`` is "" and every used row is in the analysis.
    ``sources`` says how each file was read (encoding, delimiter, sheet, header row).
    Questions left out: ``absent_questions`` (their column is not in the data; only when
    the loader was asked to allow that, as for an earlier export) and
    ``unanswered_questions`` (no valid answer at all, e.g. only 'Ved ikke').
    """

    files: tuple[str, ...]
    rows_read: int
    rows_used: int
    rows_excluded: Mapping[str, int]
    warnings: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    period: str = ""
    rows_earlier: int = 0
    rows_later: int = 0
    absent_questions: tuple[str, ...] = ()
    unanswered_questions: tuple[str, ...] = ()

    @property
    def rows_period(self) -> int:
        """Rows in the analysed period (all used rows when the data has no periods)."""
        return self.rows_used - self.rows_earlier - self.rows_later


@dataclass(frozen=True)
class Survey:
    """Respondent-level data after loading and coding.

    ``responses`` has one row per respondent and the columns ``respondent_id``,
    ``kommune``, the mapped background columns (``maalgruppe``, ``koen``, ``alder``,
    ``periode`` where present) and one float column per question id holding the scale
    value (reverse-coded items already turned) or NaN when the answer is not valid.
    ``missing_kind`` has the same question columns with a code saying why a value is
    NaN (BLANK, MISSING_LABEL, MISSING_CODE) or VALID.
    """

    responses: pd.DataFrame
    missing_kind: pd.DataFrame
    questions: tuple[Question, ...]
    themes: tuple[str, ...]
    focus: str
    invited: Mapping[str, int] | None
    account: DataAccount
    group_columns: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    periods: tuple[str, ...] = ()
    has_municipalities: bool = True
    published_benchmark: PublishedBenchmark | None = None
    redact_names: tuple[str, ...] = ()

    def questions_in(self, theme: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.theme == theme)


@dataclass(frozen=True)
class BenchmarkValue:
    """One row of a published benchmark table: a score, optionally its n and SD."""

    value: float
    n: int | None = None
    sd: float | None = None


@dataclass(frozen=True)
class PublishedBenchmark:
    """A benchmark read from a file (theme → value; ``_samlet`` for the overall score)."""

    source: str
    values: Mapping[str, BenchmarkValue]


# --------------------------------------------------------------------------- results

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


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Finding:
    """One generated statement: its type, the numbers it rests on, and its Danish text."""

    kind: str
    text: str
    values: Mapping[str, object] = field(default_factory=dict)


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: Literal["normal", "placeholder", "note", "lead"] = "normal"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @staticmethod
    def of(text: str, style: str = "normal") -> Paragraph:
        return Paragraph((Run(text),), style)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ListBlock:
    items: tuple[Paragraph, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    align: tuple[Literal["left", "right", "center"], ...] = ()
    alt_text: str = ""


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str
    alt_text: str
    width_cm: float = 16.0
    svg: bytes | None = None


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


Block = Union[Paragraph, ListBlock, Table, Figure, Heading]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class DocMeta:
    title: str
    municipality: str
    committee: str
    meeting_date: dt.date | None
    meeting_place: str
    case_number: str
    openness: str
    sagsgang: tuple[str, ...]
    status: Literal["udkast", "endelig"]
    author: str
    version: str
    created: dt.datetime
    language: str = "da-DK"
    subject: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    title_rows: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    profile: str = "sagsfremstilling"
    # The separate bilag documents (e.g. "Bilag 1: Resultater af undersøgelsen") that a
    # profile's ``bilag:`` builds beside this one; each is written as ``<navn>-<suffix>``.
    attachments: tuple[Document, ...] = ()
    suffix: str = ""

    @property
    def is_draft(self) -> bool:
        return self.meta.status == "udkast"

    @property
    def documents(self) -> tuple[Document, ...]:
        """This document followed by its bilag documents."""
        return (self, *self.attachments)


# A table with at most this many rows is kept on one page (PDF: break-inside: avoid;
# DOCX: "keep with next" on every row but the last); longer tables break between rows
# and repeat their header row.
KEEP_TOGETHER_ROWS = 18

# The key of the overall score ("Samlet score") beside the theme names in results and tables.
OVERALL = "_samlet"
