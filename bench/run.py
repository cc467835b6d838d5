"""``make bench``: measurements → one table (reportgen against the pandoc/typst peer) + profiles.

Every measurement runs the real command in a fresh process, so start-up and imports
count; wall time with ``time.perf_counter``, CPU time and peak memory (largest resident
set of the process or any process it waited for) with ``os.wait4``:

* ``reportgen --help``;
* one report end to end (data → PDF + DOCX + HTML) with ``reportgen build``, and the
  same document through the peer (``bench/peer.py build``: Markdown → pandoc → DOCX/HTML,
  pandoc → Typst → typst → PDF), run in turn after one uncounted run of each;
* the 44-municipality batch with ``reportgen batch --force``, and the peer batch
  (``bench/peer.py batch``) with the same number of processes, data read once in both;
* ``reportgen validate`` on the same 31.500 answers as an XLSX workbook;
* ingest + analysis of 1.000.000 respondents (``bench/ingest.py``).

Data comes from ``bench/make_data.py`` (made on first use in bench/data/, git-ignored).
Options: ``--repeat N`` (runs of the short measurements, median shown; default 3),
``--jobs N`` (processes in both batches; default: the cores available),
``--skip-million``, ``--without-hb-subset`` (every process runs as on a machine without
``libharfbuzz-subset0``, which is hidden, not uninstalled: ``bench/without_hb_subset``;
``make bench`` runs both).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.make_data import DATA_DIR  # noqa: E402
from reportgen.core import fmt  # noqa: E402

PY = sys.executable
HIDE_HB_SUBSET = False  # --without-hb-subset
TARGET_BATCH_S = 10.0
TARGET_MILLION_S = 5.0
TARGET_MILLION_MB = 800.0
TARGET_HELP_S = 0.3
TARGET_VALIDATE_S = 2.0
TARGET_SINGLE_RATIO = 0.8  # one report: at most this times the peer's time
TARGET_BATCH_RATIO = 0.6  # the batch: at most this times the peer's time (and < TARGET_BATCH_S)


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float
    stdout: str
    stderr: str
    code: int


def measure(cmd: list[str], cwd: Path = ROOT) -> Run:
    """Run ``cmd``; wall time, CPU time (user + system, the process and the children it waited for)
    and peak resident memory (of the process, or of its largest waited-for child if larger)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        env = {**os.environ, "MPLBACKEND": "Agg"}
        env.pop("CI", None)
        if HIDE_HB_SUBSET:
            from bench.reproduce import env_without_hb_subset

            env = env_without_hb_subset(env)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024 * 1.048576, out.read(), err.read(),
                   proc.returncode)


def checked(run: Run, what: str) -> Run:
    if run.code != 0:
        sys.stderr.write(run.stdout + run.stderr)
        raise SystemExit(f"bench: {what} fejlede (afslutningskode {run.code})")
    return run


