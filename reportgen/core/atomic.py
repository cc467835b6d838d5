"""Bytes → files that appear whole or not at all: temporary name, fsync, rename.

Every temporary file lives in the target's folder and starts with a dot
(``.<name>.<random>.tmp``), so a reader listing outputs never mistakes one for a result,
and ``remove_stale_temps`` can clear what a killed process left behind. A group of files
(the formats of one report) is written in two phases — all temporaries first, then all
renames — so a failure while writing leaves every earlier file in place.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem

TEMP_SUFFIX = ".tmp"


def _output_problem(exc: OSError) -> tuple[str, str]:
    """What the user is told about the output location for an ``OSError``: (message, expected)."""
    code = exc.errno or 0
    if code == errno.EEXIST:
        return message("core", "output_is_file"), message("core", "output_is_file_expected")
    if code == errno.ENOTDIR:
        return message("core", "output_through_file"), message("core", "output_through_file_expected")
    if code == errno.ENOSPC:
        return message("core", "output_disk_full"), message("core", "output_space_expected")
    if code == errno.EDQUOT:
        return message("core", "output_quota"), message("core", "output_space_expected")
    if code in (errno.EACCES, errno.EPERM):
        return message("core", "output_no_access"), message("core", "output_no_access_expected")
    if code == errno.EROFS:
        return message("core", "output_read_only"), message("core", "output_read_only_expected")
    if code == errno.ENAMETOOLONG:
        return message("core", "output_too_long"), message("core", "output_too_long_expected")
    return (message("core", "output_unwritable", reason=exc.strerror or exc),
            message("core", "output_unwritable_expected"))


@dataclass(frozen=True)
class Written:
    """One file written: where, its SHA-256 and its size in bytes."""

    path: Path
    sha256: str
    size: int


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def write_files(folder: Path, files: Mapping[str, bytes],
                before_rename: Callable[[], bool] | None = None) -> list[Written]:
    """Write ``{file name: bytes}`` into ``folder`` atomically, as a group.

    ``before_rename`` is asked once, after every temporary file is complete and before
    the first rename; returning False abandons the group (nothing is replaced).

    An ``OSError`` (the folder is a file, the disk is full, no permission, a read-only
    filesystem) is raised as ``InputError`` (``output_error``); nothing is replaced then.
    """
    try:
        return _write_files(folder, files, before_rename)
    except OSError as exc:
        raise output_error(exc, folder) from exc


def _write_files(folder: Path, files: Mapping[str, bytes],
                 before_rename: Callable[[], bool] | None) -> list[Written]:
    folder.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[Path, Path, bytes]] = []
    try:
        for name, data in files.items():
            temps.append((_write_temp(folder, name, data), folder / name, data))
        if before_rename is not None and not before_rename():
            return []
        written = []
        for tmp, target, data in temps:
            os.replace(tmp, target)
            written.append(Written(target, sha256_bytes(data), len(data)))
        _fsync_dir(folder)
        return written
    finally:
        for tmp, _, _ in temps:
            tmp.unlink(missing_ok=True)


def output_error(exc: OSError, path: Path) -> InputError:
    """An ``OSError`` while creating or writing the output location as the user's input error."""
    text, expected = _output_problem(exc)
    return InputError(Problem(text, file=str(exc.filename or path), expected=expected))


def check_output_dir(path: Path) -> None:
    """Refuse an output location that cannot be a folder (a file, or under one) before any work."""
    p = Path(path)
    for cand in (p, *p.parents):
        if cand.exists():
            if not cand.is_dir():
                code = errno.EEXIST if cand == p else errno.ENOTDIR
                raise output_error(OSError(code, os.strerror(code), str(cand)), p)
            if not os.access(cand, os.W_OK | os.X_OK):
                raise output_error(OSError(errno.EACCES, os.strerror(errno.EACCES), str(cand)), p)
            return


def write_json(path: Path, value: object) -> None:
    """``value`` as indented UTF-8 JSON at ``path``, atomically."""
    data = (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")
    write_files(path.parent, {path.name: data})


def remove_stale_temps(folder: Path) -> int:
    """Delete temporary files (``.*.tmp``) left in ``folder`` by a killed run; return how many."""
    if not folder.is_dir():
        return 0
    n = 0
    for p in folder.glob(f".*{TEMP_SUFFIX}"):
        if p.is_file():
            p.unlink(missing_ok=True)
            n += 1
    return n


def _write_temp(folder: Path, name: str, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (a crash right after still shows the new names)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
