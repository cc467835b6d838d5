"""Typst's compile step, here or in a process of its own.

``compile_typst`` is what ``render.pdf_typst`` calls. Typst works on threads of its
own, started when it is first used; a process forked after that has none of them and
Typst would wait for them for ever. Such a process (a test that runs a batch after
rendering, say) runs this file as a script instead (``run_apart``): a fresh interpreter
that imports nothing of reportgen, reads the arguments from stdin and writes the outcome
to stdout (pickled) — the same bytes, some hundredths of a second slower. reportgen's own
forking parents (the batch, the web app's fork server) never use Typst themselves.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading

import typst

_FONTS: dict[tuple[str, ...], object] = {}
_LOCK = threading.Lock()
_USED_BY: int | None = None  # the process whose Typst threads are running


MARKS = "<rg-mark>"  # the label of the layout marks (templates/typst/reportgen.typ, "mark")


def compile_typst(root: str, folders: tuple[str, ...], source: bytes, standards: tuple[str, ...], tagged: bool,
                  timestamp: int, keep_fonts: bool = True, export: bool = True) -> tuple[bytes, str] | tuple[str, str]:
    """``export``: (the PDF bytes, ""); else (b"", the layout marks as JSON) — the layout
    only, which Typst keeps, so that exporting the same source next costs only the
    writing. Typst's (message, diagnostic) when it failed. ``folders``: the only font
    folders Typst sees (never the machine's fonts); scanned once per process when
    ``keep_fonts``."""
    global _USED_BY
    _USED_BY = os.getpid()
    main = os.path.join(root, "dokument.typ")  # a file: Typst queries only a document it can read again
    with open(main, "wb") as handle:
        handle.write(source)
    compiler = typst.Compiler(input=main, root=root, font_paths=_fonts(folders, keep_fonts))
    try:
        if not export:
            return (b"", compiler.query(MARKS, field="value"))
        pdf = compiler.compile(format="pdf", pdf_standards=list(standards), pdf_tags=tagged, timestamp=timestamp)
    except RuntimeError as exc:  # typst.TypstError; a query's failure is a plain RuntimeError
        return (str(getattr(exc, "message", exc)), str(getattr(exc, "diagnostic", "")))
    if not isinstance(pdf, bytes):  # pragma: no cover - a Typst version that returns pages
        return (type(pdf).__name__, "")
    return (pdf, "")


def inherited() -> bool:
    """Whether Typst was used in a process this one was forked from."""
    return _USED_BY is not None and _USED_BY != os.getpid()


def run_apart(*arguments: object) -> tuple[bytes, str] | tuple[str, str]:
    """``compile_typst(*arguments)`` in a fresh interpreter running this file."""
    done = subprocess.run([sys.executable, "-I", __file__], input=pickle.dumps(arguments),
                          capture_output=True, check=False)
    if done.returncode != 0:
        return ("the Typst process failed", done.stderr.decode("utf-8", "replace")[-2000:])
    return pickle.loads(done.stdout)


def _fonts(folders: tuple[str, ...], keep: bool) -> object:
    if not keep:
        return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=list(folders))
    with _LOCK:
        fonts = _FONTS.get(folders)
        if fonts is None:
            fonts = _FONTS[folders] = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                                                  font_paths=list(folders))
        return fonts


if __name__ == "__main__":
    outcome = compile_typst(*pickle.loads(sys.stdin.buffer.read()))
    sys.stdout.buffer.write(pickle.dumps(outcome))
