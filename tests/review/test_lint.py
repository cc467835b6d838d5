"""``reportgen lint``: one case per rule that breaks only that rule, and the exit codes."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from reportgen.cli import main
from reportgen.review.lint import exit_code, lint_case, period_start

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
TODAY = dt.date(2024, 6, 1)  # before the demo's meeting (17 June 2024), after its data period began


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lint")
    for name in ("besvarelser.csv", "katalog.csv", "inviterede.csv"):
        shutil.copy(DEMO / name, out / name)
    return out


BASE = yaml.safe_load((DEMO / "sag.yaml").read_text(encoding="utf-8"))


def _case(folder: Path, name: str, edit=None, extra_files: dict[str, str] | None = None) -> Path:
    raw = copy.deepcopy(BASE)
    if edit is not None:
        edit(raw)
    for fname, text in (extra_files or {}).items():
        (folder / fname).write_text(text, encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _rules(path: Path, today: dt.date = TODAY) -> dict[str, str]:
    return {i.regel: i.alvor for i in lint_case(path, today=today)}


def test_the_demo_case_is_clean(folder):
    assert lint_case(_case(folder, "ren"), today=TODAY) == []


def _set(path: str, value):
    def edit(raw):
        node = raw
        *parents, last = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return edit


CASES = {
    "pladsholder": (_set("tekster.oekonomi", "Udgifterne er [indsæt beløb] kr."), "fejl"),
    "tomt_afsnit": (_set("tekster.lovgrundlag", ""), "fejl"),
    "indstilling_at": (_set("tekster.indstilling.punkter",
                            ["at orienteringen tages til efterretning.", "udvalget drøfter resultaterne."]), "fejl"),
    "smaa_grupper": (_set("analyse.min_n", 16), "advarsel"),
    "sammenligning": (_set("tekster.sagsfremstilling", "Borgerne i Norddjurs er mindre tilfredse end i andre kommuner."),
                      "fejl"),
    "svarprocent": (_set("analyse.svarprocent_graense", 45), "advarsel"),
    "fritekst": (_set("tekster.sammenhaeng", "Borgeren (cpr 010203-1234) har klaget."), "fejl"),
    "fritekst_navne": (_set("analyse.kommentarer", {"medtag": True, "citater": 2}), "advarsel"),
    "sagsnummer": (_set("sag.sagsnummer", "2024-1370"), "fejl"),
    "sagsnummer_mangler": (_set("sag.sagsnummer", ""), "advarsel"),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule_on_a_case_that_breaks_only_it(folder, rule):
    edit, severity = CASES[rule]
    assert _rules(_case(folder, rule, edit)) == {rule: severity}


def test_meeting_date_in_the_past(folder):
    assert _rules(_case(folder, "fortid"), today=dt.date(2024, 7, 1)) == {"moededato": "advarsel"}


def test_meeting_date_before_the_data_period(folder):
    # The data is from 2024: a meeting in 2023 cannot present it (and is not in the past here).
    path = _case(folder, "foer", lambda r: (_set("sag.moededato", dt.date(2023, 12, 4))(r),
                                            _set("sag.dato", dt.date(2023, 11, 20))(r)))
    issues = lint_case(path, today=dt.date(2023, 11, 1))
    assert {(i.regel, i.sted) for i in issues} == {("dato_foer_data", "sag.moededato"), ("dato_foer_data", "sag.dato")}
    assert all(i.alvor == "fejl" and "2024" in i.besked for i in issues)


def test_case_number_pattern_from_the_theme(folder):
    theme = "navn: Norddjurs Kommune\nsagsnummer_moenster: '\\d{2}\\.\\d{2}\\.\\d{2}-[A-Z]\\d{2}-\\d+-\\d{2}'\n"
    bad = _case(folder, "tema_forkert", _set("tema", "tema.yaml"), {"tema.yaml": theme})
    issues = lint_case(bad, today=TODAY)
    assert [(i.regel, i.alvor) for i in issues] == [("sagsnummer", "fejl")] and "temaets" in issues[0].besked
    ok = _case(folder, "tema_rigtig", lambda r: (_set("tema", "tema.yaml")(r), _set("sag.sagsnummer", "15.00.00-A00-1-24")(r)))
    assert lint_case(ok, today=TODAY) == []


def test_a_supported_comparison_is_not_flagged(folder):
    # The demo is over the average in one theme (the summary says so): "over gennemsnittet" is supported.
    path = _case(folder, "stoettet", _set("tekster.sagsfremstilling", "Norddjurs ligger over gennemsnittet i ét tema."))
    assert lint_case(path, today=TODAY) == []


def test_period_start():
    assert period_start("2024") == dt.date(2024, 1, 1)
    assert period_start("2024K3") == dt.date(2024, 7, 1)
    assert period_start("2024H2") == dt.date(2024, 7, 1)
    assert period_start("2024-05") == dt.date(2024, 5, 1)
    assert period_start("forår") is None


def test_exit_codes(folder, capsys):
    clean = _case(folder, "ren")
    warn = _case(folder, "advarsel", CASES["svarprocent"][0])
    err = _case(folder, "fejl", CASES["pladsholder"][0])
    assert main(["lint", str(clean), "--idag", "2024-06-01"]) == 0
    assert "Ingen fund" in capsys.readouterr().out
    assert main(["lint", str(warn), "--idag", "2024-06-01"]) == 0
    assert main(["lint", str(warn), "--idag", "2024-06-01", "--strict"]) == 1
    assert "advarsel: Svarprocenten er" in capsys.readouterr().out
    assert main(["lint", str(err), "--idag", "2024-06-01", "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["afslutningskode"] == 2 and [f["regel"] for f in data["fund"]] == ["pladsholder"]
    assert main(["lint", str(folder / "findes_ikke.yaml")]) == 2
    assert "Sagsfilen findes ikke" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["lint", str(clean), "--idag", "1. juni"])
    assert e.value.code == 2
    assert exit_code([]) == 0
