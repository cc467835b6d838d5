"""Small text helpers of the charts: captions, scale end points, wrapped labels."""

from __future__ import annotations

import textwrap

from reportgen.core import fmt
from reportgen.models import Results, UnitResult


def figure_caption(number: int | None, text: str) -> str:
    return f"Figur {number}. {text}" if number is not None else text


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


def hidden_note(suppressed: list[str], empty: list[str], singular: str, plural: str
                 ) -> str:
    """' Temaet X vises ikke af hensyn til anonymiteten.' and the like, or ''."""
    out = ""
    for names, reason in ((suppressed, "af hensyn til anonymiteten"),
                          (empty, "fordi der ikke er gyldige svar")):
        if names:
            out += f" {plural if len(names) > 1 else singular} {fmt.join_da(names)} " \
                   f"vises ikke {reason}."
    return out


def unit_result(results: Results, unit: str) -> UnitResult:
    if unit == "focus":
        return results.focus
    if unit == "benchmark":
        return results.benchmark
    raise ValueError(f"unit must be 'focus' or 'benchmark', got {unit!r}")


def question_label(number: str, text: str) -> str:
    return f"{number} {text}".strip() if number else text
