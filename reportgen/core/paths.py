"""One path resolver: a path written in a case, run or theme file → a file inside the case.

Every file a case names (data, catalogue, invited counts, scale files, earlier exports,
the benchmark table, the list of names, a profile or theme file, and the theme's logo,
fonts and Word template) goes through ``resolve_inside``:

* ``~`` is the user's home folder, and Windows backslashes (``data\\svar.csv``) work as
  ``/`` when the path as written does not exist;
* a relative path is relative to ``base`` (the case file's folder, or the theme's);
* the result, with every symbolic link followed, must lie under ``base`` or under one of
  the ``allowed`` folders (the case file's ``tilladte_mapper``, see docs/sagsfil.md).
  ``../../etc/passwd``, an absolute path elsewhere and a symlink that leads out are
  refused with a message that says which of these it was.

The web app uses the same function for uploaded files (``resolve_inside(name, upload_dir)``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem


def normalize(rel: str, base: Path) -> Path:
    """``rel`` with ``~`` expanded, relative to ``base``; backslashes as ``/`` when the path
    as written does not exist (a Windows path in a case file)."""
    p = Path(rel).expanduser()
    p = p if p.is_absolute() else base / p
    if "\\" in rel and not p.exists():
        alt = Path(rel.replace("\\", "/")).expanduser()
        alt = alt if alt.is_absolute() else base / alt
        if alt.exists() or not p.parent.exists():
            return alt
    return p


def resolve_inside(rel: str, base: Path, allowed: Sequence[str | Path] = (), *, key: str | None = None,
                   file: str | None = None, folder_name: str | None = None) -> Path:
    """The path ``rel`` names (see the module docstring); raises ``InputError`` naming
    ``file`` (the file that wrote the path) and ``key`` when it leads outside; ``folder_name``
    names ``base`` in it (by default "sagens mappe")."""
    p = normalize(rel, base)
    roots = [_real(base), *(_real(normalize(str(a), base)) for a in allowed)]
    real = _real(p)
    if any(_under(real, r) for r in roots):
        return p
    lexical = Path(os.path.normpath(p if p.is_absolute() else Path.cwd() / p))
    inside = any(_under(lexical, Path(os.path.normpath(r))) for r in roots) or \
        any(_under(lexical, Path(os.path.normpath(normalize(str(a), base).absolute()))) for a in (base, *allowed))
    folder = folder_name if folder_name is not None else message("core", "case_folder")
    if inside:
        why = message("core", "path_symlink_out", folder=folder, allowed=bool(allowed), target=real)
    else:
        why = message("core", "path_out", folder=folder, allowed=bool(allowed))
    raise InputError(Problem(why, file=file, key=key, value=rel,
                             expected=message("core", "path_expected", root=roots[0],
                                              others=[str(r) for r in roots[1:]])))


def _real(p: Path) -> Path:
    try:
        return p.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return Path(os.path.abspath(p))


def _under(p: Path, root: Path) -> bool:
    return p == root or root in p.parents
