"""Free-text comments → ``CommentSummary``: counts per theme and, if asked, redacted quotes.

Comments are never used unless the case file says ``analyse.kommentarer.medtag: ja``.

* Themes: a comment belongs to a theme when it is written in that theme's comment column
  (``kommentarer.kolonner``: theme → column) or, for the general comment column, when it
  contains one of the theme's key words (``kommentarer.noegleord``: theme → words; a word
  matches the beginning of a word in the comment, case-insensitively). Without either,
  only the total is counted.
* Counts below ``min_n`` are shown as "færre end min_n".
* Quotes (``kommentarer.citater``: how many per theme, 0 = none) are taken only from the
  focus municipality's respondents who belong to no group below ``min_n`` and to no
  suppressed group, only from themes with at least ``min_n`` comments, and are picked in a
  fixed pseudo-random order (a hash of the text), so the same data gives the same quotes.
* Before a comment is quoted, CPR numbers, phone numbers, e-mail addresses, the names on
  the case's list and a name introduced by "jeg hedder", "mit navn er", "mvh" or "hilsen"
  are replaced by a bracketed note.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from reportgen.core.templating import render_text
from reportgen.settings.case import Kommentarer
from reportgen.models.results import CommentCount, CommentSummary, Quote

GENERAL = "kommentar"
ALL = render_text("kommentartabel", "alle")
OTHER = render_text("kommentartabel", "oevrige")
MIN_QUOTE_CHARS = 15
MAX_QUOTE_CHARS = 400

_CPR = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[\s-]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?45[\s-]?)?(?:\d{2}[\s-]?){3}\d{2}(?!\d)|(?<![\w+])(?:(?:\+|00)\s?45[\s-]?)?\d{4}[\s-]\d{4}(?!\d)")
_LONG_NUMBER = re.compile(r"(?<!\d)\d{6,}(?!\d)")
# "jeg hedder Karen Nielsen" / "mit navn er Ali": the one or two capitalised words after the phrase
_SELF_NAMED = re.compile(r"(?i:\b(jeg hedder|mit navn er|mvh\.?|hilsen))\s+[A-ZÆØÅ][\w'-]*(?:\s+[A-ZÆØÅ][\w'-]*)?")


def redact(text: str, names: Sequence[str] = ()) -> tuple[str, int]:
    """The text with personal data replaced, and how many replacements were made."""
    count = 0

    def sub(pattern: re.Pattern[str], repl: Any, s: str) -> str:
        nonlocal count
        s, k = pattern.subn(repl, s)
        count += k
        return s

    out = sub(_EMAIL, "[e-mail fjernet]", text)
    out = sub(_CPR, "[cpr-nr. fjernet]", out)
    out = sub(_PHONE, "[telefonnr. fjernet]", out)
    out = sub(_LONG_NUMBER, "[nummer fjernet]", out)
    out = sub(_SELF_NAMED, lambda m: f"{m.group(1)} [navn fjernet]", out)  # type: ignore[arg-type]
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(p) for p in name.split()) + r"(?!\w)", re.IGNORECASE)
        out = sub(pattern, "[navn fjernet]", out)
    return out, count


def _clean(values: pd.Series) -> np.ndarray:
    """Comment texts with blanks (and 'nan'/'None' from text conversion) as ''."""
    s = values.astype("string").fillna("").str.strip()
    s = s.mask(s.str.lower().isin(["nan", "none", "<na>"]), "")
    return s.to_numpy(dtype=object)


def _matches(texts: np.ndarray, words: Sequence[str]) -> np.ndarray:
    if not words or not len(texts):
        return np.zeros(len(texts), dtype=bool)
    pattern = r"(?<!\w)(?:" + "|".join(re.escape(w.strip()) for w in words if w.strip()) + r")"
    return pd.Series(texts, dtype="string").str.contains(pattern, case=False, regex=True).fillna(False).to_numpy()


def comment_summary(cfg: Kommentarer, focus_rows: pd.DataFrame, eligible: np.ndarray, themes: Sequence[str],
                    names: Sequence[str], min_n: int) -> CommentSummary | None:
    """Counts and quotes for the focus municipality's respondents (``eligible``: may be quoted)."""
    if not cfg.medtag:
        return None
    columns: dict[str, str] = {t: c for t, c in cfg.kolonner.items() if c in focus_rows.columns}
    general = _clean(focus_rows[GENERAL]) if GENERAL in focus_rows.columns else None
    per_theme: dict[str, np.ndarray] = {}  # theme → texts ('' = no comment)
    for theme, col in columns.items():
        per_theme[theme] = _clean(focus_rows[col])
    if general is not None and cfg.noegleord:
        matched_any = np.zeros(len(general), dtype=bool)
        for theme in [t for t in themes if t in cfg.noegleord] + [t for t in cfg.noegleord if t not in themes]:
            hit = _matches(general, cfg.noegleord[theme]) & (general != "")
            matched_any |= hit
            texts = np.where(hit, general, "")
            if theme in per_theme:
                per_theme[theme] = np.where(per_theme[theme] != "", per_theme[theme], texts)
            else:
                per_theme[theme] = texts
        per_theme[OTHER] = np.where(~matched_any, general, "")
    elif general is not None:
        per_theme[ALL] = general
    if not per_theme:
        return CommentSummary(0, (), (), 0, min_n)
    has_any = np.zeros(len(focus_rows), dtype=bool)
    for texts in per_theme.values():
        has_any |= texts != ""
    n_comments = int(has_any.sum())
    order = [t for t in _theme_order(per_theme, themes)
             if not (t in (OTHER, ALL) and not (per_theme[t] != "").any())]
    sizes = {t: int((per_theme[t] != "").sum()) for t in order}
    shown = hidden_counts(sizes, n_comments, min_n)
    counts = [CommentCount(t, sizes[t] if t in shown else None) for t in order]
    quotes: list[Quote] = []
    quoted: set[str] = set()
    redacted = 0
    for theme in order:
        texts = per_theme[theme]
        k = sizes[theme]
        if cfg.citater <= 0 or k < min_n or n_comments < min_n:
            continue
        pool = [t for t, ok in zip(texts, eligible) if t and ok and MIN_QUOTE_CHARS <= len(t) <= MAX_QUOTE_CHARS]
        pool = sorted(set(pool) - quoted, key=lambda t: (hashlib.sha256(t.encode("utf-8")).hexdigest(), t))
        for t in pool[: cfg.citater]:
            quoted.add(t)
            clean, c = redact(" ".join(t.split()), names)
            redacted += c
            quotes.append(Quote(None if theme == ALL else theme, clean))
    return CommentSummary(n_comments=n_comments, by_theme=tuple(counts), quotes=tuple(quotes), n_redacted=redacted,
                          min_n=min_n)


def hidden_counts(sizes: Mapping[str, int], total: int, min_n: int) -> set[str]:
    """The themes whose comment count may be shown.

    Counts of 1 … min_n-1 are hidden, and while the total minus the shown counts is
    between 1 and min_n-1 (a hidden count could be worked out), the smallest shown count
    is hidden too. Counts of 0 are shown.
    """
    shown = {t for t, k in sizes.items() if k == 0 or k >= min_n}
    if 0 < total < min_n:
        return {t for t in shown if sizes[t] == 0}
    while shown:
        left = total - sum(sizes[t] for t in shown)
        if not 0 < left < min_n:
            break
        smallest = min((t for t in shown if sizes[t] > 0), key=lambda t: (sizes[t], t), default=None)
        if smallest is None:
            break
        shown.discard(smallest)
    return shown


def _theme_order(per_theme: Mapping[str, np.ndarray], themes: Sequence[str]) -> list[str]:
    first = [t for t in themes if t in per_theme]
    rest = [t for t in per_theme if t not in first and t not in (OTHER, ALL)]
    tail = [t for t in (OTHER, ALL) if t in per_theme]
    return first + rest + tail
