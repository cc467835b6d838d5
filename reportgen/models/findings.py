"""What narrative gives document: one ``Finding`` per generated statement."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Finding:
    """One generated statement: its type, the numbers it rests on, and its Danish text."""

    kind: str
    text: str
    values: Mapping[str, object] = field(default_factory=dict)
