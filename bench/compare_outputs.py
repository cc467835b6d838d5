"""Build the demo and every fixture case at two git revisions and compare what they produce.

    python bench/compare_outputs.py [REV_A] [REV_B] [--jobs 2] [--no-batch] [--keep DIR]

The proof that a refactoring changed nothing a reader sees. REV_A defaults to ``main``,
REV_B to ``WORKTREE`` (this checkout as it is on disk, uncommitted changes included); any
other revision is checked out with ``git worktree add --detach`` in a temporary folder and
removed afterwards. Each revision is built with its own code (``PYTHONPATH`` points at its
checkout, the interpreter is this one) and its own fixture files:

* ``fixtures/demo/sag.yaml`` (the demo), the three shaped exports of
  ``fixtures/make_shapes.py`` (``fixtures/shapes/*/sag*.yaml``), the export cases of the
  tests (``tests/exports/*/sag.yaml``) — each with ``reportgen build``;
* ``fixtures/batch/koersel.yaml`` with ``reportgen batch`` (8 documents; ``--no-batch``
  skips it).

Then every output file is compared by its path below the case:

* PDF: the text of each page (``pdftotext -layout``), and separately whether the bytes are
  identical (reported; a difference in bytes alone fails only with ``--strict-bytes``);
* DOCX: every part of the package; XML parts as text, other parts (images) by bytes.
  Normalised before comparing: ``dcterms:created``/``dcterms:modified`` in
  ``docProps/core.xml`` (the document date, which reportgen takes from the case; a case
  without ``sag.dato`` gets today's date);
* HTML and the content JSON (``*.indhold.json``): as text;
* the batch's run record (``manifest.json`` and ``manifester/*.json``: start and end times,
  durations, the output folder) is not compared.

Prints identical/different per file and a unified diff excerpt of each difference; exit
code 0 when all is the same, 1 on any difference, 2 when a build fails in only one
revision or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKTREE = "WORKTREE"
DIFF_LINES = 40  # lines of unified diff shown per differing file
LINE_WIDTH = 200  # long lines (base64 images in HTML) are cut in the excerpt
CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
SKIPPED = re.compile(r"^(manifest\.json|manifester/.*)$")  # the batch's run record: times, paths


@dataclass
class Build:
    """One case built at one revision: where its files are and how the command ended."""

    name: str
    out: Path
    returncode: int = 0
    stderr: str = ""
    files: dict[str, Path] = field(default_factory=dict)


def cases(checkout: Path, batch: bool) -> list[tuple[str, list[str]]]:
    """(name, reportgen arguments without --out) for every case in ``checkout``."""
    found = [("demo", ["build", "fixtures/demo/sag.yaml"])]
    for path in sorted(checkout.glob("fixtures/shapes/*/sag*.yaml")):
        rel = path.relative_to(checkout).as_posix()
        found.append((f"shapes/{path.parent.name}/{path.stem}", ["build", rel]))
    for path in sorted(checkout.glob("tests/exports/*/sag.yaml")):
        found.append((f"exports/{path.parent.name}", ["build", path.relative_to(checkout).as_posix()]))
    if batch and (checkout / "fixtures/batch/koersel.yaml").exists():
        found.append(("batch", ["batch", "fixtures/batch/koersel.yaml", "--jobs", "1"]))
    return found


def build(checkout: Path, name: str, args: list[str], out: Path) -> Build:
    """Run ``reportgen ARGS --out OUT`` with the code of ``checkout``."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([sys.executable, "-m", "reportgen.cli", *args, "--out", str(out)],
                          cwd=checkout, env=env, capture_output=True, text=True)
    result = Build(name, out, proc.returncode, proc.stderr)
    if out.exists():
        result.files = {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*")) if p.is_file()}
    return result


def check_code_origin(checkout: Path) -> None:
    """Fail early if ``PYTHONPATH`` would not make Python import ``checkout``'s reportgen."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    proc = subprocess.run([sys.executable, "-c", "import reportgen; print(reportgen.__file__)"],
                          cwd=checkout, env=env, capture_output=True, text=True)
    got = Path(proc.stdout.strip()).resolve() if proc.returncode == 0 else None
    if got is None or checkout.resolve() not in got.parents:
        raise SystemExit(f"reportgen is not imported from {checkout} (got {got}): {proc.stderr}")


def build_all(checkout: Path, out: Path, batch: bool, jobs: int) -> dict[str, Build]:
    check_code_origin(checkout)
    todo = cases(checkout, batch)
    pool = ThreadPoolExecutor(jobs)
    try:
        builds = list(pool.map(lambda c: build(checkout, c[0], c[1], out / c[0]), todo))
    finally:  # on Ctrl-C, the builds not yet started are not started (the running ones finish)
        pool.shutdown(wait=True, cancel_futures=True)
    return {b.name: b for b in builds}


# --- comparing ------------------------------------------------------------------------------


def excerpt(a: list[str], b: list[str], label_a: str, label_b: str) -> str:
    cut = [line[:LINE_WIDTH] + ("…" if len(line) > LINE_WIDTH else "") for line in
           difflib.unified_diff(a, b, label_a, label_b, n=2, lineterm="")]
    more = f"\n    … {len(cut) - DIFF_LINES} more diff lines" if len(cut) > DIFF_LINES else ""
    return "\n".join("    " + line for line in cut[:DIFF_LINES]) + more


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return text.decode("utf-8").split("\f")


def compare_pdf(a: Path, b: Path, rel: str) -> tuple[list[str], bool]:
    pages_a, pages_b = pdf_pages(a), pdf_pages(b)
    notes = []
    if len(pages_a) != len(pages_b):
        notes.append(f"  page count {len(pages_a) - 1} → {len(pages_b) - 1}")
    for i, (pa, pb) in enumerate(zip(pages_a, pages_b), 1):
        if pa != pb:
            notes.append(f"  page {i}:\n" + excerpt(pa.splitlines(), pb.splitlines(), f"A/{rel}#{i}", f"B/{rel}#{i}"))
    return notes, a.read_bytes() == b.read_bytes()


def docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = CORE_DATES.sub(rb"\1(date)\3", parts["docProps/core.xml"])
    return parts


def compare_docx(a: Path, b: Path, rel: str) -> list[str]:
    pa, pb = docx_parts(a), docx_parts(b)
    notes = []
    for name in sorted(set(pa) | set(pb)):
        if name not in pa or name not in pb:
            notes.append(f"  part {name} only in {'B' if name not in pa else 'A'}")
        elif pa[name] != pb[name]:
            if name.endswith((".xml", ".rels")):
                split = lambda x: re.sub(rb">\s*<", b">\n<", x).decode("utf-8").splitlines()  # noqa: E731
                notes.append(f"  part {name}:\n" + excerpt(split(pa[name]), split(pb[name]),
                                                           f"A/{rel}/{name}", f"B/{rel}/{name}"))
            else:
                notes.append(f"  part {name}: bytes differ ({len(pa[name])} → {len(pb[name])})")
    return notes


def compare_text(a: Path, b: Path, rel: str) -> list[str]:
    ta, tb = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    if ta == tb:
        return []
    if rel.endswith(".html"):  # one tag a line, so that a diff of minified HTML shows where
        ta, tb = re.sub(r">\s*<", ">\n<", ta), re.sub(r">\s*<", ">\n<", tb)
    return ["\n" + excerpt(ta.splitlines(), tb.splitlines(), f"A/{rel}", f"B/{rel}")]


def compare_file(a: Path, b: Path, rel: str) -> tuple[list[str], bool | None]:
    """(difference notes, PDF bytes identical or None for other files)."""
    if rel.endswith(".pdf"):
        return compare_pdf(a, b, rel)
    if rel.endswith(".docx"):
        return compare_docx(a, b, rel), None
    if rel.endswith((".html", ".json", ".txt", ".csv", ".md")):
        return compare_text(a, b, rel), None
    same = hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    return ([] if same else ["  bytes differ"]), None


@dataclass
class Tally:
    files: int = 0
    different: int = 0
    pdfs: int = 0
    pdf_bytes_same: int = 0
    failed_builds: int = 0


def compare_builds(builds_a: dict[str, Build], builds_b: dict[str, Build], tally: Tally) -> None:
    for name in sorted(set(builds_a) | set(builds_b)):
        ba, bb = builds_a.get(name), builds_b.get(name)
        if ba is None or bb is None:
            print(f"DIFFERENT  {name}: case only in {'A' if bb is None else 'B'}")
            tally.different += 1
            continue
        if ba.returncode != bb.returncode:
            print(f"DIFFERENT  {name}: exit code {ba.returncode} → {bb.returncode}\n{ba.stderr[-1500:]}{bb.stderr[-1500:]}")
            tally.failed_builds += 1
            continue
        if ba.returncode != 0:
            print(f"note       {name}: both revisions exit {ba.returncode}\n{bb.stderr[-800:]}")
        for rel in sorted(set(ba.files) | set(bb.files)):
            if SKIPPED.search(rel):
                continue
            tally.files += 1
            label = f"{name}/{rel}"
            if rel not in ba.files or rel not in bb.files:
                print(f"DIFFERENT  {label}: only in {'A' if rel not in bb.files else 'B'}")
                tally.different += 1
                continue
            notes, pdf_same = compare_file(ba.files[rel], bb.files[rel], rel)
            if pdf_same is not None:
                tally.pdfs += 1
                tally.pdf_bytes_same += pdf_same
            extra = "" if pdf_same is None else (" (bytes identical)" if pdf_same else " (text identical, bytes differ)")
            if notes:
                tally.different += 1
                print(f"DIFFERENT  {label}{extra}")
                print("\n".join(notes))
            else:
                print(f"identical  {label}{extra}")


# --- revisions ------------------------------------------------------------------------------


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


def checkout_for(rev: str, tmp: Path, made: list[Path]) -> tuple[Path, str]:
    """A folder holding ``rev`` and a label for it; WORKTREE is this checkout as it is."""
    if rev == WORKTREE:
        dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
        return ROOT, f"working tree {ROOT} at {git('rev-parse', '--short', 'HEAD')}{dirty}"
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    path = tmp / f"rev-{len(made)}-{commit[:10]}"
    git("worktree", "add", "--detach", "--quiet", str(path), commit)
    made.append(path)
    return path, f"{rev} = {commit[:10]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev_a", nargs="?", default="main")
    ap.add_argument("rev_b", nargs="?", default=WORKTREE, help=f"a git revision or {WORKTREE} (default)")
    ap.add_argument("--jobs", type=int, default=2, help="builds at the same time (default 2)")
    ap.add_argument("--no-batch", action="store_true", help="skip fixtures/batch/koersel.yaml")
    ap.add_argument("--strict-bytes", action="store_true", help="also fail when PDF bytes differ")
    ap.add_argument("--keep", type=Path, help="keep the built files in this folder")
    args = ap.parse_args(argv)
    if shutil.which("pdftotext") is None:
        print("pdftotext is missing (apt-get install poppler-utils)", file=sys.stderr)
        return 2
    start = time.monotonic()
    made: list[Path] = []
    tmp = Path(tempfile.mkdtemp(prefix="reportgen-compare-"))
    try:
        try:
            (dir_a, label_a), (dir_b, label_b) = (checkout_for(r, tmp, made) for r in (args.rev_a, args.rev_b))
        except subprocess.CalledProcessError as exc:
            print(f"not a revision: {exc.stderr.strip()}", file=sys.stderr)
            return 2
        print(f"A: {label_a}\nB: {label_b}")
        out = args.keep or tmp / "out"
        builds_a = build_all(dir_a, out / "A", not args.no_batch, args.jobs)
        builds_b = build_all(dir_b, out / "B", not args.no_batch, args.jobs)
        tally = Tally()
        compare_builds(builds_a, builds_b, tally)
    finally:
        for path in made:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{len(builds_a)} cases, {tally.files} files compared: {tally.different} different, "
          f"{tally.failed_builds} builds failing in one revision only; "
          f"PDFs byte-identical: {tally.pdf_bytes_same}/{tally.pdfs}; {time.monotonic() - start:.0f} s")
    if tally.failed_builds:
        return 2
    if tally.different or (args.strict_bytes and tally.pdf_bytes_same != tally.pdfs):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
