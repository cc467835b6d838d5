"""One batch item → its files: analyse, narrate, draw, assemble, render and write one report.

Runs in a worker process on the ``Job`` the parent prepared before forking (the loaded
survey, the items, their cases and keys). Never raises: an ``InputError`` (bad data or
case for this item) and any other exception (a bug) come back as a failed
``ItemRecord`` with the message, so one item cannot stop the others.

A municipality with fewer than ``analyse.min_n`` respondents in the period gets no
report: every figure in it would be suppressed, and an empty document is not one to
send to a committee. That is an input error of the item.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.core.templating import message
from reportgen.core.atomic import write_files
from reportgen.settings.case import CaseFile
from reportgen.errors import InputError, Problem
from reportgen.run.manifest import ItemError, ItemRecord, OutputFile
from reportgen.models.survey import Survey
from reportgen.run.plan import Item
from reportgen.run.pool import parent_alive
from reportgen.run.runfile import RunSpec


@dataclass(frozen=True)
class Job:
    """Everything the workers share (inherited through fork, never pickled)."""

    spec: RunSpec
    survey: Survey
    items: Sequence[Item]
    cases: Sequence[CaseFile | InputError]  # an item's invalid pr_kommune entry fails that item
    keys: Sequence[str]
    invited: Mapping[str, Mapping[str, int] | InputError | None]
    out_root: Path
    formats: Sequence[str]
    name: str
    parent_pid: int | None = None
    cache: dict[tuple[str, str], object] = field(default_factory=dict)


def output_folder(item: Item) -> Path:
    """``<period>/<municipality>`` relative to the output root."""
    return Path(safe_name(item.period_label)) / safe_name(item.municipality)


def safe_name(text: str) -> str:
    name = text.replace("/", "-").replace("\\", "-").replace("\0", "").strip()
    return "_" + name if name.startswith(".") or not name else name


def build_item(job: Job, index: int) -> ItemRecord:
    """Build item ``index`` of ``job``; failures are returned, not raised."""
    item, case, key = job.items[index], job.cases[index], job.keys[index]
    start = time.perf_counter()
    stages: dict[str, float] = {}
    try:
        if isinstance(case, InputError):  # its pr_kommune entry is invalid (batch._case_or_error)
            raise case
        warnings, outputs = _build(job, item, case, StageClock(stages))
    except InputError as exc:
        first = str(exc.problems[0]) if exc.problems else str(exc)
        text = first if len(exc.problems) <= 1 else message("run", "input_errors", n=len(exc.problems), first=first)
        return _failed(item, key, start, stages, "input", text, tuple(str(p) for p in exc.problems))
    except Exception as exc:  # noqa: BLE001 - isolate the item; the run goes on
        lines = traceback.format_exception(exc)
        return _failed(item, key, start, stages, "intern", f"{type(exc).__name__}: {exc}",
                       tuple("".join(lines).rstrip().splitlines()[-12:]))
    return ItemRecord(periode=item.period, kommune=item.municipality, status="dannet", noegle=key,
                      varighed_s=time.perf_counter() - start, trin_s=stages, output=outputs,
                      advarsler=warnings, dannet=dt.datetime.now().astimezone().isoformat(timespec="seconds"))


class StageClock:
    """Times the stages of one item: ``with clock("analyse"): ...``."""

    def __init__(self, stages: dict[str, float]) -> None:
        self.stages = stages
        self.name = ""
        self.t0 = 0.0

    def __call__(self, name: str) -> StageClock:
        self.name = name
        return self

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.stages[self.name] = self.stages.get(self.name, 0.0) + time.perf_counter() - self.t0


def report_for(job: Job, item: Item, case: CaseFile, clock: StageClock | None = None) -> Any:
    """The item's ``api.Report``: the shared survey given the item's focus, period and invited
    counts (``focus.item_survey``), then ``api.build_from_survey`` as in a single build."""
    from reportgen.api import build_from_survey
    from reportgen.run.focus import item_survey

    clock = clock or StageClock({})
    with clock("forbered"):
        _check_respondents(job.survey, item, case.analyse.min_n)
        invited = job.invited.get(item.period)
        if isinstance(invited, InputError):
            raise invited
        survey = item_survey(job.survey, item, invited, case.analyse.min_n)
        profile = _cached(job, "profil", case.profil)
        brand = _cached(job, "tema", case.tema) if case.tema else None
    return build_from_survey(case, job.spec.path, survey, base=job.spec.base, period=item.period or None,
                             profile=profile, brand=brand, stage=clock)


def _build(job: Job, item: Item, case: CaseFile, clock: StageClock) -> tuple[tuple[str, ...], tuple[OutputFile, ...]]:
    report = report_for(job, item, case, clock)
    rendered: dict[str, bytes] = {}
    for file_name, doc, f in report.file_names(job.formats, job.name):  # the main document, then its bilag
        with clock(f):
            rendered[file_name] = report.render(f, doc)
    with clock("indhold"):  # the snapshot beside the outputs, for reportgen diff
        from reportgen.review.snapshot import SNAPSHOT_FORMAT, SNAPSHOT_SUFFIX, snapshot

        rendered[f"{job.name}{SNAPSHOT_SUFFIX}"] = snapshot(report, name=job.name).to_bytes()
    with clock("skriv"):
        folder = output_folder(item)
        guard: Callable[[], bool] | None = None
        if job.parent_pid is not None:
            pid = job.parent_pid
            guard = lambda: parent_alive(pid)  # noqa: E731 - an orphan must not replace files
        written = write_files(job.out_root / folder, rendered, before_rename=guard)
        if not written:
            raise RuntimeError(message("run", "interrupted_before_write"))
    outputs = tuple(OutputFile(fil=(folder / w.path.name).as_posix(),
                               format=SNAPSHOT_FORMAT if w.path.name.endswith(SNAPSHOT_SUFFIX)
                               else w.path.suffix.lstrip("."), sha256=w.sha256, bytes=w.size) for w in written)
    return tuple(report.survey.account.warnings), outputs


def _check_respondents(survey: Survey, item: Item, min_n: int) -> None:
    from reportgen.run.focus import respondents_in

    n = respondents_in(survey, item)
    where = message("run", "in_period", period=item.period) if item.period else message("run", "in_data")
    if n == 0:
        raise InputError(Problem(message("run", "no_respondents", municipality=item.municipality, where=where)))
    if n < min_n:
        raise InputError(Problem(message("run", "too_few_respondents", municipality=item.municipality, n=n,
                                         where=where, min_n=min_n)))


def _cached(job: Job, kind: str, name: str) -> Any:
    """The profile or theme called ``name`` (read once per worker)."""
    key = (kind, name)
    if key not in job.cache:
        if kind == "profil":
            from reportgen.document.profile import load_profile

            job.cache[key] = load_profile(name, job.spec.base, _allowed(job))
        else:
            from reportgen.settings.brand import load_brand

            job.cache[key] = load_brand(name, job.spec.base, _allowed(job))
    return job.cache[key]


def _allowed(job: Job) -> list[str]:
    """The run's ``data.tilladte_mapper`` (with the folder of its ``sagsfil``)."""
    data = job.spec.defaults.get("data") or {}
    return [str(a) for a in data.get("tilladte_mapper") or [] if isinstance(a, str)]


def _failed(item: Item, key: str, start: float, stages: Mapping[str, float], kind: str, message: str,
            details: tuple[str, ...]) -> ItemRecord:
    return ItemRecord(periode=item.period, kommune=item.municipality, status="fejlet", noegle=key,
                      varighed_s=time.perf_counter() - start, trin_s=dict(stages),
                      fejl=ItemError(kind, message, details))  # type: ignore[arg-type]
