"""Danish formatting of numbers, percentages, dates and lists — the one place for it.

Everything goes through Babel's ``da_DK`` locale data: decimal comma, "." as the
thousands separator, lower-case month names. The Jinja environment registers these
functions as filters (see ``reportgen.core.templating``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

LOCALE = "da_DK"


MINUS = "\u2212"  # the typographic minus sign: "−0,13", never a hyphen


def num(value: float | int | None, decimals: int = 2) -> str:
    """A number with a fixed number of decimals: 3.8123 → '3,81'; 33000 → '33.000';
    -0.125 → '−0,13' (minus sign, U+2212). A value that rounds to zero has no sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return _num(float(value) if not isinstance(value, int) else value, decimals)


@functools.lru_cache(maxsize=8192, typed=True)
def _num(value: float | int, decimals: int) -> str:
    """``num`` of a number (kept: a document formats the same figures many times, and the
    live preview formats a whole document per pause in typing)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    rounded = _round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)
    text = format_decimal(rounded, format=pattern, locale=LOCALE)
    return MINUS + text[1:] if text.startswith("-") else text


def parse_num(text: str) -> float:
    """The value of a figure as ``num`` prints it: '1.234,56' → 1234.56, '−0,13' → -0.13."""
    return float(text.replace(MINUS, "-").replace(".", "").replace(",", "."))


def integer(value: int | None) -> str:
    """An integer with thousands separator: 33000 → '33.000'."""
    return num(value, 0)


def pct(share: float | None, decimals: int = 1) -> str:
    """A share (0–1) as a Danish percentage number without the unit: 0.394 → '39,4'."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return num(share * 100, decimals)


def pct_text(share: float | None, decimals: int = 1) -> str:
    """A share in running text: 0.394 → '39,4 pct.'."""
    return f"{pct(share, decimals)} pct."


def date_long(value: dt.date | str | None) -> str:
    """A date in running text: 2024-06-17 → '17. juni 2024' (also from the ISO text a
    case file or form holds; text that is no ISO date is returned as it is)."""
    value = _as_date(value)
    if not isinstance(value, dt.date):
        return value or ""
    return format_date(value, format="d. MMMM y", locale=LOCALE)


def date_with_weekday(value: dt.date | str | None) -> str:
    """'mandag den 17. juni 2024' — weekday and month in lower case."""
    value = _as_date(value)
    if not isinstance(value, dt.date):
        return value or ""
    return format_date(value, format="EEEE 'den' d. MMMM y", locale=LOCALE)


def _as_date(value: dt.date | str | None) -> dt.date | str | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


_LIST_STYLES = {"og": "standard", "eller": "or"}  # the conjunction → Babel's list style


def join_da(items: Iterable[str], conjunction: str = "og") -> str:
    """['a', 'b', 'c'] → 'a, b og c' (``conjunction="eller"``: 'a, b eller c'): Babel's
    Danish list patterns (``babel.lists.format_list``). The Jinja filter ``join_da``."""
    style = _LIST_STYLES.get(conjunction)
    if style is None:
        raise ValueError(f"unknown conjunction {conjunction!r}; known: {', '.join(_LIST_STYLES)}")
    return format_list([str(i) for i in items], style=style, locale=_locale())  # type: ignore[arg-type]


@functools.cache
def _locale() -> Locale:
    return Locale.parse(LOCALE)  # parsed once: format_list with a string parses it on every call


def _round_half_up(value: float | int, decimals: int) -> float | int:
    """Round half away from zero on the decimal representation (3,815 → 3,82).

    Python's round() and Babel round half to even on binary floats; a document reader
    expects the school rule, and a test computing the figure independently does too.
    """
    from decimal import ROUND_HALF_UP, Decimal

    if isinstance(value, int) and decimals == 0:
        return value
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)


# An age band or number range that must stay on one line: "18-29 år", "60+ år", "30-39",
# "25 år". A line break inside one ("18-29 / år", "30- / 59 år") reads as two things.
_KEEP_WHOLE = re.compile(r"\d+(?:[-\u2013]\d+|\+)(?: år\b)?|\d+ år\b")


def keep_whole_parts(text: str) -> list[tuple[str, bool]]:
    """``text`` in pieces, each with whether it must not break across lines (see
    ``_KEEP_WHOLE``): '18-29 år (19)' → [('18-29 år', True), (' (19)', False)]. The
    renderers keep the marked pieces whole (HTML: a no-wrap span; DOCX: a no-break space
    and hyphen); the pieces joined are ``text``."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for m in _KEEP_WHOLE.finditer(text):
        if " " not in m.group() and "-" not in m.group() and "\u2013" not in m.group():
            continue  # '60+' alone has nowhere to break
        if m.start() > at:
            parts.append((text[at:m.start()], False))
        parts.append((m.group(), True))
        at = m.end()
    if at < len(text) or not parts:
        parts.append((text[at:], False))
    return parts
