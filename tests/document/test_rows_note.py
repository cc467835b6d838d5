"""The method note's account of the rows read, in the sentences a civil servant would write:
every count is named with what happens to it, and no clause reads as 'X indgår kun …' hung
on a list (issue 14)."""

from __future__ import annotations

import pytest

from reportgen.document.blocks import _rows_note
from reportgen.models.survey import DataAccount


def _acc(read: int, used: int, *, earlier: int = 0, later: int = 0, excluded: dict[str, int] | None = None,
         period: str = "2024") -> DataAccount:
    return DataAccount(files=("besvarelser.csv",), rows_read=read, rows_used=used, rows_excluded=excluded or {},
                       period=period if earlier or later else "", rows_earlier=earlier, rows_later=later)


@pytest.mark.parametrize(("acc", "expected"), [
    (_acc(4000, 4000, earlier=2061),
     "I alt er 4.000 besvarelser indlæst: 1.939 fra målingen 2024 og 2.061 fra tidligere målinger, som kun bruges "
     "til at vise udviklingen over tid."),
    (_acc(40, 40, later=20),
     "I alt er 40 besvarelser indlæst: 20 fra målingen 2024 og 20 fra senere målinger, som ikke indgår."),
    (_acc(100, 100, earlier=30, later=20),
     "I alt er 100 besvarelser indlæst: 50 fra målingen 2024, 30 fra tidligere målinger, som kun bruges til at vise "
     "udviklingen over tid, og 20 fra senere målinger, som ikke indgår."),
    (_acc(110, 100, earlier=30, excluded={"ukendt kommune": 10}),
     "I alt er 110 rækker indlæst; 10 med ukendt kommune indgår ikke. Af de øvrige er 70 fra målingen 2024 og 30 "
     "fra tidligere målinger, som kun bruges til at vise udviklingen over tid."),
    (_acc(110, 100, excluded={"ukendt kommune": 10}), "I alt er 110 rækker indlæst; 10 med ukendt kommune indgår ikke."),
])
def test_rows_note_names_what_happens_to_each_count(acc, expected):
    assert _rows_note(acc) == expected
    assert "indgår kun" not in expected


def test_no_note_when_every_row_is_used_in_one_period():
    assert _rows_note(_acc(50, 50)) == ""
