"""Bounded decompression: look at a ZIP archive's directory before anything unpacks it.

XLSX/ODS workbooks and DOCX/DOTX Word templates are ZIP archives. A crafted one (a "zip
bomb") declares a few kilobytes that unpack to gigabytes, and a reader that unpacks it
first spends half a minute and all memory before it can refuse. ``check_archive`` reads
only the central directory (names and declared sizes) and refuses an archive with too
many entries, too much uncompressed content, or an entry compressed far beyond what real
spreadsheets and documents reach. Readers then unpack only what was checked: Python's
``zipfile`` and calamine stop at the declared size.
"""

from __future__ import annotations

import io
import zipfile

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem

MAX_ENTRIES = 10_000
MAX_TOTAL = 1 << 30          # 1 GiB uncompressed in all
MAX_RATIO = 100              # uncompressed / compressed, for entries of at least RATIO_FLOOR
RATIO_FLOOR = 10 << 20       # 10 MiB: small, highly repetitive entries (styles, shared strings) are fine


def check_archive(data: bytes, display: str, what: str, column: str | None = None) -> None:
    """Raise ``InputError`` naming ``display`` when the archive ``data`` would unpack beyond
    the limits above. A damaged archive passes: its reader reports the damage."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(infos) > MAX_ENTRIES:
        raise _refuse(display, what, column, message("core", "zip_entries", n=len(infos)),
                      message("core", "zip_entries_expected", n=MAX_ENTRIES))
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL:
        raise _refuse(display, what, column, message("core", "zip_total", size=_mib(total)),
                      message("core", "zip_total_expected", size=_mib(MAX_TOTAL)))
    for i in infos:
        if i.file_size >= RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise _refuse(display, what, column,
                          message("core", "zip_ratio", name=i.filename, packed=_mib(i.compress_size),
                                  unpacked=_mib(i.file_size), ratio=ratio),
                          message("core", "zip_ratio_expected", n=MAX_RATIO))


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB".replace(".", ",")


def _refuse(display: str, what: str, column: str | None, why: str, expected: str) -> InputError:
    return InputError(Problem(message("core", "zip_refused", what=what, why=why), file=display,
                              key=column, expected=expected))
