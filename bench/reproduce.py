"""Rebuild one case N times, each in a fresh process with its own hash seed, and compare the
files' hashes (issue: the PDF once differed between two processes):

    python bench/reproduce.py [--runs 20] [--jobs 2] [--without-hb-subset] [case.yaml]

Prints one line per run and a verdict; exit code 1 if any PDF, DOCX or HTML differs.
Default case: the bundled demo.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HIDE_HB_SUBSET = ROOT / "bench" / "without_hb_subset"


def env_without_hb_subset(env: dict[str, str]) -> dict[str, str]:
    """``env`` in which Python processes do not find libharfbuzz-subset (see sitecustomize there)."""
    path = env.get("PYTHONPATH")
    return {**env, "PYTHONPATH": str(HIDE_HB_SUBSET) + (os.pathsep + path if path else "")}


def one(case: Path, out: Path, seed: int, hide: bool) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "MPLBACKEND": "Agg"}
    env.pop("SOURCE_DATE_EPOCH", None)
    if hide:
        env = env_without_hb_subset(env)
    cmd = [sys.executable, "-m", "reportgen.cli", "build", str(case), "--out", str(out), "--format", "pdf,docx,html"]
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"run {seed} failed ({proc.returncode}):\n{proc.stderr}")
    # every file of the set by name: the main document and its bilag each have a PDF, DOCX and HTML
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in sorted(out.iterdir())
            if p.suffix in (".pdf", ".docx", ".html")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("case", nargs="?", default=str(ROOT / "fixtures" / "demo" / "sag.yaml"))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--without-hb-subset", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="reportgen-repro-") as tmp:
        with ThreadPoolExecutor(args.jobs) as pool:
            runs = list(pool.map(lambda i: one(Path(args.case), Path(tmp) / f"r{i}", 1000 + i,
                                               args.without_hb_subset), range(args.runs)))
    for i, r in enumerate(runs, 1):
        print(f"{i:2d} " + " ".join(f"{k}={v}" for k, v in r.items()))
    distinct = {k: {r[k] for r in runs} for k in runs[0]}
    same = all(len(v) == 1 for v in distinct.values())
    mode = "uden libharfbuzz-subset" if args.without_hb_subset else "med systemets biblioteker"
    print(f"{args.runs} genopbygninger i hver sin proces ({mode}): "
          + ("alle identiske" if same else "FORSKELLE: " + ", ".join(f"{k}: {len(v)}" for k, v in distinct.items())))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
