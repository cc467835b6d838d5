"""A run file → many reports (municipalities × periods), a manifest, and an exit code.

Reads top to bottom as the run: read the run file → lock the output folder → hash the
inputs → plan the items (from the data, or from the previous manifest when data and
selection are unchanged) → skip what is up to date → read and code the data once →
build the rest in forked worker processes → write the manifest → print a summary.

Exit codes (also in docs/batch.md):

* 0 — every item built or unchanged;
* 2 — something failed, and every failure is an input error (bad data or case for an
  item), or the run could not start (invalid run file, unreadable data, output folder
  in use) — nothing is written then;
* 1 — at least one item failed on an internal error (a bug, a crashed worker);
* 130 / 143 — interrupted by Ctrl-C / SIGTERM; finished items are kept and listed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from reportgen.core.templating import message
from reportgen.core.atomic import remove_stale_temps
from reportgen.core.paths import normalize
from reportgen.errors import InputError, Problem
from reportgen.run.itembuild import Job, build_item, output_folder
from reportgen.run.manifest import (
    InputFile,
    ItemError,
    ItemRecord,
    RunRecord,
    build_manifest,
    hash_input,
    hash_json,
    hash_tree,
    item_key,
    library_versions,
    previous_items,
    read_previous,
    up_to_date,
    write_manifest,
)
from reportgen.run.lock import Terminated, output_lock, sigterm_raises
from reportgen.run.plan import Item, plan_items
from reportgen.run.pool import Crash, run_tasks
from reportgen.run.runfile import RunSpec, read_run_file
from reportgen.run.runlog import PlainLog, ProgressLog, make_log, print_summary, seconds

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_SIGINT, EXIT_SIGTERM = 0, 1, 2, 130, 143

_JOB: Job | None = None  # set before forking; the workers inherit it


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_batch(run_file: str | Path, *, jobs: int | None = None, force: bool = False, out: Path | None = None,
              stream: TextIO | None = None, summary: TextIO | None = None,
              interactive: bool | None = None) -> int:
    """Build what ``run_file`` asks for; return the exit code. Run-level input errors raise."""
    start = dt.datetime.now().astimezone()
    stream = stream or sys.stderr
    summary = summary or sys.stdout
    spec = read_run_file(run_file)
    out_root = spec.output_dir(out)
    jobs = jobs or default_jobs()
    log = make_log(stream, interactive)
    try:
        with output_lock(out_root), sigterm_raises():
            return _run(spec, out_root, jobs, force, log, summary, start)
    except Terminated:  # while planning or writing the manifest; the previous manifest stands
        log.warn(message("run", "terminated_outside"))
        return EXIT_SIGTERM


@dataclass
class _Plan:
    """The run's items with their cases and keys, and what the manifest records about inputs."""

    inputs: list[InputFile]
    templates: str
    libraries: dict[str, str]
    plan_key: str
    items: list[Item]
    cases: list[Any]
    keys: list[str]
    survey: Any  # the loaded Survey, or None while it was not needed
    previous: dict[str, ItemRecord] = field(default_factory=dict)  # the previous run's items by id


def _run(spec: RunSpec, out_root: Path, jobs: int, force: bool, log: PlainLog | ProgressLog, summary: TextIO,
         start: dt.datetime) -> int:
    plan = _make_plan(spec, out_root, force, log)
    records = _unchanged_items(plan, out_root, force)
    todo = [i for i in range(len(plan.items)) if i not in records]
    _clean_temps(out_root, plan.items, log)
    n_proc = min(jobs, max(1, len(todo)))
    log.info(message("run", "started", total=len(plan.items), unchanged=len(records), todo=len(todo),
                     processes=n_proc))
    status: Literal["fuldført", "afbrudt"] = "fuldført"
    code: int | None = None
    try:
        if todo:
            survey = plan.survey if plan.survey is not None else _load(spec, log)
            job = prepare_job(spec, survey, plan.items, plan.cases, plan.keys, todo, out_root)
            _build_all(job, todo, jobs, records, log)
    except KeyboardInterrupt:
        status, code = "afbrudt", EXIT_SIGINT
    except Terminated:
        status, code = "afbrudt", EXIT_SIGTERM
    finally:
        log.close()
    code = exit_code(records.values()) if code is None else code
    done = status == "fuldført"
    # The case files' content is in the settings (and the keys); their hashes are recorded only.
    sagsfil = [hash_input("sagsfil", spec.sagsfil, str(spec.sagsfil))] if spec.sagsfil else []
    run = RunRecord(koerselsfil=hash_input("koerselsfil", spec.path, str(spec.path)), output=str(out_root),
                    start=start, slut=dt.datetime.now().astimezone(), status=status, exitkode=code, jobs=jobs,
                    tvunget=force, input=tuple(plan.inputs + sagsfil), skabeloner=plan.templates,
                    biblioteker=plan.libraries, indstillinger=_settings(spec),
                    plan_noegle=plan.plan_key if done else "")
    manifest = build_manifest(run, records.values())
    manifest["plan"] = [[i.period, i.municipality] for i in plan.items] if done else []
    path = write_manifest(out_root, manifest, start)
    print_summary(summary, manifest, path, list(records.values()), code)
    return code


