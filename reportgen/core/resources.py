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


def quiet_font_stamp_warning() -> None:
    """Carlito's 'head' table has a creation stamp that fontTools calls "very low" (and
    reads as a Unix time) every time the table is read — when a DOCX measures its column
    widths, or when WeasyPrint subsets the font. The stamp is harmless and the warning,
    printed on the user's terminal, only noise."""
    import logging

    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
