"""The one permission check, asked on every request: ``permission_allowed(actor, action,
resource)``. Denial is the default: an action not listed for a role is refused.

Actions: ``view-cases`` (the list), ``create-case``, ``view-case``, ``edit-case``,
``build``, ``download``, ``comment`` (a reviewer's comment, and resolving one), ``reply``
(an answer to a comment), ``approve``, ``admin``. What an edit or a build does to a case
under review or approved is not asked here but of ``review.workflow`` (the view asks both). A case is visible to its own unit, to its owner and to
users added to it; admins see everything. Passwords are hashed with argon2.
"""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

_hasher = PasswordHasher()

ROLE_ACTIONS: dict[str, set[str]] = {
    "sagsbehandler": {"view-cases", "create-case", "view-case", "edit-case", "build", "download", "reply"},
    "chef": {"view-cases", "view-case", "download", "comment", "reply", "approve"},
    "admin": {"view-cases", "create-case", "view-case", "edit-case", "build", "download", "admin"},
}
CASE_ACTIONS = {"view-case", "edit-case", "build", "download", "comment", "reply", "approve"}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def _sees(actor: dict[str, Any], case: dict[str, Any]) -> bool:
    if actor["role"] == "admin":
        return True
    if actor["id"] == case.get("owner_id") or actor["id"] in case.get("members", ()):
        return True
    return actor.get("unit_id") is not None and actor.get("unit_id") == case.get("unit_id")


def permission_allowed(actor: dict[str, Any] | None, action: str, resource: dict[str, Any] | None = None) -> bool:
    """True only when ``actor`` (None = not logged in) may do ``action`` on ``resource``."""
    if actor is None:
        return False
    if action not in ROLE_ACTIONS.get(actor.get("role", ""), set()):
        return False
    if action in CASE_ACTIONS:
        if resource is None or resource.get("kind") != "case" or not _sees(actor, resource):
            return False
    return True
