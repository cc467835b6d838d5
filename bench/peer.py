"""The peer pipeline for the benchmark: reportgen's ``Document`` → Markdown + PNG files →
pandoc (DOCX, HTML) and pandoc → Typst → ``typst.compile`` (PDF), the way a Quarto user's
documents are made.

Everything up to the document model is reportgen's own code (the same load, analysis,
text, tables and chart PNGs), so only the rendering path differs from ``reportgen
build``/``reportgen batch``. The peer makes the same files: the main document and each
of its bilag documents (``<name>-bilag-N``), every one in PDF, DOCX and HTML:

    python bench/peer.py build bench/data/national/sag.yaml --out DIR
    python bench/peer.py batch bench/data/national/koersel.yaml --out DIR --jobs 2

``batch`` reads and codes the data once and forks ``--jobs`` worker processes, exactly
like ``reportgen batch``; each worker builds the document and runs pandoc and typst for it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reportgen.models.document import Document, Figure, Heading, ListBlock, Paragraph, Table  # noqa: E402

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-!|$~^@])")
_ALIGN = {"left": ":---", "right": "---:", "center": ":---:"}
_TYPST_META = "papersize: a4\nmainfont: Carlito\nfontsize: 11pt\nmargin:\n  x: 2.5cm\n  y: 2.5cm\n"
_TYPST_HEADER = "```{=typst}\n#set figure(numbering: none)\n#set text(lang: \"da\")\n```"


def esc(text: str) -> str:
    """Markdown-escape ``text`` so pandoc reads it literally (no lists, no emphasis)."""
    out = _SPECIAL.sub(r"\\\1", text)
    out = re.sub(r"^(\d+)\.", r"\1\\.", out, flags=re.MULTILINE)
    return out.replace("\n", "\\\n")


def _runs(p: Paragraph) -> str:
    parts = []
    for r in p.runs:
        t = esc(r.text)
        if t.strip():
            lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", t, flags=re.S).groups()  # type: ignore[union-attr]
            if r.bold:
                core = f"**{core}**"
            if r.italic:
                core = f"*{core}*"
            t = lead + core + trail
        parts.append(t)
    return "".join(parts)


def to_markdown(doc: Document, images: Path, stem: str = "figur") -> str:
    """The document as pandoc Markdown; chart PNGs are written to ``images`` as ``stem-N.png``."""
    images.mkdir(parents=True, exist_ok=True)
    lines = ["---", f"title: \"{doc.meta.title.replace(chr(34), '')}\"", "lang: da-DK",
             "header-includes: |", *("  " + line for line in _TYPST_HEADER.splitlines()), "---", ""]
    if doc.is_draft:
        lines += ["**UDKAST**", ""]
    lines += ["|   |   |", "|:---|:---|"]
    lines += [f"| {esc(k)} | {esc(v)} |" for k, v in doc.title_rows]
    lines.append("")
    n_fig = 0
    for section in doc.sections:
        lines += [f"## {esc(section.heading)}", ""]
        for block in section.blocks:
            if isinstance(block, Heading):
                lines += ["#" * max(2, block.level) + " " + esc(block.text), ""]
            elif isinstance(block, Paragraph):
                text = _runs(block)
                if block.style in ("note", "placeholder", "lead"):
                    style = {"note": "Note", "placeholder": "Placeholder", "lead": "Lead"}[block.style]
                    lines += [f"::: {{custom-style=\"{style}\"}}", text, ":::", ""]
                else:
                    lines += [text, ""]
            elif isinstance(block, ListBlock):
                for i, item in enumerate(block.items, 1):
                    lines.append(f"{i}. {_runs(item)}" if block.ordered else f"- {_runs(item)}")
                lines.append("")
            elif isinstance(block, Table):
                lines += _table(block)
            elif isinstance(block, Figure):
                n_fig += 1
                path = images / f"{stem}-{n_fig}.png"
                path.write_bytes(block.png)
                lines += [f"![{esc(block.caption)}]({path.name}){{width={block.width_cm:g}cm}}", ""]
    return "\n".join(lines) + "\n"


def _table(t: Table) -> list[str]:
    align = t.align or tuple("left" for _ in t.columns)
    out = ["| " + " | ".join(esc(c) for c in t.columns) + " |",
           "|" + "|".join(_ALIGN.get(a, "---") for a in align) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in t.rows]
    out += ["", f": {esc(t.caption)}", ""]
    if t.note:
        out += [f"*{esc(t.note)}*", ""]
    return out


def render_all(doc: Document, folder: Path, name: str, formats: tuple[str, ...] = ("pdf", "docx", "html"),
               timings: dict[str, float] | None = None) -> list[Path]:
    """``doc`` and each of its bilag documents (``doc.documents``) as ``reportgen`` names
    them (``name``, ``name-bilag-1`` …), each through ``render``."""
    written = []
    for d in doc.documents:
        written += render(d, folder, f"{name}-{d.suffix}" if d.suffix else name, formats, timings)
    return written


def render(doc: Document, folder: Path, name: str, formats: tuple[str, ...] = ("pdf", "docx", "html"),
           timings: dict[str, float] | None = None) -> list[Path]:
    """Write ``name.md`` and its images to ``folder``, then the formats through pandoc/typst."""
    t = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal t
        now = time.perf_counter()
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + now - t
        t = now

    import pypandoc
    import typst

    lap("import: pypandoc, typst")
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / f"{name}.md"
    md.write_text(to_markdown(doc, folder, f"{name}-figur"), encoding="utf-8")
    lap("markdown + png")
    common = ["--from=markdown-smart", f"--resource-path={folder}"]
    written = []
    if "docx" in formats:
        out = folder / f"{name}.docx"
        pypandoc.convert_file(str(md), "docx", outputfile=str(out), extra_args=common)
        written.append(out)
        lap("pandoc: docx")
    if "html" in formats:
        out = folder / f"{name}.html"
        pypandoc.convert_file(str(md), "html5", outputfile=str(out),
                              extra_args=[*common, "--standalone", "--embed-resources"])
        written.append(out)
        lap("pandoc: html")
    if "pdf" in formats:
        typ = folder / f"{name}.typ"
        meta = folder / f"{name}.typst.yaml"
        meta.write_text(_TYPST_META, encoding="utf-8")
        pypandoc.convert_file(str(md), "typst", outputfile=str(typ),
                              extra_args=[*common, "--standalone", f"--metadata-file={meta}"])
        lap("pandoc: typst")
        out = folder / f"{name}.pdf"
        typst.compile(str(typ), output=str(out), root=str(folder), font_paths=[str(_fonts())])
        written.append(out)
        lap("typst: pdf")
    return written


def _fonts() -> Path:
    from reportgen.core.resources import templates_dir

    return templates_dir() / "fonts"


# --------------------------------------------------------------------------- commands


def build(case_path: Path, out: Path, timings: dict[str, float] | None = None) -> list[Path]:
    """One case file: reportgen's pipeline up to the document, then pandoc and typst."""
    t0 = time.perf_counter()
    from reportgen.api import build as rg_build

    report = rg_build(case_path)
    if timings is not None:
        timings["reportgen: data → dokument (inkl. import)"] = time.perf_counter() - t0
    return render_all(report.document, out, case_path.stem, timings=timings)


