"""The PDFs of ``reportgen build``, laid out in a forked process while this one works on.

``PdfWorker.start()`` forks a child at the start of a build. Told the case's PDF engine
(``warm``, ``sag.pdf_motor``), the child imports it and warms it up (WeasyPrint: about
0.4 s; Typst: its fonts and templates) while the parent loads, analyses and narrates;
then it waits for the document. (Forked before this process used Typst, the child may use
it: ``render.typst_child``.) As soon as the charts are laid out (their
sizes known, not yet drawn), the build sends it the document with placeholder images
(``lay_out``): the child lays out the pages of the document and of each of its bilag
documents (``Document.documents``) while the parent draws the charts, which it then
sends (``send_figures``); the child draws and writes the PDFs while the parent makes the
DOCX and HTML files, and ``api.write`` takes the PDF bytes back, one per document.
(``send`` hands it a finished document instead.) On two cores this takes the import and
nearly all of the PDF work off the build's critical path.

The worker is an accelerator only, never a second code path for errors: the child sends
back bytes or "failed", nothing else. When it failed for any reason — an error in the
document, a crash, a killed child — ``api.write`` renders the PDF itself, so exceptions,
messages and exit codes are those of a build without a worker. The bytes are the same
either way: the child runs the very ``render_pdfs`` the parent's ``render_pdf`` calls.

No worker (``start`` returns None) without ``os.fork``, or with a single usable core,
where it would only add work.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection, Pipe
from typing import Any

_OK, _FAILED, _WARM = b"\x01", b"\x00", b"\x02"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class PdfWorker:
    """A forked child that renders one PDF (see the module docstring)."""

    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid = pid
        self._conn: Connection | None = conn
        self._sent = False
        self._early = False
        self._done = False

    @classmethod
    def start(cls) -> PdfWorker | None:
        """Fork the child; None where a worker would not help (see the module docstring)."""
        if not hasattr(os, "fork") or usable_cores() < 2:
            return None
        parent_end, child_end = Pipe(duplex=True)
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            try:
                stream.flush()
            except (AttributeError, ValueError, OSError):
                pass
        try:
            pid = os.fork()
        except OSError:  # no process to be had: render in this one
            parent_end.close()
            child_end.close()
            return None
        if pid == 0:  # the child: never returns
            code = 0
            try:
                parent_end.close()
                _child_main(child_end)
            except BaseException:  # noqa: BLE001 - the parent renders the PDF itself
                code = 1
            finally:
                os._exit(code)
        child_end.close()
        return cls(pid, parent_end)

    def warm(self, engine: str, preload: tuple[str, ...] = ()) -> None:
        """Have the child import the PDF ``engine`` (``render.pdf_engine``) and warm it up
        now, while this process loads and analyses (``api.build`` calls it once it has read
        the case), and import the modules ``preload`` (what a ``draw`` call will use); the
        child renders with that engine."""
        if self._conn is None or self._sent:
            return
        try:
            self._conn.send_bytes(_WARM + " ".join((engine, *preload)).encode("ascii"))
        except (OSError, EOFError):
            self.close()

    def draw(self, call: Callable[[], dict[str, Any]]) -> bool:
        """Have the child run ``call`` (picklable: ``api`` sends the figures it is to draw
        while this process draws the others) and keep its result for ``drawn``; False if
        it cannot take it. Before the document is sent."""
        if self._conn is None or self._sent:
            return False
        try:
            self._conn.send_bytes(pickle.dumps(("draw", call), protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, EOFError, pickle.PicklingError, TypeError, AttributeError):
            self.close()
            return False
        return True

    def drawn(self) -> dict[str, Any] | None:
        """The figures ``draw`` asked for (key → Figure), or None (draw them yourself)."""
        if self._conn is None:
            return None
        try:
            reply = self._conn.recv_bytes()
            figures = pickle.loads(reply[1:]) if reply[:1] == _OK else None
        except Exception:  # noqa: BLE001 - no figures (a dead child, a garbled reply): draw them here
            self.close()
            return None
        return figures if isinstance(figures, dict) else None

    def send(self, document: Any, variant: str | None, brand: Any) -> bool:
        """Hand the child the arguments of ``render_pdf``; False if it cannot take them.
        True without sending anything when the document went ahead by ``lay_out`` and
        its figures by ``send_figures``."""
        if self._early:
            return self._sent
        return self._post(("full", document, variant, brand))

    def lay_out(self, document: Any, variant: str | None, brand: Any) -> bool:
        """Send the document whose figures are placeholders (``charts.placeholder_png``):
        the child lays it out and then waits for ``send_figures``."""
        self._early = True
        return self._post(("early", document, variant, brand))

    def send_figures(self, real: dict[bytes, bytes]) -> None:
        """The real PNG of each placeholder sent with ``lay_out``."""
        if self._early and self._conn is not None:
            self._post(("figures", real), first=False)

    def _post(self, message: tuple, first: bool = True) -> bool:
        if self._conn is None or (first and self._sent):
            return False
        self._sent = True
        try:
            self._conn.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, EOFError, pickle.PicklingError, TypeError, AttributeError):
            self.close()
            self._sent = False
            return False
        return True

    def result(self) -> tuple[bytes, ...] | None:
        """The PDF bytes of the document and each of its bilag documents (in
        ``Document.documents`` order), or None if the child did not make them (render
        them yourself)."""
        if self._conn is None or not self._sent:
            return None
        try:
            reply = self._conn.recv_bytes()
        except (OSError, EOFError):
            reply = _FAILED
        self._done = True
        self.close()
        if reply[:1] != _OK:
            return None
        try:
            pdfs = pickle.loads(reply[1:])
        except Exception:  # noqa: BLE001 - a garbled reply: render here
            return None
        return tuple(pdfs) if isinstance(pdfs, (list, tuple)) else None

    def close(self) -> None:
        """Stop the child (at once, unless it has answered) and reap it."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self.pid:
            if not self._done:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _child_main(conn: Connection) -> None:
    # Ctrl-C reaches the whole process group; the parent stops this child itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    engine = None  # the default engine, unless told
    try:
        job = conn.recv_bytes()
        if job.startswith(_WARM):
            engine, *preload = job[len(_WARM):].decode("ascii").split()
            _warm_up(engine, preload)
            job = conn.recv_bytes()
        call = _draw_call(job)
        if call is not None:
            conn.send_bytes(_drawn(call))
            job = conn.recv_bytes()
    except (OSError, EOFError):
        _release()
        return  # the parent went on without the worker
    try:
        from reportgen.render.pdf_engine import DEFAULT_ENGINE, render_pdfs

        kind, document, variant, brand = pickle.loads(job)
        late = _FiguresLater(conn) if kind == "early" else None
        data = render_pdfs(document.documents, engine=engine or DEFAULT_ENGINE, variant=variant, brand=brand,
                           late_figures=late)
    except Exception:  # noqa: BLE001 - the parent renders again and raises the error itself
        conn.send_bytes(_FAILED)
        return
    finally:
        _release()
    conn.send_bytes(_OK + pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _warm_up(engine: str, preload: list[str]) -> None:
    try:
        if engine == "weasyprint":
            from reportgen.render import pdf

            pdf.warm_up()
        else:
            from reportgen.render import pdf_typst

            pdf_typst.warm_up()
        import importlib

        for name in preload:
            importlib.import_module(name)
    except Exception:  # noqa: BLE001 - the real render reports (or the parent does)
        pass


def _draw_call(job: bytes) -> Callable[[], Any] | None:
    """The call of a draw job, or None for any other message (the PDF job)."""
    if job[:1] in (_OK, _FAILED):
        return None
    try:
        message = pickle.loads(job)
    except Exception:  # noqa: BLE001 - garbled: the PDF job's own handling decides
        return None
    return message[1] if isinstance(message, tuple) and len(message) == 2 and message[0] == "draw" else None


def _drawn(call: Callable[[], Any]) -> bytes:
    """The reply to a draw job: its result, or "failed" (the parent draws the figures itself)."""
    try:
        return _OK + pickle.dumps(call(), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - the parent draws them and raises the error itself
        return _FAILED


def _release() -> None:
    """Delete WeasyPrint's temporary font folders before ``os._exit`` (no atexit there)."""  # Typst keeps none
    module = sys.modules.get("reportgen.render.pdf")
    if module is not None:
        module.release_font_configs()


class _FiguresLater:
    """In the child: receives the figures (``send_figures``) on a thread while the pages
    are laid out — so the parent's send never waits for the layout — and hands them over
    when called."""

    def __init__(self, conn: Connection) -> None:
        import threading

        self._conn = conn
        self._message: bytes | None = None
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        try:
            self._message = self._conn.recv_bytes()
        except (OSError, EOFError):
            self._message = None

    def __call__(self) -> dict[bytes, bytes]:
        self._thread.join()
        if self._message is None:
            raise EOFError("the parent sent no figures")
        kind, real = pickle.loads(self._message)
        if kind != "figures":
            raise ValueError(f"expected the figures, got {kind!r}")
        return real
