"""One build, run as its own process by the worker: ``python -m reportgen.web.buildjob
CASE_FILE OUT_DIR [NAMES_JSON]``. Prints ``TRIN <name>`` before each step (the page shows
them), the CLI's Danish problems on stderr and exits 2 on bad input, as ``reportgen build``
does. Writes nothing to OUT_DIR unless every format rendered (``api.write``).

Beside the documents it writes ``sag.indhold.json``, the same snapshot ``reportgen build``
writes (``review.snapshot``), which the diff page compares. ``NAMES_JSON`` maps the
server's upload paths to the names the user uploaded them under, so the snapshot names the
inputs as the downloaded case file does (and the case file itself as ``sag.yaml``)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportgen.core.templating import message
from reportgen.errors import InputError, ReportgenError

STEPS = {"analyse": message("web", "step_analyse"), "tekst": message("web", "step_tekst"),
         "figurer": message("web", "step_figurer"), "dokument": message("web", "step_dokument")}


def _say(text: str) -> None:
    print(f"TRIN {text}", flush=True)


@contextlib.contextmanager
def _stage(name: str) -> Iterator[None]:
    _say(STEPS.get(name, name))
    yield


def case_snapshot(report: Any, names: dict[str, str]) -> bytes:
    """The snapshot of ``report`` with the inputs under the user's names (see above)."""
    from reportgen.review.snapshot import input_records, snapshot, value_record

    data = {k: names.get(v, v) if isinstance(v, str) else v
            for k, v in report.case.data.model_dump(mode="json").items()}
    records = []
    for r in input_records(report, report.case_path.parent):
        if r.rolle == "kortlaegning":
            records.append(value_record("kortlaegning", data))
        else:
            records.append(dataclasses.replace(r, fil="sag.yaml" if r.rolle == "sagsfil" else names.get(r.fil, r.fil)))
    snap = snapshot(report, inputs=records, name="sag")
    return dataclasses.replace(snap, kortlaegning=data).to_bytes()


def main(argv: list[str]) -> int:
    from reportgen.api import build_from_survey, write
    from reportgen.document.profile import load_profile
    from reportgen.ingest.sources import load_all
    from reportgen.review.snapshot import SNAPSHOT_SUFFIX
    from reportgen.settings.brand import load_brand
    from reportgen.settings.case import load_case

    case_path, out = Path(argv[0]), Path(argv[1])
    names = json.loads(argv[2]) if len(argv) > 2 else {}
    try:
        _say(message("web", "step_reading"))
        case, base = load_case(case_path)
        profile = load_profile(case.profil, base)
        brand = load_brand(case.tema, base) if case.tema else None
        survey = load_all(case, base, case_file="sagsfil")
        report = build_from_survey(case, case_path, survey, base=base, profile=profile, brand=brand, stage=_stage)
        _say(message("web", "step_writing"))
        write(report, out, ("pdf", "docx", "html"), name="sag",
              extra={SNAPSHOT_SUFFIX.lstrip("."): case_snapshot(report, names)})
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
    import os

    from reportgen.web.lifeline import die_with_parent

    die_with_parent(int(os.environ.get("REPORTGEN_SERVER_PID") or 0) or None)
    sys.exit(main(sys.argv[1:]))
