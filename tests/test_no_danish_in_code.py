"""Danish document text lives in templates (templates/text/, templates/findings/), not in Python.

An ast scan of the document-producing stages: every string literal (f-strings read with
their fixed parts) that looks like a Danish phrase — at least three words, with a Danish
letter or at least two common Danish words — fails the test unless it is on ``ALLOWED``
with a reason. Docstrings are skipped, and so are error messages (literals inside a
``raise`` or an error/problem constructor): errors raised to the user are not document text
and are checked by the error tests — except in the modules on ``WITH_ERRORS``, whose error
messages are in templates/messages/ too.

``python tests/test_no_danish_in_code.py [-v] [PATH ...]`` prints the count per module.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "reportgen"

# The stages whose output is document text: findings, figures, the document model; and run/ and
# ingest/, whose messages (errors included) are in templates/messages/ (run.txt.j2, ingest*.txt.j2;
# tests/core/test_messages.py).
SCOPE = ("document", "charts", "narrative", "models", "render/__init__.py", "run", "cli.py", "ingest")

# The modules whose messages (errors included: ``raise``, ``Problem(...)``) and command-line
# texts are in templates/messages/*.txt.j2 (tests/core/test_messages.py): here error messages
# are scanned too.
WITH_ERRORS = ("run", "cli.py", "core/templating.py", "ingest")

# The rest of the package (cli.py above): its messages are in templates/messages/ (settings, core,
# review, render, web, document .txt.j2), the document text of analysis/ in templates/text/;
# document/ is in SCOPE already and adds its error messages here.
_MESSAGES = ("settings", "core", "review", "render", "web", "analysis")
SCOPE += _MESSAGES
WITH_ERRORS += _MESSAGES + ("document",)

# What is left: the public API, the library seam, the package root and errors.py. errors.py
# is the bottom layer (it imports nothing of reportgen, so it cannot read a template): the
# few single words it puts before a problem to say where it is ("fil", "række", "kolonne",
# "nøgle", "værdien", "forventet") stay there; no phrase may.
_REST = ("api.py", "compat", "__init__.py", "errors.py")
SCOPE += _REST
WITH_ERRORS += _REST

# Calls whose string arguments are error messages (out of scope, see the docstring).
ERROR_CALLS = {"Problem", "InputError", "ReportgenError", "BuildRefused", "ValueError", "TypeError", "KeyError"}

BUILTIN_SCALE = ("a built-in answer scale (ingest/scales.py BUILTIN, DEFAULT_MISSING): its labels are the answer "
                 "texts matched against the data file and its title is the scale's own, data like a scale written "
                 "under data.skalaer, not a message")

# (module relative to reportgen/, the literal's text with "{}" for each placeholder) → why it may stay.
ALLOWED: dict[tuple[str, str], str] = {
    ("document/build.py", "[Mangler: tekst til '{}'. Skrives i sagsfilen under tekster.{}.]"):
        "a machine-read marker, not prose: review/lint.py (_REQUIRED_PLACEHOLDER) parses it back to "
        "the heading and key, so it must not be edited apart from that pattern",
    ("settings/case.py", "Ønsker ikke at svare"):
        "data, not a message: a default answer label (skala.mangler) matched against the survey's answers",
    ("core/resources.py", "Skabelonmappen blev ikke fundet: reportgen er installeret uden 'templates' (ledte i {} og {})"):
        "bootstrap: raised when the templates folder itself is missing, so it cannot come from a template",
    ("core/fmt.py", "\\d+(?:[-\\u2013]\\d+|\\+)(?: år\\b)?|\\d+ år\\b"):
        "a regular expression (an age band such as '18-29 år' kept on one line), not a message",
    ("review/lint.py", "^\\[Mangler: tekst til '(?P<heading>.+?)'\\. Skrives i sagsfilen under tekster\\.(?P<key>[\\w.]+)\\.\\]$"):
        "a regular expression that reads back document/build.py's [Mangler: ...] marker, not a message",
    ("review/lint.py", '\\b(?:over (?:lands|kommune)?gennemsnittet|højere end|bedre end|mere tilfredse?|(?:er|har) steget|forbedret)\\b'):
        "a regular expression of comparative words looked for in the document's own text (lint rule), not a message",
    ("review/lint.py", '\\b(?:under (?:lands|kommune)?gennemsnittet|lavere end|dårligere end|mindre tilfredse?|(?:er|har) faldet|forværret)\\b'):
        "a regular expression of comparative words looked for in the document's own text (lint rule), not a message",
    ("analysis/comments.py", "(?i:\\b(jeg hedder|mit navn er|mvh\\.?|hilsen))\\s+[A-ZÆØÅ][\\w'-]*(?:\\s+[A-ZÆØÅ][\\w'-]*)?"):
        "a regular expression that finds a commenter naming themself (redaction), not a message",
    ("core/templating.py", "Fejl i tekstskabelonen i linje {} ({})"):
        "bootstrap: the error about a broken template cannot come from a template, which may be the broken one",
    ("core/templating.py", "Ukendt værdi i tekstskabelonen ({})"):
        "bootstrap: the error about a broken template cannot come from a template, which may be the broken one",
    ("core/templating.py", "kun de værdier, som filens kommentar nævner"):
        "bootstrap: the error about a broken template cannot come from a template, which may be the broken one",
    **{("ingest/scales.py", text): BUILTIN_SCALE for text in (
        "Ønsker ikke at svare", "1 = I meget lav grad … 5 = I meget høj grad", "1 = Slet ikke … 4 = I høj grad",
        "I høj grad", "I meget høj grad")},
}

DANISH_WORDS = frozenset("""
    og i af er for med til på det den de en et ikke som der fra ved har kan eller under over end
    mindst heraf hvor svar besvarelser spørgsmål spørgsmålet tema temaet temaer andel andelen score
    gennemsnit gennemsnittet kommune kommuner kommunens samlet samlede positive negative antal pr
    tabel figur målingen målinger niveau vises indgår gruppe gruppen grupper hver alle også kun men
    når efter mod viser ligger højest lavest højeste laveste betydning
