from __future__ import annotations

import datetime as dt

import pytest

from reportgen.core import fmt


@pytest.mark.parametrize("value,decimals,want", [
    (3.8123, 2, "3,81"), (3.815, 2, "3,82"), (33000, 0, "33.000"), (1234567.891, 1, "1.234.567,9"),
    (2.675, 2, "2,68"), (-0.125, 2, "\u22120,13"), (-0.001, 2, "0,00"), (None, 2, "–"),
])
def test_num(value, decimals, want):
    assert fmt.num(value, decimals) == want


def test_pct():
    assert fmt.pct_text(0.394) == "39,4 pct."
    assert fmt.pct(0.5, 0) == "50"


def test_dates_lower_case():
    assert fmt.date_long(dt.date(2024, 6, 17)) == "17. juni 2024"
    assert fmt.date_with_weekday(dt.date(2024, 6, 17)) == "mandag den 17. juni 2024"


def test_dates_from_iso_text():
    """The web pages hold the case file's dates as ISO text."""
    assert fmt.date_long("2026-12-03") == "3. december 2026"
    assert fmt.date_with_weekday("2030-06-17") == "mandag den 17. juni 2030"
    assert fmt.date_long("ikke en dato") == "ikke en dato" and fmt.date_long("") == "" and fmt.date_long(None) == ""


def test_join():
    assert fmt.join_da(["a", "b", "c"]) == "a, b og c"
    assert fmt.join_da(["a"]) == "a"
    assert fmt.join_da([]) == ""
    assert fmt.join_da(["a", "b"], "eller") == "a eller b"


def test_join_is_the_danish_list_as_written_by_hand() -> None:
    """Babel's Danish patterns give what the hand-written join gave: commas, then the
    conjunction before the last item, no Oxford comma; items are not formatted again."""
    for conj in ("og", "eller"):
        for n in range(6):
            items = [f"{{x}}{i}" for i in range(n)]
            expected = ", ".join(items[:-1]) + f" {conj} " + items[-1] if n > 1 else "".join(items)
            assert fmt.join_da(items, conj) == expected
    with pytest.raises(ValueError):
        fmt.join_da(["a", "b"], "samt")
