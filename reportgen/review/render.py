"""``Comparison`` → text for a terminal (rich): figures side by side, sentences and texts
with word-level marks (removed words struck through in red, added words in green).

The headings and sentences come from the phrasebook (``review.phrases``). Without colour
(a pipe, ``--no-color``, tests) the marks are written as ``[-removed-]`` and ``{+added+}``,
so the output stays readable as plain text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reportgen.review.diff import Comparison, Diff, TextChange, Word
from reportgen.review.phrases import phrase

SIGN = {"tilfoejet": "+", "fjernet": "-", "aendret": "~"}
STYLE = {"tilfoejet": "green", "fjernet": "red", "aendret": "yellow"}


def render_text(comparison: Comparison, console: Console | None = None) -> None:
    """Print ``comparison`` to ``console`` (default: standard output)."""
    console = console or Console(highlight=False)
    plain = console.no_color or not console.is_terminal and console.color_system is None
    console.print(Text(phrase("diff_titel", foer=comparison.foer, efter=comparison.efter), style="bold"))
    if comparison.empty:
        console.print(phrase("diff_ingen"))
        return
    for item in comparison.kun_foer:
        console.print(Text(f"- {phrase('diff_kun_foer', id=item)}", style="red"))
    for item in comparison.kun_efter:
        console.print(Text(f"+ {phrase('diff_kun_efter', id=item)}", style="green"))
    for item_id, d in comparison.elementer:
        if len(comparison.elementer) > 1 or comparison.kun_foer or comparison.kun_efter:
            console.rule(Text(item_id, style="bold"))
        if d.empty:
            console.print(phrase("diff_ingen"))
            continue
        _diff(console, d, plain)


def render_to_string(comparison: Comparison, width: int = 100, color: bool = False) -> str:
    """The terminal text of ``comparison`` as a string (no colour codes unless ``color``)."""
    buf = io.StringIO()
    console = Console(file=buf, width=width, no_color=not color, color_system="standard" if color else None,
                      force_terminal=color, highlight=False)
    render_text(comparison, console)
    return buf.getvalue()


def _diff(console: Console, d: Diff, plain: bool) -> None:
    if d.tal:
        console.print(Text(phrase("diff_tal", n=len(d.tal)), style="bold"))
        t = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        t.add_column(phrase("diff_kolonne_tal"))
        t.add_column(phrase("diff_kolonne_foer"), justify="right")
        t.add_column(phrase("diff_kolonne_efter"), justify="right")
        for c in d.tal:
            t.add_row(Text(f"{SIGN[c.art]} {c.label}", style=STYLE[c.art]), c.foer or "", c.efter or "")
        console.print(t)
    if d.saetninger:
        console.print(Text(phrase("diff_saetninger", n=len(d.saetninger)), style="bold"))
        heading = None
        for s in d.saetninger:
            if s.afsnit != heading:
                heading = s.afsnit
                console.print(Text(f"  {heading}", style="italic"))
            console.print(_line(s.art, s.foer, s.efter, s.ord, plain, indent="    "))
    for title, changes in (("diff_haandskrevet", d.haandskrevet), ("diff_sag", d.sag),
                           ("diff_kortlaegning", d.kortlaegning)):
        if changes:
            console.print(Text(phrase(title, n=len(changes)), style="bold"))
            for c in changes:
                _text_change(console, c, plain)
    if d.input:
        console.print(Text(phrase("diff_input", n=len(d.input)), style="bold"))
        for i in d.input:
            line = Text(f"  {SIGN[i.art]} {i.rolle}: ", style=STYLE[i.art])
            line.append(" → ".join(x for x in (i.foer, i.efter) if x))
            console.print(line)


def _text_change(console: Console, c: TextChange, plain: bool) -> None:
    console.print(Text(f"  {SIGN[c.art]} {c.noegle}", style=STYLE[c.art]))
    console.print(_line(c.art, c.foer, c.efter, c.ord, plain, indent="      ", sign=False))


def _line(art: str, old: str | None, new: str | None, marks: Sequence[Word], plain: bool,
          indent: str, sign: bool = True) -> Text:
    lead = f"{indent}{SIGN[art]} " if sign else indent
    if art == "tilfoejet":
        return Text(lead + (new or ""), style="green")
    if art == "fjernet":
        return Text(lead + (old or ""), style="red")
    out = Text(lead)
    for op, text in marks:
        body = text.rstrip()
        tail = text[len(body):]
        if op == "=":
            out.append(text)
        elif plain:
            out.append(("[-" if op == "-" else "{+") + body + ("-]" if op == "-" else "+}") + tail)
        else:
            out.append(body, style="red strike" if op == "-" else "green underline")
            out.append(tail)
    return out
