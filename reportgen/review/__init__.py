"""Review: what a version is (``snapshot``), what changed between two (``diff``), what a
careful reviewer checks before it goes out (``lint``), and the approval rules
(``workflow``). The web app and ``reportgen diff`` / ``reportgen lint`` use these.

Public API::

    snapshot(report) -> Snapshot            # reportgen.review.snapshot
    Snapshot.to_bytes() / load_snapshot(path)
    diff(a, b) -> Diff                      # two snapshots
    compare(path_a, path_b) -> Comparison   # two build folders, snapshot files or manifests
    Diff.to_json() / Comparison.to_json() / render_text(comparison)
    lint_case(path) -> list[LintIssue]      # reportgen.review.lint
    workflow.transition(...), workflow.edit(...)
"""

from __future__ import annotations

_WHERE = {"Snapshot": "snapshot", "snapshot": "snapshot", "load_snapshot": "snapshot", "SNAPSHOT_SUFFIX": "snapshot",
          "Diff": "diff", "diff": "diff", "Comparison": "diff", "compare": "diff", "render_text": "render",
          "LintIssue": "lint", "lint_case": "lint"}


def __getattr__(name: str) -> object:
    # Imported lazily: the CLI's ``--help`` and the workflow rules need none of this.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"reportgen.review.{_WHERE[name]}"), name)
    raise AttributeError(name)


__all__ = sorted(_WHERE)
