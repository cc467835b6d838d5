"""reportgen: citizen-satisfaction survey data → Danish committee case documents.

The pipeline, one module per stage:

``case`` (YAML → CaseFile) → ``load`` (files → Survey) → ``analyze`` (Survey → Results)
→ ``narrate`` (Results → Findings) → ``charts`` (Results → Figures)
→ ``document`` (case + results + findings + figures → Document)
→ ``render.html`` / ``render.pdf`` / ``render.docx`` (Document → bytes).
"""

from __future__ import annotations

from reportgen.core.version import __version__
from reportgen.errors import InputError, Problem, ReportgenError


def __getattr__(name: str) -> object:
    # The pipeline API is imported lazily so that `reportgen --help` stays fast.
    if name in ("Report", "build", "write"):
        from reportgen import api

        return getattr(api, name)
    raise AttributeError(name)


__all__ = [
    "__version__",
    "Report",
    "build",
    "write",
    "ReportgenError",
    "InputError",
    "Problem",
]