def median_run(cmd_for: list[list[str]], what: str) -> Run:
    runs = [checked(measure(cmd), what) for cmd in cmd_for]
    runs.sort(key=lambda r: r.wall)
    return runs[len(runs) // 2]


def paired_median_runs(a_for: list[list[str]], b_for: list[list[str]], what: tuple[str, str]) -> tuple[Run, Run]:
    """The median run of each of two commands, run in turn (A B A B …) after one run of
    each that is not counted (caches, first-use work): on a machine whose speed drifts —
    other work, a neighbour on the same host — both see the same conditions, so their
    ratio stays meaningful."""
    checked(measure(a_for[0]), what[0])
    checked(measure(b_for[0]), what[1])
    a_runs, b_runs = [], []
    for a, b in zip(a_for, b_for):
        a_runs.append(checked(measure(a), what[0]))
        b_runs.append(checked(measure(b), what[1]))
    a_runs.sort(key=lambda r: r.wall)
    b_runs.sort(key=lambda r: r.wall)
    return a_runs[len(a_runs) // 2], b_runs[len(b_runs) // 2]


def reportgen_cmd() -> list[str]:
    script = Path(PY).parent / "reportgen"
    return [str(script)] if script.is_file() else [PY, "-m", "reportgen.cli"]


def parallel_speedup(jobs: int) -> float:
    """How many times one process's throughput ``jobs`` CPU-bound processes get together
    (``jobs`` on dedicated cores; less on shared or hyper-threaded virtual cores)."""
    code = "x = 0\nfor i in range(6_000_000):\n    x += i * i\n"
    one = min(measure([PY, "-c", code]).wall for _ in range(2))
    t0 = time.perf_counter()
    procs = [subprocess.Popen([PY, "-c", code]) for _ in range(jobs)]
    for p in procs:
        p.wait()
    return jobs * one / (time.perf_counter() - t0)


def jobs_default() -> int:
    """As ``reportgen batch`` chooses (the cores this process may use); kept import-light."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- output


def s(x: float) -> str:
    return f"{fmt.num(x, 2)} s"


def mb(x: float) -> str:
    return f"{fmt.integer(round(x))} MB"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        if k == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def status(ok: bool) -> str:
    return "opfyldt" if ok else "IKKE opfyldt"


def stage_table(stages: dict[str, float], title: str) -> str:
    total = sum(stages.values())
    rows = [["trin", "tid", "andel"]]
    for k, v in stages.items():
        rows.append([k, s(v), f"{fmt.num(100 * v / total, 0)} pct." if total else "–"])
    rows.append(["i alt", s(total), ""])
    return f"{title}\n{table(rows)}"


def batch_stages(out: Path) -> tuple[dict[str, float], int]:
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    items = [e for e in m["elementer"] if e["status"] == "dannet"]
    tot: Counter[str] = Counter()
    for e in items:
        tot.update(e["trin_s"])
    n = max(1, len(items))
    return {k: v / n for k, v in tot.items()}, len(items)


# --------------------------------------------------------------------------- main


@dataclass
class Measurements:
    jobs: int
    speedup: float
    help: Run
    single: Run
    peer_single: Run
    batch: Run
    peer_batch: Run
    n_reports: int
    n_peer: int
    ingest: Run | None
    validate: Run
    stages: dict[str, float]
    peer_stages: dict[str, float]
    item_stages: dict[str, float]
    n_items: int


def measure_all(jobs: int, repeat: int, skip_million: bool, work: Path) -> Measurements:
    rg = reportgen_cmd()
    peer = [PY, str(ROOT / "bench" / "peer.py")]
    # Made in a child process: the data (~0,7 GB in memory for the million) must not sit in
    # this process, whose resident pages a forked child counts towards its peak at first.
    sizes = ["national", "national-xlsx"] if skip_million else ["national", "national-xlsx", "million"]
    print("danner data (første gang): " + ", ".join(sizes), flush=True)
    subprocess.run([PY, str(ROOT / "bench" / "make_data.py"), *sizes], check=True, stdout=subprocess.DEVNULL)
    national = DATA_DIR / "national"
    million = None if skip_million else DATA_DIR / "million"
    case, run_file = national / "sag.yaml", national / "koersel.yaml"

    print("måler: hvor meget hjælper flere processer på denne maskine", flush=True)
    speedup = parallel_speedup(jobs)
    print("måler: reportgen --help", flush=True)
    help_run = min((checked(measure([*rg, "--help"]), "--help") for _ in range(max(5, repeat))), key=lambda r: r.wall)
    print("måler: én rapport (reportgen build og peer)", flush=True)
    single, peer_single = paired_median_runs(
        [[*rg, "build", str(case), "--out", str(work / f"rg-{i}"), "--format", "pdf,docx,html"] for i in range(repeat)],
        [[*peer, "build", str(case), "--out", str(work / f"peer-{i}")] for i in range(repeat)],
        ("reportgen build", "peer build"))
    print(f"måler: batch over 44 kommuner ({jobs} processer, reportgen og peer)", flush=True)
    batch = checked(measure([*rg, "batch", str(run_file), "--out", str(work / "rg-batch"), "--force",
                             "--jobs", str(jobs)]), "reportgen batch")
    peer_batch = checked(measure([*peer, "batch", str(run_file), "--out", str(work / "peer-batch"),
                                  "--jobs", str(jobs)]), "peer batch")
    print("måler: reportgen validate på 31.500 besvarelser i XLSX", flush=True)
    validate = median_run([[*rg, "validate", str(DATA_DIR / "national-xlsx" / "sag.yaml")] for _ in range(repeat)],
                          "reportgen validate")
    ingest = None
    if million is not None:
        print("måler: 1.000.000 besvarelser, indlæsning + analyse", flush=True)
        ingest = checked(measure([PY, str(ROOT / "bench" / "ingest.py"), str(million / "sag.yaml")]), "ingest")
    print("profilerer: én rapport trin for trin", flush=True)
    stages = json.loads(checked(measure([PY, str(ROOT / "bench" / "stages.py"), str(case)]), "stages").stdout)
    item_stages, n_items = batch_stages(work / "rg-batch")
    return Measurements(
        jobs=jobs, speedup=speedup, help=help_run, single=single, peer_single=peer_single, batch=batch,
        peer_batch=peer_batch,
        n_reports=len(list((work / "rg-batch").glob("*/*/sagsfremstilling.pdf"))),
        n_peer=len(list((work / "peer-batch").glob("*/*/sagsfremstilling.pdf"))), ingest=ingest, validate=validate,
        stages=stages,
        peer_stages=json.loads(peer_single.stdout), item_stages=item_stages, n_items=n_items)


def ratio(a: float, b: float) -> str:
    return fmt.num(a / b, 2) if b else "–"


def results_table(m: Measurements) -> str:
    rows = [["måling", "reportgen", "peer (pandoc/typst)", "reportgen/peer", "mål", "status"]]
    rows.append(["reportgen --help", s(m.help.wall), "–", "–", f"< {s(TARGET_HELP_S)}",
                 status(m.help.wall < TARGET_HELP_S)])
    one, peer = m.single, m.peer_single
    rows.append(["én rapport, data → PDF+DOCX+HTML (tid)", s(one.wall), s(peer.wall), ratio(one.wall, peer.wall),
                 f"≤ {fmt.num(TARGET_SINGLE_RATIO, 1)} × peer", status(one.wall <= TARGET_SINGLE_RATIO * peer.wall)])
    rows.append(["én rapport, CPU-tid", s(one.cpu), s(peer.cpu), ratio(one.cpu, peer.cpu), "", ""])
    rows.append(["én rapport, maks. hukommelse", mb(one.peak_mb), mb(peer.peak_mb), "", "", ""])
    b, pb = m.batch, m.peer_batch
    rows.append([f"batch, {m.n_reports} kommuner (tid)", s(b.wall), s(pb.wall), ratio(b.wall, pb.wall),
                 f"< {s(TARGET_BATCH_S)}, ≤ {fmt.num(TARGET_BATCH_RATIO, 1)} × peer",
                 status(b.wall < TARGET_BATCH_S and b.wall <= TARGET_BATCH_RATIO * pb.wall)])
    rows.append(["batch, rapporter pr. sekund", fmt.num(m.n_reports / b.wall, 2), fmt.num(m.n_peer / pb.wall, 2),
                 "", "", ""])
    rows.append(["batch, CPU-tid i alt", s(b.cpu), s(pb.cpu), ratio(b.cpu, pb.cpu), "", ""])
    rows.append(["validate, 31.500 besvarelser (XLSX)", s(m.validate.wall), "–", "–", f"< {s(TARGET_VALIDATE_S)}",
                 status(m.validate.wall < TARGET_VALIDATE_S)])
    if m.ingest is not None:
        info = json.loads(m.ingest.stdout)
        n = fmt.integer(info["rows"])
        rows.append([f"{n} besvarelser, indlæsning + analyse (tid)", s(m.ingest.wall), "–", "–",
                     f"< {s(TARGET_MILLION_S)}", status(m.ingest.wall < TARGET_MILLION_S)])
        rows.append(["  heraf import / indlæsning / analyse",
                     " / ".join(s(info[k]) for k in ("import", "indlaes", "analyse")), "", "", "", ""])
        rows.append([f"{n} besvarelser, maks. hukommelse", mb(m.ingest.peak_mb), "–", "–",
                     f"< {mb(TARGET_MILLION_MB)}", status(m.ingest.peak_mb < TARGET_MILLION_MB)])
    return table(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark: reportgen mod en pandoc/typst-pipeline.")
    ap.add_argument("--repeat", type=int, default=3, help="gentagelser af de korte målinger (median vises)")
    ap.add_argument("--jobs", type=int, default=None, help="processer i begge batchkørsler (standard: kerner)")
    ap.add_argument("--skip-million", action="store_true", help="spring 1.000.000-målingen over")
    ap.add_argument("--without-hb-subset", action="store_true",
                    help="mål som på en maskine uden libharfbuzz-subset0 (biblioteket skjules)")
    args = ap.parse_args(argv)
    global HIDE_HB_SUBSET
    HIDE_HB_SUBSET = args.without_hb_subset
    jobs = args.jobs or jobs_default()
    before = os.getloadavg()
    print(f"reportgen benchmark · Python {platform.python_version()} · {os.cpu_count()} kerner · "
          f"{jobs} processer i batch · "
          f"{'uden' if HIDE_HB_SUBSET else 'med systemets'} libharfbuzz-subset · belastning før: {', '.join(fmt.num(x, 2) for x in before)}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    try:
        m = measure_all(jobs, max(1, args.repeat), args.skip_million, work)
    finally:
        after = os.getloadavg()
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(results_table(m))
    print(f"\nBegge batchkørsler bruger {jobs} processer og læser data én gang; peer-tallene omfatter pandoc- og "
          f"typst-processerne. {jobs} CPU-bundne processer gav her tilsammen {fmt.num(m.speedup, 2)} gange én "
          f"process' ydelse (ideelt {jobs}). Belastning (1/5/15 min) før: {', '.join(fmt.num(x, 2) for x in before)}; "
          f"efter: {', '.join(fmt.num(x, 2) for x in after)} — andre processer på maskinen forlænger tiderne.")
    print()
    print(stage_table(m.stages, "Én rapport med reportgen, trin for trin (frisk proces, efter Pythons opstart):"))
    print()
    print(stage_table(m.peer_stages, "Én rapport med peer, trin for trin:"))
    print()
    print(stage_table(m.item_stages,
                      f"Batch: gennemsnit pr. rapport over {m.n_items} rapporter (i arbejdsprocesserne):"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
