"""compat/argparse_text.py: argparse's English texts → Danish. Each assumption about this
Python's argparse is checked here, so that a new Python that changes them fails loudly."""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
from contextlib import redirect_stderr

import pytest

from reportgen.cli import _parser
from reportgen.compat.argparse_text import ERRORS, prefixed_formatter, retitle, translate_error

ENGLISH = re.compile(r"usage:|positional arguments|options:|show this help|show program|required|invalid choice|"
                     r"unrecognized|expected one argument|ambiguous option|not allowed with|choose from")


class _Capture(argparse.ArgumentParser):
    """A parser that hands argparse's own error text back instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise LookupError(message)


def _argparse_error(argv: list[str]) -> str:
    p = _Capture(prog="x", allow_abbrev=True)
    p.add_argument("case")
    p.add_argument("--jobs", type=int)
    p.add_argument("--kind", choices=["a", "b"])
    p.add_argument("--alpha")
    p.add_argument("--alps")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true")
    group.add_argument("--text", action="store_true")
    with pytest.raises(LookupError) as caught:
        p.parse_args(argv)
    return str(caught.value)


@pytest.mark.parametrize(("argv", "key"), [
    ([], "required"),
    (["c", "--kind", "z"], "invalid_choice"),
    (["c", "extra"], "unrecognized"),
    (["c", "--jobs"], "expected_one"),
    (["c", "--jobs", "x"], "invalid_value"),
    (["c", "--al", "1"], "ambiguous"),
    (["c", "--json", "--text"], "not_allowed"),
])
def test_every_known_argparse_error_of_this_python_is_recognised(argv, key):
    text = _argparse_error(argv)
    seen = []
    translate_error(text, lambda k, **parts: seen.append((k, parts)) or "")
    assert seen and seen[0][0] == key, (text, seen)
    assert all(v for v in seen[0][1].values()), seen


def test_an_unknown_error_is_passed_on_as_written():
    assert translate_error("something new", lambda k, **p: "x") == "something new"
    assert [k for k, _ in ERRORS][-1] == "argument"  # the general form is tried last


def test_the_usage_prefix_and_the_group_titles():
    p = argparse.ArgumentParser(prog="x", formatter_class=prefixed_formatter("brug: "))
    p.add_argument("case")
    assert hasattr(p, "_positionals") and hasattr(p, "_optionals"), "argparse's default groups moved"
    retitle(p, "argumenter", "tilvalg")
    text = p.format_help()
    assert text.startswith("brug: x ") and "\nargumenter:\n" in text and "\ntilvalg:\n" in text
    assert p.format_usage().startswith("brug: x ")


def test_the_command_line_help_has_no_english_from_argparse():
    top = _parser()
    texts = [top.format_help(), top.format_usage()]
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    texts += [p.format_help() for p in sub.choices.values()]
    for text in texts:
        assert not ENGLISH.search(text), text
        assert text.startswith("brug: reportgen")


@pytest.mark.parametrize(("argv", "danish"), [
    (["build"], "reportgen: fejl i kommandoen: mangler: SAGSFIL"),
    (["foo"], "reportgen: fejl i kommandoen: KOMMANDO: ukendt valg 'foo' (vælg en af: "),
    (["build", "a", "b"], "reportgen: fejl i kommandoen: ukendte argumenter: b"),
    (["build", "--out"], "reportgen: fejl i kommandoen: --out: forventer en værdi"),
    (["batch", "--jobs", "x", "k.yaml"], "reportgen: fejl i kommandoen: --jobs: forventet et helt tal på mindst 1"),
])
def test_command_errors_are_danish_with_exit_code_2(argv, danish):
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(SystemExit) as stop:
        _parser().parse_args(argv)
    assert stop.value.code == 2
    assert danish in err.getvalue() and not ENGLISH.search(err.getvalue()), err.getvalue()
    assert err.getvalue().startswith("brug: reportgen")


def test_reportgen_help_in_a_fresh_process_is_danish():
    out = subprocess.run([sys.executable, "-m", "reportgen.cli", "--help"], capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith("brug: reportgen") and "tilvalg:" in out and not ENGLISH.search(out), out
