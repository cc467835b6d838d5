"""Hand-written text (a small Markdown subset) → document blocks.

Supported: paragraphs separated by a blank line, bullet lists (``- `` or ``* ``), numbered
lists (``1. ``), ``**bold**``, ``*italic*`` / ``_italic_`` and links ``[tekst](url)``, which
are shown as plain text "tekst (url)". Everything else — HTML tags, template syntax — is
kept as literal text; the renderers escape it.
"""

from __future__ import annotations

import re

from reportgen.models.document import Block, ListBlock, Paragraph, Run

_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_INLINE = re.compile(r"\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"
                     r"|\[([^\]]+)\]\(([^)\s]+)\)")


def parse_inline(text: str) -> tuple[Run, ...]:
    """'Det er **vigtigt**' → (Run('Det er '), Run('vigtigt', bold=True))."""
    runs: list[Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos:m.start()]))
        if m.group(1) is not None:
            runs.append(Run(m.group(1), bold=True))
        elif m.group(2) is not None or m.group(3) is not None:
            runs.append(Run(m.group(2) if m.group(2) is not None else m.group(3), italic=True))
        else:
            runs.append(Run(f"{m.group(4)} ({m.group(5)})"))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return tuple(_merge(runs)) or (Run(""),)


def parse_blocks(text: str) -> tuple[Block, ...]:
    """Split hand-written text into paragraphs and lists."""
    blocks: list[Block] = []
    para: list[str] = []
    items: list[str] = []
    ordered: bool | None = None

    def flush_para() -> None:
        if para:
            blocks.append(Paragraph(parse_inline(" ".join(s.strip() for s in para))))
            para.clear()

    def flush_list() -> None:
        nonlocal ordered
        if items:
            blocks.append(ListBlock(tuple(Paragraph(parse_inline(i)) for i in items), ordered=bool(ordered)))
            items.clear()
        ordered = None

    for line in str(text).replace("\r\n", "\n").split("\n"):
        b, n = _BULLET.match(line), _NUMBER.match(line)
        if not line.strip():
            flush_para()
            flush_list()
        elif b or n:
            flush_para()
            kind = n is not None and b is None
            if ordered is not None and ordered != kind:
                flush_list()
            ordered = kind
            items.append((n or b).group(1))  # type: ignore[union-attr]
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()
        else:
            flush_list()
            para.append(line)
    flush_para()
    flush_list()
    return tuple(blocks)


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for r in runs:
        if not r.text:
            continue
        if out and (out[-1].bold, out[-1].italic) == (r.bold, r.italic):
            out[-1] = Run(out[-1].text + r.text, r.bold, r.italic)
        else:
            out.append(r)
    return out
