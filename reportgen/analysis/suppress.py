"""Group sizes → the set of groups whose figures must not be shown (anonymity).

Primary suppression hides every group with fewer than ``min_n`` respondents. Complementary
suppression then makes sure the hidden part cannot be worked out from the total and the
groups shown: everything not shown — the hidden groups plus any respondents who belong to
no shown category (``hidden_n``, e.g. an unknown target group) — must together be either
nobody or at least ``min_n`` respondents. While that does not hold, the smallest shown
group is hidden too. (A hidden part of at least ``min_n`` may be worked out, but as a
whole only, which is the same as showing a group of that size.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def complementary(sizes: Mapping[str, int], min_n: int, hidden_n: int = 0,
                  forced: Iterable[str] = ()) -> set[str]:
    """Return the names of the groups to suppress (``forced`` ones are hidden regardless)."""
    hidden = {g for g, n in sizes.items() if n < min_n} | set(forced)
    shown = sorted((g for g in sizes if g not in hidden), key=lambda g: (sizes[g], g))

    def safe() -> bool:
        total = sum(sizes.get(g, 0) for g in hidden) + hidden_n
        return total == 0 or total >= min_n

    while not safe() and shown:
        hidden.add(shown.pop(0))
    return hidden
