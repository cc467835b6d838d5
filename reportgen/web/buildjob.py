"""One build, run as its own process by the worker: ``python -m reportgen.web.buildjob
CASE_FILE OUT_DIR``. Prints ``TRIN <name>`` before each step (the page shows them), the
CLI's Danish problems on stderr and exits 2 on bad input, as ``reportgen build`` does.
Writes nothing to OUT_DIR unless every format rendered (``api.write``)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from reportgen.errors import InputError, ReportgenError

STEPS = {"analyse": "analyserer", "tekst": "skriver fund", "figurer": "tegner figurer", "dokument": "samler dokumentet"}


def _say(text: str) -> None:
    print(f"TRIN {text}", flush=True)


@contextlib.contextmanager
def _stage(name: str) -> Iterator[None]:
    _say(STEPS.get(name, name))
    yield


def _die_with_parent() -> None:
    """Ask Linux to end this build when the server that started it dies (even by SIGKILL),
    so no orphaned build writes on after a crash; elsewhere a no-op."""
    import ctypes
    import os
    import signal

    parent = int(os.environ.get("REPORTGEN_SERVER_PID") or os.getppid())
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the server died before the request took hold
        os._exit(1)


def main(argv: list[str]) -> int:
    from reportgen.api import build_from_survey, write
    from reportgen.document.profile import load_profile
    from reportgen.ingest.sources import load_all
    from reportgen.settings.brand import load_brand
    from reportgen.settings.case import load_case

    case_path, out = Path(argv[0]), Path(argv[1])
    try:
        _say("læser data")
        case, base = load_case(case_path)
        profile = load_profile(case.profil, base)
        brand = load_brand(case.tema, base) if case.tema else None
        survey = load_all(case, base, case_file="sagsfil")
        report = build_from_survey(case, case_path, survey, base=base, profile=profile, brand=brand, stage=_stage)
        _say("danner PDF, DOCX og HTML")
        write(report, out, ("pdf", "docx", "html"), name="sag")
        print("UDKAST" if report.document.is_draft else "ENDELIG", flush=True)
    except InputError as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return 2
    except ReportgenError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    _die_with_parent()
    sys.exit(main(sys.argv[1:]))