""".split())
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉé]")


def literal_text(node: ast.AST) -> str | None:
    """The text of a str constant, or an f-string's fixed parts with "{}" per placeholder."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def is_danish_phrase(text: str) -> bool:
    words = [w for w in re.split(r"[\s{}]+", text) if _WORD.search(w)]
    if len(words) < 3:
        return False
    if re.search("[æøåÆØÅ]", text):
        return True
    return sum(re.sub(r"[^\wæøå]", "", w.lower()) in DANISH_WORDS for w in words) >= 2


def _skipped(tree: ast.AST, errors: bool = False) -> set[int]:
    """ids of nodes not to read: docstrings, error messages (unless ``errors``), the parts
    inside f-strings."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        is_error_call = isinstance(node, ast.Call) and (
            getattr(node.func, "id", None) in ERROR_CALLS or getattr(node.func, "attr", None) in ERROR_CALLS)
        if not errors and (isinstance(node, ast.Raise) or is_error_call):
            skip.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node) if n is not node)
    return skip


def danish_literals(path: Path, errors: bool | None = None) -> list[tuple[int, str]]:
    """(line, text) of each Danish phrase written as a string literal in ``path``; error
    messages too if ``errors`` (by default: if the module is in ``WITH_ERRORS``)."""
    if errors is None:
        errors = _with_errors(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _skipped(tree, errors)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        text = literal_text(node)
        if text is not None and is_danish_phrase(text):
            found.append((node.lineno, text))
    return sorted(found)


def _with_errors(path: Path) -> bool:
    rel = path.resolve().relative_to(ROOT).as_posix() if path.resolve().is_relative_to(ROOT) else ""
    return any(rel == s or rel.startswith(s + "/") for s in WITH_ERRORS)


def _modules(paths: list[Path]) -> list[Path]:
    missing = [str(p) for p in paths if not p.exists()]
    assert not missing, f"scan scope not found (moved?): {missing}"
    return sorted(p for path in paths for p in ([path] if path.is_file() else path.rglob("*.py")))


def test_scan_finds_phrases_and_spares_the_rest(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Modul med en dansk docstring, som er tilladt."""\n'
        'A = f"Tabel {n}. Score pr. tema, {name}"\n'
        'B = "Tallene vises ikke"\n'
        'C = "left"\n'
        'D = "95 pct. konfidensinterval"\n'
        'E = "Welch\'s t-test"\n'
        'def f():\n'
        '    raise ValueError("Ugyldig værdi i kolonnen")\n',
        encoding="utf-8")
    assert [line for line, _ in danish_literals(sample)] == [2, 3]
    assert [line for line, _ in danish_literals(sample, errors=True)] == [2, 3, 8]


def test_no_danish_phrases_in_document_code() -> None:
    found = []
    for path in _modules([ROOT / s for s in SCOPE + WITH_ERRORS]):
        rel = path.relative_to(ROOT).as_posix()
        for line, text in danish_literals(path):
            if (rel, text) not in ALLOWED:
                found.append(f"reportgen/{rel}:{line}: {text!r}")
    assert not found, ("Danish document text belongs in templates/text/ (see docs/tekster.md), "
                       "or on ALLOWED with a reason:\n" + "\n".join(found))


def test_allowed_entries_still_exist_and_say_why() -> None:
    for (rel, text), reason in ALLOWED.items():
        assert reason.strip(), (rel, text)
        assert any(t == text for _, t in danish_literals(ROOT / rel)), f"stale ALLOWED entry: {rel}: {text!r}"


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    total = 0
    for path in _modules([Path(a) for a in args] or [ROOT / s for s in SCOPE]):
        hits = danish_literals(path)
        total += len(hits)
        if hits:
            print(f"{len(hits):4d}  {path}")
            if "-v" in sys.argv:
                for line, text in hits:
                    print(f"        {line}: {text[:100]!r}")
    print(f"{total:4d}  in all")
