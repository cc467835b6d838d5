"""A problem names where it is: a data file's row and column, or a settings file's key."""

from __future__ import annotations

from reportgen.errors import Problem


def test_a_settings_key_is_called_a_key_and_a_data_column_a_column() -> None:
    key = Problem("Ugyldig værdi i sagsfilen", file="sag.yaml", key="sag.moededato", value="2024-13-45")
    assert str(key) == "fil 'sag.yaml', nøgle 'sag.moededato': Ugyldig værdi i sagsfilen: værdien '2024-13-45'"
    assert "kolonne" not in str(key)
    col = Problem("Ugyldigt svar", file="besvarelser.csv", row=6, column="q2_1", value="7", expected="1-5")
    assert str(col) == ("fil 'besvarelser.csv', række 6, kolonne 'q2_1': Ugyldigt svar: værdien '7' "
                        "(forventet: 1-5)")


def test_a_long_key_is_shortened_like_the_other_quoted_parts() -> None:
    p = Problem("Ukendt nøgle", key="x" * 500)
    assert len(p.key or "") < 200 and p.key.endswith("(500 tegn)")  # type: ignore[union-attr]
