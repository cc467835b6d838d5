"""Error types: what went wrong, where, and what was expected — in Danish for users.

An ``InputError`` carries one or more ``Problem`` values. Each names the file, the row
(as the user sees it in Excel: header row = 1), the column and the value, and says what
was expected. The CLI prints them all and exits with code 2.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_QUOTED = 120  # characters of a quoted value (or key, or file name) in a message


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` cut to ``limit`` characters with '…' and the length, so a huge cell or a
    pasted paragraph cannot make a message unreadable; line breaks are shown as ⏎."""
    text = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} tegn)".replace(",", ".")


class ReportgenError(Exception):
    """Base class for all errors reportgen raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as possible."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None  # a column of a data file (besvarelser, katalog, inviterede)
    value: str | None = None
    expected: str | None = None
    key: str | None = None  # a key of a settings file (sag.yaml, a theme, a profile, a run file): "sag.moededato"

    def __post_init__(self) -> None:
        for name in ("file", "column", "value", "key"):  # quoted in messages: keep them readable
            v = getattr(self, name)
            if isinstance(v, str) and (len(v) > MAX_QUOTED or "\n" in v or "\r" in v):
                object.__setattr__(self, name, shorten(v))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"fil '{self.file}'")
        if self.row is not None:
            where.append(f"række {self.row}")
        if self.column is not None:
            where.append(f"kolonne '{self.column}'")
        if self.key is not None:
            where.append(f"nøgle '{self.key}'")
        text = self.message
        if self.value is not None:
            text += f": værdien '{self.value}'"
        if self.expected:
            text += f" (forventet: {self.expected})"
        return (", ".join(where) + ": " if where else "") + text


class InputError(ReportgenError):
    """Bad input from the user: a missing file, a wrong column, an unknown key, ..."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildRefused(InputError):
    """A final build that would still contain placeholders for hand-written text."""