def _make_plan(spec: RunSpec, out_root: Path, force: bool, log: PlainLog | ProgressLog) -> _Plan:
    """Items, cases and keys; the data is read only when the previous plan cannot be reused."""
    inputs = hash_inputs(spec)
    templates, libraries = hash_templates(), library_versions()
    previous, why = read_previous(out_root)
    if why:
        log.warn(why)
    plan_key = hash_json({"data": [(i.rolle, i.sha256) for i in inputs], "standard": _jsonable(spec.defaults),
                          "kommuner": spec.koersel.kommuner, "perioder": spec.koersel.perioder})
    survey = None
    items = None if force else _previous_plan(previous, plan_key)
    if items is None:
        survey = _load(spec, log)
        items = plan_items(spec.koersel, survey, str(spec.path))
    _check_overrides(spec, items, log)
    cases = [_case_or_error(spec, i) for i in items]
    valid = [c for c in cases if not isinstance(c, InputError)]
    inputs = inputs + _profile_inputs(spec, valid)
    keys = ["" if isinstance(c, InputError) else  # an invalid item is never up to date
            item_key(inputs, c.model_dump(mode="json"), i.period, i.municipality, spec.koersel.formater,
                     spec.koersel.navn, templates, libraries) for i, c in zip(items, cases)]
    return _Plan(inputs, templates, libraries, plan_key, items, cases, keys, survey, previous_items(previous))


def _case_or_error(spec: RunSpec, item: Item) -> Any:
    """The item's case, or the ``InputError`` its ``pr_kommune`` entry causes: that belongs
    to the item (``build_item`` records it), not to the run."""
    try:
        return spec.case_for(item.municipality, item.period)
    except InputError as exc:
        return exc


def _unchanged_items(plan: _Plan, out_root: Path, force: bool) -> dict[int, ItemRecord]:
    """The items whose key is the previous run's and whose files are still there, untouched."""
    if force:
        return {}
    out = {}
    for idx, (item, key) in enumerate(zip(plan.items, plan.keys)):
        prev = plan.previous.get(item.id)
        if prev is not None and up_to_date(prev, key, out_root):
            out[idx] = _unchanged(prev)
    return out


def exit_code(records: Iterable[ItemRecord]) -> int:
    """0 all good; 2 failures that are all input errors; 1 any internal error."""
    failed = [r for r in records if r.status == "fejlet"]
    if not failed:
        return EXIT_OK
    if all(r.fejl is not None and r.fejl.art == "input" for r in failed):
        return EXIT_INPUT
    return EXIT_INTERNAL


# --------------------------------------------------------------------------- steps


def hash_inputs(spec: RunSpec) -> list[InputFile]:
    from reportgen.run.runfile import ROLE_KEYS

    out = []
    for role, rel in spec.data_files():
        path = spec.resolve(rel, ROLE_KEYS.get(role, f"data.{role}"))
        if not path.is_file():
            raise InputError(Problem(message("run", "data_file_missing"), file=rel,
                                     key=ROLE_KEYS.get(role, f"data.{role}"),
                                     expected=message("run", "data_file_expected")))
        out.append(hash_input(role, path, rel))
    return out


def hash_templates() -> str:
    from reportgen.core.resources import templates_dir

    return hash_tree(templates_dir())


def _profile_inputs(spec: RunSpec, cases: Sequence[Any]) -> list[InputFile]:
    """Profile and theme files named by path (bundled ones are in the templates hash)."""
    out = []
    for prof in sorted({c.profil for c in cases if c.profil.endswith((".yaml", ".yml"))}):
        path = normalize(prof, spec.base)
        if path.is_file():
            out.append(hash_input("profil", path, prof))
    for tema in sorted({c.tema for c in cases if c.tema and c.tema.endswith((".yaml", ".yml"))}):
        path = normalize(tema, spec.base)
        if path.is_file():  # the theme's folder: its logo, fonts and Word template too
            out.append(InputFile("tema", tema, hash_tree(path.parent), 0))
    return out


