"""A case's versions and comments as data, for the pages that show them: the snapshot a
version was built with, what a comment may concern, and the comment threads. The case
page, the comments page and the diff page all use these; none of them imports another page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from starlette.requests import Request

from reportgen.core.templating import message
from reportgen.errors import InputError
from reportgen.review.diff import Diff
from reportgen.review.phrases import phrase
from reportgen.review.snapshot_file import SNAPSHOT_SUFFIX, Snapshot, load_snapshot
from reportgen.web.casefiles import contained
from reportgen.web.store import Comment
from reportgen.web.worker import case_dir


def version_snapshot(data: Any, case_id: int, number: int) -> Snapshot:
    """The snapshot version ``number`` of the case was built with; ``InputError`` (Danish)
    when the version has none (built before the web app wrote them)."""
    path = contained(case_dir(data, case_id) / "versioner", str(int(number)), "output", f"sag{SNAPSHOT_SUFFIX}")
    if not path.is_file():
        raise InputError(phrase("web_intet_indhold", version=number))
    return load_snapshot(path)


def comment_targets(snap: Snapshot, d: Diff | None) -> dict[str, list[tuple[str, str]]]:
    """What a comment on version B may concern: its sections, and the figures that changed
    (the diff page) or all its figures (no diff), as ``(value, label)`` for a select."""
    sections = [(f"afsnit|{s.noegle}", s.overskrift) for s in snap.afsnit]
    if d is not None:
        figures = [(f"tal|{c.noegle}", c.label) for c in d.tal if c.art != "fjernet"]
    else:
        figures = [(f"tal|{f.noegle}", f.label) for f in snap.tal]
    return {message("web", "group_sections"): sections, message("web", "group_figures"): figures}


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def case_comments(request: Request, case_id: int, only_open: bool = False) -> list[Thread]:
    """The case's comments with their answers, oldest first (only the open ones if asked)."""
    with request.app.state.sessions() as db:
        rows = list(db.scalars(select(Comment).where(Comment.case_id == case_id).order_by(Comment.id)))
    threads = {c.id: Thread(c) for c in rows if c.parent_id is None}
    for c in rows:
        if c.parent_id in threads:
            threads[c.parent_id].replies.append(c)
    return [t for t in threads.values() if not only_open or t.comment.resolved_at is None]
