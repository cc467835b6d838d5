from __future__ import annotations

from reportgen.analysis.suppress import complementary


def test_nothing_small_nothing_hidden():
    assert complementary({"a": 10, "b": 20}, 5) == set()


def test_single_small_group_takes_the_next_smallest():
    assert complementary({"a": 3, "b": 8, "c": 40}, 5) == {"a", "b"}


def test_two_small_groups_summing_below_min_n_take_more():
    assert complementary({"a": 1, "b": 2, "c": 30, "d": 9}, 5) == {"a", "b", "d"}


def test_two_small_groups_enough_together():
    assert complementary({"a": 3, "b": 4, "c": 30}, 5) == {"a", "b"}


def test_unknown_respondents_count_as_hidden():
    # 2 respondents with no group: showing every group would reveal them through the total
    assert complementary({"a": 10, "b": 20}, 5, hidden_n=2) == {"a"}
    assert complementary({"a": 10, "b": 20}, 5, hidden_n=6) == set()
