"""Fuzzing: mutated case files and exports never crash reportgen.

Invariant, checked in-process through ``reportgen.cli.main``: exit 0 with complete output
files, or exit 2 with a Danish message and nothing written; never exit 1, never a
traceback, never a partial or temporary file. ``make test`` runs a few examples
(``FUZZ_EXAMPLES``, default 5 per test); ``make fuzz`` runs for ``FUZZ_SECONDS``
(default 600) and prints how many examples ran and which distinct crashes it found.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.cli import main

OK = Path(__file__).resolve().parents[1] / "bad_inputs" / "_ok"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CRASHES: dict[str, str] = {}  # distinct crash signature → example (make fuzz reports them)
RUN = {"examples": 0}
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=os.environ.get("FUZZ_SECONDS") is None,
                suppress_health_check=list(HealthCheck), database=None)

BASE = yaml.safe_load((OK / "sag.yaml").read_text(encoding="utf-8"))
PATHS = [("sag",), ("sag", "titel"), ("sag", "moededato"), ("sag", "aabenhed"), ("sag", "status"),
         ("sag", "dato"), ("sag", "sagsgang"), ("data",), ("data", "besvarelser"), ("data", "katalog"),
         ("data", "inviterede"), ("data", "kolonner"), ("data", "kolonner", "kommune"), ("data", "omkodning"),
         ("data", "skilletegn"), ("data", "kodning"), ("data", "overskriftsraekke"), ("data", "ark"),
         ("data", "manglende_koder"), ("data", "spoergsmaal"), ("analyse",), ("analyse", "min_n"),
         ("analyse", "signifikansniveau"), ("analyse", "grupper"), ("analyse", "kommentarer"),
         ("analyse", "prioritet"), ("analyse", "tidligere"), ("tekster",), ("tekster", "indstilling"),
         ("profil",), ("tema",), ("ukendt",)]
SCALAR_TEXT = ["2024-13-45", "12:30", "yes", "0755", ".inf", "-.nan", "~", "ja", "nej", "Hemmelig", "!!int x",
               "../../../../etc/passwd", "/etc/passwd", "{{ 7*7 }}", "<script>x</script>", "æøå", "\u202e", ""]
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
              st.sampled_from(SCALAR_TEXT), st.text(max_size=30), st.just("x" * 5000)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=8)


def _set(raw: dict, path: tuple[str, ...], value: object, delete: bool) -> None:
    node = raw
    for k in path[:-1]:
        if not isinstance(node.get(k), dict):
            node[k] = {}
        node = node[k]
    if delete:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


@st.composite
def case_texts(draw: st.DrawFn) -> bytes:
    raw = yaml.safe_load(yaml.safe_dump(BASE))
    for _ in range(draw(st.integers(1, 3))):
        _set(raw, draw(st.sampled_from(PATHS)), draw(values), draw(st.booleans()) and draw(st.booleans()))
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    how = draw(st.sampled_from(["plain", "raw_scalar", "utf16", "latin1", "bytes", "truncate"]))
    if how == "raw_scalar":  # a scalar as the user types it, unquoted
        text = text.replace("sag:\n", f"sag:\n  moededato: {draw(st.sampled_from(SCALAR_TEXT[:8]))}\n", 1)
    data = text.encode("utf-8")
    if how == "utf16":
        data = text.encode("utf-16")
    elif how == "latin1":
        data = text.encode("latin-1", "replace")
    elif how == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
    elif how == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    return data


@st.composite
def exports(draw: st.DrawFn) -> bytes:
    data = (OK / "besvarelser.csv").read_bytes()
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    how = draw(st.sampled_from(["delimiter", "encoding", "truncate", "bytes", "header", "huge", "rows", "cell"]))
    if how == "delimiter":
        text = text.replace(";", draw(st.sampled_from([",", "\t", "|", ";;", " ", ""])))
    elif how == "header" and len(lines) > 2:
        cells = lines[2].split(";")
        lines[2] = ";".join(draw(st.permutations(cells))[:draw(st.integers(0, len(cells)))])
        text = "\n".join(lines) + "\n"
    elif how == "huge":
        text = text.replace("Tilfreds", "T" * draw(st.sampled_from([300, 70_000])), 1)
    elif how == "rows":
        keep = draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines)))
        text = "\n".join(lines[i] for i in keep) + "\n"
    elif how == "cell" and len(lines) > 4:
        i = draw(st.integers(3, len(lines) - 1))
        cells = lines[i].split(";")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(st.one_of(st.sampled_from(SCALAR_TEXT), st.text(max_size=12)))
        lines[i] = ";".join(cells)
        text = "\n".join(lines) + "\n"
    out = text.encode("utf-8")
    if how == "encoding":
        out = text.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "mac_roman", "cp850"])), "replace")
    elif how == "truncate":
        out = out[:draw(st.integers(0, len(out)))]
    elif how == "bytes":
        at = draw(st.integers(0, len(out)))
        out = out[:at] + draw(st.binary(min_size=1, max_size=64)) + out[at:]
    return out


def check(case: bytes | None, export: bytes | None, command: str) -> None:
    """Run one example in a fresh folder and assert the invariant (see the module docstring)."""
    import contextlib
    import io

    RUN["examples"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sag"
        shutil.copytree(OK, folder)
        if case is not None:
            (folder / "sag.yaml").write_bytes(case)
        if export is not None:
            (folder / "besvarelser.csv").write_bytes(export)
        out = Path(tmp) / "out"
        err, std = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
            code = main([command, str(folder / "sag.yaml"), "--out", str(out), "--format", "html,docx"])
        message = err.getvalue()
        written = sorted(p.name for p in out.rglob("*")) if out.exists() else []
        problem = None
        if code not in (0, 2) or "Traceback" in message:
            problem = f"exit {code}: " + (message.strip().splitlines() or [""])[-1][:200]
        elif code == 2 and (written or "fejl" not in message):
            problem = f"exit 2 but wrote {written} / message {message[:100]!r}"
        elif code == 0 and command == "validate" and written:
            problem = f"validate wrote {written}"
        elif code == 0 and command == "build" and (not {"sag.docx", "sag.html"} <= set(written)
                                                   or any(n.startswith(".") for n in written)):
            problem = f"exit 0 but wrote {written}"  # both formats, no temporary files
        elif code == 0 and command == "build" and not (out / "sag.html").read_bytes().rstrip().endswith(b"</html>"):
            problem = "incomplete html"
        if problem is not None:
            CRASHES.setdefault(problem.split(":")[0] + ":" + problem.split(":")[-1][-80:], problem)
            raise AssertionError(f"{problem}\n{message[-2000:]}")


@FUZZ
@given(case=case_texts())
def test_fuzzed_case_file_validate(case: bytes) -> None:
    check(case, None, "validate")


@FUZZ
@given(export=exports())
def test_fuzzed_export_validate(export: bytes) -> None:
    check(None, export, "validate")


@settings(FUZZ, max_examples=max(2, EXAMPLES // 4))
@given(case=case_texts(), export=st.one_of(st.none(), exports()))
def test_fuzzed_build(case: bytes, export: bytes | None) -> None:
    check(case, export, "build")
