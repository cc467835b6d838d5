"""The files of a case on disk, under names the server chooses, always inside the data
folder: uploads are checked by content (``ingest.read.file_kind``) and never served back.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

from reportgen.core.templating import message
from reportgen.core.atomic import sha256_bytes
from reportgen.errors import InputError, Problem
from reportgen.ingest.read import file_kind, kind_text

ACCEPTED = {"besvarelser": {"text": ".csv", "xlsx": ".xlsx", "sav": ".sav"},
            "katalog": {"text": ".csv", "xlsx": ".xlsx"},
            "inviterede": {"text": ".csv", "xlsx": ".xlsx"}}
LABELS = {"besvarelser": message("web", "upload_besvarelser"), "katalog": message("web", "upload_katalog"),
          "inviterede": message("web", "upload_inviterede")}


def contained(root: Path, *parts: str) -> Path:
    """``root/parts`` resolved, refused unless it stays inside ``root``."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise PermissionError(f"path outside the data folder: {parts!r}")
    return target


def check_upload(role: str, original: str, data: bytes) -> str:
    """The extension to store the upload under, judged by its content; or InputError."""
    if not data:
        raise InputError(Problem(message("web", "empty_upload"), file=original, expected=message("web", "empty_upload_expected")))
    kind = file_kind(data)
    ext = ACCEPTED[role].get(kind)
    if ext is None:
        allowed = ", ".join(sorted({"text": "CSV", "xlsx": "XLSX", "sav": "SPSS (.sav)"}[k] for k in ACCEPTED[role]))
        raise InputError(Problem(message("web", "wrong_file_kind", label=LABELS[role], kind=kind_text(kind)), file=original,
                                 expected=allowed))
    return ext


def store_upload(folder: Path, role: str, original: str, data: bytes) -> dict[str, Any]:
    ext = check_upload(role, original, data)
    name = f"{role}-{secrets.token_hex(8)}{ext}"
    uploads = folder / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    target = contained(uploads, name)
    target.write_bytes(data)
    shown = re.sub(r"[^\w.\- æøåÆØÅ]", "_", Path(original).name)[:120] or f"{role}{ext}"
    return {"name": name, "original": shown, "sha256": sha256_bytes(data)}
