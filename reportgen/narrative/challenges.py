"""Priority map → its udfordringer: the one rule the priority-map text and the handleplan share.

A question is an udfordring when it lies in the map's "Udfordringer" quadrant (score below
the mean, importance at or above the mean) *and* its importance is clearly above the median:
the whole 95 % interval of its correlation lies above the median importance
(``PriorityItem.clearly_high``, computed in ``reportgen.analysis.priority``). Questions in the
quadrant whose interval crosses the median are not named; the text says instead that the
data cannot tell their importance from the other questions'.
"""

from __future__ import annotations

import re

from reportgen.models.results import PriorityItem, PriorityMap


def in_quadrant(pm: PriorityMap) -> tuple[PriorityItem, ...]:
    """The questions in the 'Udfordringer' quadrant, whatever their uncertainty."""
    return tuple(i for i in pm.items if i.quadrant == "Udfordringer")


def clear_challenges(pm: PriorityMap) -> tuple[PriorityItem, ...]:
    """The udfordringer: in the quadrant and clearly above the median importance; the most
    important first, then the lower score, then the question number."""
    return tuple(sorted((i for i in in_quadrant(pm) if i.clearly_high),
                        key=lambda i: (-i.importance, i.score, number_order(i.question.number))))


def number_order(number: str) -> tuple[int, ...]:
    """'6.1' → (6, 1): question numbers in reading order."""
    return tuple(int(p) for p in re.findall(r"\d+", number or "")) or (0,)
