"""Batch events → what a person or a log file sees while a run goes on.

Two views of the same events. In an interactive terminal: a rich progress bar, with
failures printed above it as they happen. Otherwise (cron, systemd, CI, a pipe): one
plain line per event, prefixed with the local time (``2024-06-03 06:00:01``), so the
journal or a log file tells what happened when.

Logging policy:

* info — the run starts (how many reports, how many unchanged, how many processes),
  each report finishes (in the plain view), the run ends with its counts;
* advarsel — something worth knowing that did not stop a report: an unreadable earlier
  manifest, temporary files left by a killed run, data warnings of a report (counted
  here, listed in the manifest);
* fejl — a report that could not be built, with its kind (inputfejl: the data or the
  case; intern fejl: a bug or a crashed worker) and the message.

Everything goes to the given stream (stderr by default); the final summary
(``print_summary``) goes to stdout.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from reportgen.core import fmt
from reportgen.core.templating import message
from reportgen.run.manifest import ItemRecord


def is_interactive(stream: TextIO) -> bool:
    """A person is watching: a terminal, not 'dumb', and not CI."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and os.environ.get("TERM", "") != "dumb" and not os.environ.get("CI")


def seconds(s: float) -> str:
    return f"{fmt.num(s, 1)} s"


def item_line(rec: ItemRecord) -> str:
    if rec.status == "fejlet" and rec.fejl is not None:
        return message("run", "item_failed", id=rec.id, kind=_kind(rec), message=rec.fejl.besked)
    text = message("run", "item_built", id=rec.id, time=seconds(rec.varighed_s))
    if rec.advarsler:
        text += " " + message("run", "item_warnings", n=len(rec.advarsler))
    return text


def _kind(rec: ItemRecord) -> str:
    """A failed item's kind of error, as the log names it."""
    assert rec.fejl is not None
    return message("run", "kind_input" if rec.fejl.art == "input" else "kind_internal")


class PlainLog:
    """Timestamped lines, one per event."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0

    def _line(self, text: str) -> None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        self.stream.write(f"{stamp} {text}\n")
        self.stream.flush()

    def info(self, text: str) -> None:
        self._line(text)

    def warn(self, text: str) -> None:
        self._line(message("run", "warning", text=text))

    def start(self, total: int) -> None:
        self.total = total

    def item(self, rec: ItemRecord) -> None:
        self.done += 1
        prefix = f"[{self.done}/{self.total}] "
        line = prefix + item_line(rec)
        self._line(message("run", "error", text=line) if rec.status == "fejlet" else line)

    def close(self) -> None:
        pass


class ProgressLog:
    """A rich progress bar; failures and notes are printed above it."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console

        self.console = Console(file=stream)
        self.progress: Any = None
        self.task: Any = None

    def info(self, text: str) -> None:
        self.console.print(text, highlight=False, markup=False)

    def warn(self, text: str) -> None:
        self.console.print(message("run", "warning", text=text), style="yellow", highlight=False, markup=False)

    def start(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
            TimeRemainingColumn

        # auto_refresh=False: no refresh thread, so forking a replacement worker is safe.
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn(message("run", "progress_left")), TimeRemainingColumn(),
                                 console=self.console, auto_refresh=False, transient=False)
        self.progress.start()
        self.task = self.progress.add_task(message("run", "progress"), total=total)
        self.progress.refresh()

    def item(self, rec: ItemRecord) -> None:
        if rec.status == "fejlet":
            self.console.print(message("run", "error", text=item_line(rec)), style="red", highlight=False,
                               markup=False)
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=rec.id)
            self.progress.refresh()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.update(self.task, description=message("run", "progress_done"))
            self.progress.stop()
            self.progress = None


EXIT_CODES = (0, 1, 2, 130, 143)  # each has a meaning in templates/messages/run.txt.j2 (exit_<code>)


def print_summary(out: TextIO, manifest: Mapping[str, Any], path: Path, records: Sequence[ItemRecord],
                  code: int) -> None:
    c = manifest["opsummering"]
    out.write(message("run", "summary", interrupted=manifest["status"] == "afbrudt",
                      time=seconds(manifest["varighed_s"]), built=c["dannet"], unchanged=c["uaendret"],
                      failed=c["fejlet"]) + "\n")
    failed = sorted((r for r in records if r.status == "fejlet"), key=lambda r: r.id)
    if failed:
        out.write(message("run", "summary_failed") + "\n")
        for r in failed:
            assert r.fejl is not None
            out.write(message("run", "summary_failed_item", id=r.id, kind=_kind(r), message=r.fejl.besked) + "\n")
    out.write(message("run", "summary_manifest", path=path) + "\n")
    meaning = message("run", f"exit_{code}") if code in EXIT_CODES else ""
    out.write(message("run", "summary_exit", code=code, meaning=meaning) + "\n")
    out.flush()


def make_log(stream: TextIO, interactive: bool | None = None) -> PlainLog | ProgressLog:
    if interactive is None:
        interactive = is_interactive(stream)
    return ProgressLog(stream) if interactive else PlainLog(stream)