_JOB = None


def _peer_item(index: int) -> str:
    from reportgen.run.itembuild import output_folder, report_for

    job = _JOB
    assert job is not None
    item = job.items[index]
    report = report_for(job, item, job.cases[index])
    render_all(report.document, job.out_root / output_folder(item), job.name, tuple(job.formats))
    return item.id


def batch(run_file: Path, out: Path, jobs: int) -> int:
    """Every item of the run file, ``jobs`` forked processes, data read once; returns the count."""
    global _JOB
    from reportgen.run.batch import prepare_job
    from reportgen.run.focus import load_once
    from reportgen.run.plan import plan_items
    from reportgen.run.pool import Crash, run_tasks
    from reportgen.run.runfile import read_run_file

    spec = read_run_file(run_file)
    survey = load_once(spec)
    items = plan_items(spec.koersel, survey, str(spec.path))
    cases = [spec.case_for(i.municipality, i.period) for i in items]
    todo = list(range(len(items)))
    _JOB = prepare_job(spec, survey, items, cases, [""] * len(items), todo, out)
    import pypandoc  # noqa: F401 - imported before forking, like reportgen's renderers
    import typst  # noqa: F401

    failed = [i for i, r in run_tasks(todo, _peer_item, jobs) if isinstance(r, Crash)]
    if failed:
        raise SystemExit(f"peer: {len(failed)} dokumenter fejlede")
    return len(items)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Peer-pipeline: Markdown → pandoc/typst (til benchmark).")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("case", type=Path)
    b.add_argument("--out", type=Path, required=True)
    k = sub.add_parser("batch")
    k.add_argument("runfile", type=Path)
    k.add_argument("--out", type=Path, required=True)
    k.add_argument("--jobs", type=int, default=2)
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    if args.cmd == "build":
        timings: dict[str, float] = {}
        build(args.case, args.out, timings)
        print(json.dumps(timings, ensure_ascii=False))
    else:
        n = batch(args.runfile, args.out, args.jobs)
        print(f"peer: {n} dokumenter på {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
