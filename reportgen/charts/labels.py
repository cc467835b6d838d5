"""Small text helpers of the charts: captions, scale end points, wrapped labels."""

from __future__ import annotations

import re
import textwrap
from functools import cache

from reportgen.core import fmt
from reportgen.core.templating import render_text
from reportgen.models.results import Results, UnitResult


def figure_caption(number: int | None, text: str) -> str:
    """'Figur 2. <text>' (templates/text/figur.txt.j2); ``text`` alone without a number."""
    return render_text("figur", "titel", n=number, text=text) if number is not None else text


@cache
def _number_prefix() -> re.Pattern[str]:
    """What ``figure_caption`` puts before the text, as a pattern for any number."""
    marker = "\x00"
    prefix = figure_caption(123456789, marker).split(marker, 1)[0]
    return re.compile("^" + re.escape(prefix.strip()).replace("123456789", r"\d+") + r"\s*")


def caption_text(caption: str) -> str:
    """A caption without the 'Figur 2.' that ``figure_caption`` put before it (the document
    numbers figures itself)."""
    return _number_prefix().sub("", caption, count=1)


def ci_label() -> str:
    """The legend entry for the confidence-interval whiskers."""
    return render_text("figur", "ki")


def not_shown() -> str:
    """A value that is not shown, in an alt text ('ikke vist')."""
    return render_text("figur", "ikke_vist")


def not_given() -> str:
    """A value that is not given, in an alt text ('ikke oplyst')."""
    return render_text("figur", "ikke_oplyst")


def bound(v: float) -> str:
    """A scale end point: 1 → '1', 2.5 → '2,5'."""
    return fmt.num(v, 0) if float(v).is_integer() else fmt.num(v, 1)


def two_lines(text: str, width: int) -> str:
    """Wrap to at most two lines of ``width`` characters, ending in ' …' if cut."""
    lines = textwrap.wrap(text, width)
    if len(lines) <= 2:
        return "\n".join(lines)
    second = textwrap.shorten(" ".join(lines[1:]), width=width, placeholder=" …")
    return lines[0] + "\n" + second


def hidden_note(suppressed: list[str], empty: list[str], kind: str) -> str:
    """' Temaet X vises ikke af hensyn til anonymiteten.' and the like, or ''; ``kind`` is
    "tema" or "spoergsmaal" (block ``skjult`` of templates/text/figur.txt.j2)."""
    out = ""
    for names, reason in ((suppressed, "anonymitet"), (empty, "ingen_svar")):
        if names:
            out += " " + render_text("figur", "skjult", kind=kind, names=names, reason=reason)
    return out


def unit_result(results: Results, unit: str) -> UnitResult:
    if unit == "focus":
        return results.focus
    if unit == "benchmark":
        return results.benchmark
    raise ValueError(f"unit must be 'focus' or 'benchmark', got {unit!r}")


def question_label(number: str, text: str) -> str:
    return f"{number} {text}".strip() if number else text
