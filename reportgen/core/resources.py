"""Package resources: where the bundled templates, stylesheets and fonts live.

In a source checkout they are in ``<repo>/templates``; a non-editable ``pip install .``
puts the same folder inside the package as ``reportgen/templates`` (see the wheel's
``force-include`` in ``pyproject.toml``). The installed location is tried first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportgen.errors import ReportgenError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the reportgen package


@cache
def templates_dir() -> Path:
    """The folder holding ``html/``, ``css/`` and ``fonts/``."""
    for candidate in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates"):
        if (candidate / "html").is_dir():
            return candidate
    raise ReportgenError(
        "Skabelonmappen blev ikke fundet: reportgen er installeret uden 'templates' "
        f"(ledte i {_PACKAGE_DIR / 'templates'} og {_PACKAGE_DIR.parent / 'templates'})"
    )
