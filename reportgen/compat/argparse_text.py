"""argparse's own English texts → the caller's words (the command line is in Danish).

argparse writes a few texts itself: the "usage: " before the usage line, the titles
"positional arguments" and "options", and its error messages ("the following arguments
are required: …", "invalid choice: …"). CPython does not translate them (argparse asks
``gettext`` in the default domain, for which no Danish catalogue is installed), so the
command line would mix English into Danish help and errors. What this module relies on,
checked with CPython 3.11 (the invalid-choice pattern also takes the unquoted choices that
later versions print):

* ``HelpFormatter.add_usage(usage, actions, groups, prefix=None)`` takes the prefix (the
  formatter's methods are documented as an implementation detail);
* ``ArgumentParser._positionals`` and ``._optionals`` are the two default argument groups,
  whose ``title`` is printed above their arguments (private);
* the wording of argparse's error messages (``ERRORS``), matched as a whole; a message that
  matches none of them is passed on as argparse wrote it.

Each has a test in tests/compat/test_argparse_text.py that fails when an assumption breaks.
The words themselves come from the caller (reportgen/cli.py: templates/messages/cli.txt.j2).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

__all__ = ["ERRORS", "prefixed_formatter", "retitle", "translate_error"]

# (key, the whole of one of argparse's error messages); the last one is the general form
# "argument X: <anything>", which also carries the errors of reportgen's own argument types.
ERRORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("required", re.compile(r"the following arguments are required: (?P<names>.+)")),
    ("invalid_choice", re.compile(r"argument (?P<argument>[^:]+): invalid choice: '?(?P<value>.*?)'?"
                                  r" \(choose from (?P<choices>.+)\)")),
    ("unrecognized", re.compile(r"unrecognized arguments: (?P<names>.+)")),
    ("expected_one", re.compile(r"argument (?P<argument>[^:]+): expected one argument")),
    ("invalid_value", re.compile(r"argument (?P<argument>[^:]+): invalid \S+ value: '?(?P<value>.*?)'?")),
    ("ambiguous", re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)")),
    ("not_allowed", re.compile(r"argument (?P<argument>[^:]+): not allowed with argument (?P<other>.+)")),
    ("argument", re.compile(r"argument (?P<argument>[^:]+): (?P<text>.+)", re.DOTALL)),
)


def translate_error(text: str, words: Callable[..., str]) -> str:
    """argparse's error ``text`` in the caller's words: ``words(key, **parts)`` for the first
    of ``ERRORS`` that matches the whole text; the text unchanged when none does."""
    for key, pattern in ERRORS:
        m = pattern.fullmatch(text)
        if m is not None:
            return words(key, **{k: v.strip() for k, v in m.groupdict().items()})
    return text


def prefixed_formatter(prefix: str) -> type[argparse.HelpFormatter]:
    """A help formatter whose usage line starts with ``prefix`` instead of "usage: "."""

    default = prefix

    class PrefixedFormatter(argparse.HelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def,override]
            return super().add_usage(usage, actions, groups, default if prefix is None else prefix)

    return PrefixedFormatter


def retitle(parser: argparse.ArgumentParser, positionals: str, optionals: str) -> None:
    """Give the parser's two default argument groups the caller's titles. Without the
    private groups (another argparse), the titles stay argparse's own: help still works."""
    for name, title in (("_positionals", positionals), ("_optionals", optionals)):
        group = getattr(parser, name, None)
        if isinstance(group, argparse._ArgumentGroup) and hasattr(group, "title"):
            group.title = title
