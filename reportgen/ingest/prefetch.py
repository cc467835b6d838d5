"""A workbook's answers, read on a background thread while the program starts up.

Reading a sheet of an XLSX export is python-calamine's work (Rust, about 0.5 s for
31.500 rows × 25 columns), and calamine lets go of the GIL while it parses. ``reportgen
validate`` and ``reportgen build`` spend about as long importing pandas, pydantic and the
pipeline and checking the case file before they get to the data. ``start_for_case``
therefore starts parsing the case's answers file (``data.besvarelser``) at once, on a
thread; ``sheets.read_excel`` then takes the parsed rows (``take``) instead of parsing
the file again.

An accelerator only, never a second way of reading: the thread reads nothing but a
workbook inside the case file's folder, runs the same archive check first
(``core.ziplimits``), and keeps its result only for the exact bytes it read. ``take``
hands the rows over only when ``read_excel`` got the same bytes and picked the same
sheet; any error in the thread is forgotten, and ``read_excel`` reads the file itself and
reports the error as without the thread.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from pathlib import Path

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class _Job:
    path: Path
    sheet: str | int | None
    done: threading.Event = field(default_factory=threading.Event)
    data: bytes = b""
    names: tuple[str, ...] = ()
    name: str | None = None
    rows: list[list[object]] | None = None


_JOBS: list[_Job] = []
_LOCK = threading.Lock()


def start_for_case(case_path: str | Path) -> None:
    """Start reading the answers workbook named by the case file at ``case_path`` (if it
    is a workbook inside the case's folder); never raises."""
    try:
        import yaml

        case_path = Path(case_path)
        raw = yaml.safe_load(case_path.read_text(encoding="utf-8"))
        data = raw.get("data") if isinstance(raw, dict) else None
        name = data.get("besvarelser") if isinstance(data, dict) else None
        if not isinstance(name, str) or not name.lower().endswith(WORKBOOK_SUFFIXES):
            return
        base = case_path.resolve().parent
        path = (base / name).resolve()
        sheet = data.get("ark")
        if path.is_relative_to(base) and path.is_file() and (sheet is None or isinstance(sheet, (str, int))):
            start(path, sheet)
    except Exception:  # noqa: BLE001 - the real read reports every problem
        return


def start(path: Path, sheet: str | int | None = None) -> None:
    """Parse ``sheet`` (default: the first) of the workbook at ``path`` on a daemon thread."""
    job = _Job(Path(path), sheet)
    with _LOCK:
        _JOBS.append(job)
    threading.Thread(target=_run, args=(job,), name="reportgen-prefetch", daemon=True).start()


def _run(job: _Job) -> None:
    try:
        from python_calamine import CalamineWorkbook

        from reportgen.core.templating import message
        from reportgen.core.ziplimits import check_archive

        job.data = job.path.read_bytes()
        check_archive(job.data, str(job.path), message("ingest", "workbook"))  # before calamine unpacks anything
        wb = CalamineWorkbook.from_filelike(io.BytesIO(job.data))
        job.names = tuple(wb.sheet_names)
        name = _simple_pick(job.names, job.sheet)
        if name is not None:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            job.name, job.rows = name, rows
    except Exception:  # noqa: BLE001 - forgotten: read_excel reads and reports itself
        job.rows = None
    finally:
        job.done.set()


def _simple_pick(names: tuple[str, ...], sheet: str | int | None) -> str | None:
    """The sheet ``sheets._pick_sheet`` picks in the plain cases (none given, an exact name,
    a number); None otherwise (then nothing is parsed ahead)."""
    if not names:
        return None
    if sheet is None:
        return names[0]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    if isinstance(sheet, int) and 1 <= sheet <= len(names):
        return names[sheet - 1]
    return None


def take(data: bytes) -> tuple[tuple[str, ...], str | None, list[list[object]] | None] | None:
    """``(sheet names, the sheet parsed, its rows)`` of a prefetch that read exactly ``data``
    (waiting for it to finish), or None; the job is dropped once its bytes matched."""
    with _LOCK:
        jobs = list(_JOBS)
    for job in jobs:
        try:
            if job.path.stat().st_size != len(data):
                continue
        except OSError:
            continue
        job.done.wait()
        if job.data != data:
            continue
        with _LOCK:
            if job in _JOBS:
                _JOBS.remove(job)
        if not job.names:
            return None
        return job.names, job.name, job.rows
    return None


def clear() -> None:
    """Forget every prefetch (tests)."""
    with _LOCK:
        jobs = list(_JOBS)
        _JOBS.clear()
    for job in jobs:
        job.done.wait()