def _previous_plan(previous: Mapping[str, Any] | None, plan_key: str) -> list[Item] | None:
    """The previous run's items, when its data and selection were the same and it finished."""
    if not previous or previous.get("status") != "fuldført" or previous.get("plan_noegle") != plan_key:
        return None
    pairs = previous.get("plan")
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        return None
    return [Item(str(p), str(m)) for p, m in pairs]


def _load(spec: RunSpec, log: PlainLog | ProgressLog) -> Any:
    from reportgen.run.focus import load_once

    t0 = time.perf_counter()
    survey = load_once(spec)
    log.info(message("run", "data_read", rows=survey.account.rows_used,
                     municipalities=survey.responses["kommune"].nunique(), time=seconds(time.perf_counter() - t0)))
    return survey


def _check_overrides(spec: RunSpec, items: Sequence[Item], log: PlainLog | ProgressLog) -> None:
    from reportgen.run.plan import match_names

    names = sorted({i.municipality for i in items})
    for name in spec.koersel.pr_kommune:
        try:
            match_names([name], names, str(spec.path), "koersel.pr_kommune")
        except InputError:
            log.warn(message("run", "override_unused", name=name))


def _unchanged(prev: ItemRecord) -> ItemRecord:
    from dataclasses import replace

    return replace(prev, status="uaendret", varighed_s=0.0, trin_s={})


def _clean_temps(out_root: Path, items: Sequence[Item], log: PlainLog | ProgressLog) -> None:
    folders = {out_root, out_root / "manifester", *(out_root / output_folder(i) for i in items)}
    removed = sum(remove_stale_temps(f) for f in folders)
    if removed:
        log.warn(message("run", "temps_removed", n=removed))


def prepare_job(spec: RunSpec, survey: Any, items: Sequence[Item], cases: Sequence[Any], keys: Sequence[str],
                todo: Sequence[int], out_root: Path) -> Job:
    """What the workers share: the survey, the items and, per period, the invited counts."""
    from reportgen.run.focus import invited_for_period

    invited: dict[str, Any] = {}
    for period in sorted({items[i].period for i in todo}):
        try:
            invited[period] = invited_for_period(spec, survey, period)
        except InputError as exc:  # bad invited counts for one period fail that period's items
            invited[period] = exc
    _preload(spec.koersel.formater)
    return Job(spec=spec, survey=survey, items=items, cases=cases, keys=keys, invited=invited, out_root=out_root,
               formats=list(spec.koersel.formater), name=spec.koersel.navn, parent_pid=os.getpid())


def _preload(formats: Sequence[str]) -> None:
    """Import the pipeline before forking, so workers share it instead of each importing it."""
    import reportgen.analysis.analyze  # noqa: F401
    import reportgen.charts.figures  # noqa: F401
    import reportgen.document.build  # noqa: F401
    import reportgen.narrative.narrate  # noqa: F401
    import reportgen.render.html  # noqa: F401
    import reportgen.core.templating

    reportgen.core.templating.environment()
    if "pdf" in formats:  # the default engine (never used here: see render.pdf_typst on forks)
        import reportgen.render.pdf_typst  # noqa: F401
    if "docx" in formats:
        import reportgen.render.docx  # noqa: F401


def _build_all(job: Job, todo: Sequence[int], jobs: int, records: dict[int, ItemRecord],
               log: PlainLog | ProgressLog) -> None:
    global _JOB
    _JOB = job
    log.start(len(todo))
    try:
        for idx, result in run_tasks(todo, _work, jobs):
            if isinstance(result, Crash):
                item = job.items[idx]
                result = ItemRecord(periode=item.period, kommune=item.municipality, status="fejlet",
                                    noegle=job.keys[idx], fejl=ItemError("intern", result.message))
            records[idx] = result
            log.item(result)
    finally:
        _JOB = None


def _work(index: int) -> ItemRecord:
    assert _JOB is not None
    return build_item(_JOB, index)


def _settings(spec: RunSpec) -> dict[str, Any]:
    return {"koersel": spec.koersel.model_dump(mode="json"), "standard": _jsonable(spec.defaults)}


def _jsonable(value: object) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))
