"""What ingest gives analysis: the answers as a ``Survey`` with its questions, scales, data
account and an optional published benchmark."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

# The key of the overall score ("Samlet score") beside the theme names in results and tables.
OVERALL = "_samlet"


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
