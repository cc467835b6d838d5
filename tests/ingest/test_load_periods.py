"""Data with several periods in one export: the warnings and the account refer to the
analysed period (the latest, or the one chosen), and `validate` says how each file was read.

Two periods (2023, 2024) × two municipalities (Ærø, Tønder), 10 respondents in each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.errors import InputError
from tests.ingest.test_load_mapping import HEADER, Q, rows, run, write

COLS = {"respondent_id": "Resp", "kommune": "Kommunenavn", "periode": "Måling"}


def _write(tmp: Path, q2a_2023: list[str] | None = None) -> None:
    body = []
    for period in ("2023", "2024"):
        q2a = q2a_2023 if period == "2023" and q2a_2023 else ["2"] * 20
        part = rows(["5", "4", "3", "2"] * 5, q2a=q2a)
        body += [[f"{period}-{r[0]}", *r[1:], period] for r in part]
    write(tmp, body, header=HEADER + ["Måling"])


def test_focus_warnings_count_the_analysed_period(tmp_path: Path) -> None:
    """10 valid answers in Ærø in 2024 (and 10 in 2023): fewer than 4 × min_n in the period."""
    _write(tmp_path)
    s = run(tmp_path, {"spoergsmaal": Q, "kolonner": COLS})
    assert "Spørgsmål 2.1 (Q2_a) har kun 10 gyldige svar i Ærø i målingen 2024; resultatet skal læses med " \
           "forbehold." in s.account.warnings
    assert not any("20 gyldige svar" in w for w in s.account.warnings)


def test_focus_warnings_of_an_earlier_period(tmp_path: Path) -> None:
    from reportgen.ingest.load import focus_warnings

    _write(tmp_path, q2a_2023=["2", "2", "2", "2"] + ["Ved ikke"] * 16)  # Ærø: 2 valid answers in 2023
    s = run(tmp_path, {"spoergsmaal": Q, "kolonner": COLS})
    got = focus_warnings(s, "Ærø", 5, "2023")
    assert "Spørgsmål 2.1 (Q2_a) har kun 2 gyldige svar i Ærø i målingen 2023; resultatet vises ikke." in got
    assert "Spørgsmål 2.1 (Q2_a) har kun 10 gyldige svar i Ærø i målingen 2024; resultatet skal læses med " \
           "forbehold." in focus_warnings(s, "Ærø", 5)


def test_account_splits_the_rows_by_period(tmp_path: Path) -> None:
    from reportgen.ingest.load import for_focus, load

    _write(tmp_path)
    s = run(tmp_path, {"spoergsmaal": Q, "kolonner": COLS})
    acc = s.account
    assert (acc.rows_read, acc.rows_used) == (40, 40)
    assert (acc.period, acc.rows_period, acc.rows_earlier, acc.rows_later) == ("2024", 20, 20, 0)
    # a batch item of the earlier period: read once without a focus, then given one
    from reportgen.settings.case import load_case

    case, base = load_case(tmp_path / "sag.yaml")
    whole = load(case, base, match_focus=False, warn_focus=False)
    item = for_focus(whole, "Tønder", 5, "2023")
    assert (item.focus, item.account.period, item.account.rows_period, item.account.rows_earlier,
            item.account.rows_later) == ("Tønder", "2023", 20, 0, 20)
    assert any("i Tønder i målingen 2023" in w for w in item.account.warnings)


def test_invited_counts_of_a_period_are_checked_against_that_period(tmp_path: Path) -> None:
    from reportgen.settings.case import load_case
    from reportgen.ingest.load import invited_counts

    _write(tmp_path)
    (tmp_path / "inv.csv").write_text("kommune;periode;inviterede\nÆrø;2023;9\nTønder;2023;30\n"
                                      "Ærø;2024;40\nTønder;2024;50\n", encoding="utf-8")
    s = run(tmp_path, {"spoergsmaal": Q, "kolonner": COLS, "inviterede": "inv.csv"})
    assert s.invited == {"Ærø": 40, "Tønder": 50}
    case, base = load_case(tmp_path / "sag.yaml")
    assert invited_counts(case, base, s) == {"Ærø": 40, "Tønder": 50}
    with pytest.raises(InputError, match="flere besvarelser end inviterede for perioden 2023") as info:
        invited_counts(case, base, s, "2023")
    assert "Ærø: 9 inviterede, 10 besvarelser" in str(info.value)


def test_validate_reports_periods_and_how_files_were_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path)
    run(tmp_path, {"spoergsmaal": Q, "kolonner": COLS})
    assert main(["validate", str(tmp_path / "sag.yaml"), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "  læst: d.csv: CSV, tegnsæt utf-8, skilletegn semikolon, overskrift i række 1" in out
    assert "Rækker indlæst: 40; brugt: 40" in out
    assert "  heraf i den analyserede periode 2024: 20" in out
    assert "  heraf fra tidligere perioder: 20 (bruges kun til udviklingen)" in out
    assert "fokus: Ærø med 10 besvarelser i 2024" in out


def test_method_note_states_the_rows_of_each_period(tmp_path: Path) -> None:
    from reportgen.api import build
    from tests.analysis.test_analyze_kit import model_text

    _write(tmp_path)
    run(tmp_path, {"spoergsmaal": Q, "kolonner": COLS})
    text = model_text(build(tmp_path / "sag.yaml"))
    assert "I alt er 40 besvarelser indlæst: 20 fra målingen 2024 og 20 fra tidligere målinger, som kun bruges " \
           "til at vise udviklingen over tid." in text
