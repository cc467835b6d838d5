"""``reportgen diff`` on two builds whose data changed in known ways: every figure that
changed is listed with its old and new value, and nothing else.

The data is one municipality from ``synth`` (no benchmark, so every figure is one that a
few lines of pandas can compute). Version 2 changes one citizen's answer to question 1.1
and the number of invited citizens, and rewrites one hand-written text. The expected
figures of both versions are computed here from the CSV files, independently of
reportgen, and the expected changes are the figures whose shown value differs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import synth

from reportgen.api import build
from reportgen.core import fmt
from reportgen.review.diff import Comparison, compare, diff, words
from reportgen.review.render import render_to_string
from reportgen.review.snapshot import load_snapshot, snapshot

MIN_N = 5
CASE = """\
sag: {{titel: Borgerundersøgelsen, kommune: Norddjurs Kommune, udvalg: Arbejdsmarkedsudvalget,
      moededato: 2024-06-17, sagsnummer: "24/1370", dato: 2024-06-03}}
data:
  besvarelser: besvarelser.csv
  katalog: katalog.csv
  inviterede: inviterede.csv
  fokus: Norddjurs
  kolonner: {{respondent_id: respondent_id, kommune: kommune, maalgruppe: maalgruppe}}
analyse: {{min_n: {min_n}, grupper: [maalgruppe]}}
tekster:
  indstilling: {{punkter: [at orienteringen tages til efterretning.]}}
  sammenhaeng: Der er sammenhæng til Beskæftigelsesplan 2024.
  oekonomi: {oekonomi}
  lovgrundlag: Intet relevant lovgrundlag.
"""


def _write(folder: Path, responses: pd.DataFrame, catalogue: pd.DataFrame, invited: pd.DataFrame, oekonomi: str) -> Path:
    folder.mkdir()
    synth.write_csv(responses, folder / "besvarelser.csv")
    synth.write_csv(catalogue, folder / "katalog.csv")
    synth.write_csv(invited, folder / "inviterede.csv")
    (folder / "sag.yaml").write_text(CASE.format(min_n=MIN_N, oekonomi=oekonomi), encoding="utf-8")
    return folder / "sag.yaml"


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    root = tmp_path_factory.mktemp("diff")
    responses, catalogue, invited = synth.generate(400, ["Norddjurs"], seed=7)
    v1 = _write(root / "v1", responses, catalogue, invited, "Udgifterne er 0,018 mio. kr.")
    changed = responses.copy()
    # One citizen in a large target group: answer 1.1 from 2 ("utilfreds") to 5.
    who = changed.index[(changed["q1_1"].astype(str) == "2") & (changed["maalgruppe"] == "Dagpengemodtagere")][0]
    changed.loc[who, "q1_1"] = 5
    invited2 = invited.copy()
    invited2["inviterede"] = invited2["inviterede"] + 100
    v2 = _write(root / "v2", changed, catalogue, invited2, "Udgifterne er 0,025 mio. kr.")
    snaps = []
    for case in (v1, v2):
        report = build(case)
        snaps.append(snapshot(report))
        (case.parent / "sag.indhold.json").write_bytes(snaps[-1].to_bytes())
    return (responses, invited, snaps[0]), (changed, invited2, snaps[1])


# --------------------------------------------------------------------------- independent figures


def _valid(responses: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Valid answers 1–5 (reverse-coded items turned); everything else NaN."""
    out = pd.DataFrame(index=responses.index)
    for _, q in catalogue.iterrows():
        v = pd.to_numeric(responses[q["id"]], errors="coerce").where(lambda s: s.between(1, 5))
        out[q["id"]] = 6 - v if q["omvendt"] == "ja" else v
    return out


def expected_figures(responses: pd.DataFrame, invited: pd.DataFrame) -> dict[str, str]:
    """Every figure of the snapshot of a one-municipality build, as the document shows it."""
    catalogue = synth.catalogue_frame()
    valid = _valid(responses, catalogue)
    themes = list(dict.fromkeys(catalogue["tema"]))
    overall_q = list(catalogue["id"])  # both scales have 5 points: the overall score uses every question
    out: dict[str, str] = {}

    def unit(tag: str, rows: pd.Index, questions: bool) -> None:
        v = valid.loc[rows]
        out[f"{tag}||besvarelser"] = fmt.integer(len(rows))
        for name, ids in [*((t, list(catalogue.loc[catalogue["tema"] == t, "id"])) for t in themes),
                          ("Samlet score", overall_q)]:
            per_person = v[ids].mean(axis=1, skipna=True).dropna()
            answers = v[ids].to_numpy().ravel()
            answers = answers[~np.isnan(answers)]
            out[f"{tag}|{name}|score"] = fmt.num(per_person.mean())
            out[f"{tag}|{name}|andel_positive"] = fmt.num(100 * (answers >= 4).mean(), 1)
            out[f"{tag}|{name}|n"] = fmt.integer(len(per_person))
        if questions:
            for _, q in catalogue.iterrows():
                a = v[q["id"]].dropna()
                emne = f"{q['nummer']} {q['tekst']}"
                out[f"{tag}|{emne}|score"] = fmt.num(a.mean())
                out[f"{tag}|{emne}|andel_positive"] = fmt.num(100 * (a >= 4).mean(), 1)
                out[f"{tag}|{emne}|n"] = fmt.integer(len(a))

    unit("fokus", responses.index, questions=True)
    n_invited = int(invited["inviterede"].sum())
    out["fokus||svarprocent"] = fmt.num(100 * len(responses) / n_invited, 1)
    out["fokus||inviterede"] = fmt.integer(n_invited)
    for group, rows in responses.groupby("maalgruppe").groups.items():
        assert len(rows) >= MIN_N  # no suppression in this fixture
        unit(f"gruppe:maalgruppe:{group}", rows, questions=False)
    return out


# --------------------------------------------------------------------------- tests


def test_snapshot_figures_are_the_independently_computed_ones(versions):
    """The baseline: the snapshot holds exactly the figures computed here, with the same values."""
    for responses, invited, snap in versions:
        assert {f.noegle: f.tekst for f in snap.tal} == expected_figures(responses, invited)


def test_every_changed_figure_is_listed_and_nothing_else(versions):
    (r1, i1, s1), (r2, i2, s2) = versions
    e1, e2 = expected_figures(r1, i1), expected_figures(r2, i2)
    expected = {k: (e1[k], e2[k]) for k in e1 if e1[k] != e2[k]}
    d = diff(s1, s2)
    assert {c.noegle: (c.foer, c.efter) for c in d.tal} == expected
    assert all(c.art == "aendret" for c in d.tal)
    # the change was seen where it must be: the question, its theme and the group; the invited count
    keys = set(expected)
    assert "fokus||inviterede" in keys and "fokus||svarprocent" in keys
    assert any(k.startswith("fokus|1.1 ") and k.endswith("|score") for k in keys)
    assert any(k.startswith("gruppe:maalgruppe:Dagpengemodtagere|Overordnet tilfredshed|") for k in keys)
    assert not any("Sygedagpengemodtagere" in k for k in keys)


def test_texts_inputs_and_sentences(versions):
    (_, _, s1), (_, _, s2) = versions
    d = diff(s1, s2)
    assert [(t.noegle, t.foer, t.efter) for t in d.haandskrevet] == [
        ("oekonomi", "Udgifterne er 0,018 mio. kr.", "Udgifterne er 0,025 mio. kr.")]
    assert ("-", "0,018 ") in d.haandskrevet[0].ord and ("+", "0,025 ") in d.haandskrevet[0].ord
    assert {i.rolle for i in d.input} == {"sagsfil", "besvarelser", "inviterede", "tekster"}
    assert not d.sag and not d.kortlaegning
    changed = [s for s in d.saetninger if s.art == "aendret"]
    assert any("0,025" in s.efter and "0,018" in s.foer for s in changed)
    # every changed sentence mentions a number that changed, or is the rewritten text
    assert all(any(ch.isdigit() for op, w in s.ord if op != "=" for ch in w) for s in changed)


def test_no_difference_and_deterministic_bytes(versions, tmp_path):
    (r1, i1, s1), _ = versions
    assert diff(s1, s1).empty
    case = tmp_path / "again"
    again = snapshot(build(_write(case, r1, synth.catalogue_frame(), i1, "Udgifterne er 0,018 mio. kr.")))
    assert again.to_bytes() == s1.to_bytes()
    assert load_snapshot_roundtrip(s1) == s1


def load_snapshot_roundtrip(s):
    from reportgen.review.snapshot import Snapshot

    return Snapshot.from_json(json.loads(s.to_bytes()))


def test_compare_on_build_folders(versions, tmp_path_factory):
    (_, _, s1), (_, _, s2) = versions
    base = tmp_path_factory.getbasetemp()
    v1 = next(base.glob("diff*/v1"))
    v2 = next(base.glob("diff*/v2"))
    c = compare(v1, v2)
    assert isinstance(c, Comparison) and not c.empty
    assert c.to_json()["elementer"][0]["tal"] == diff(load_snapshot(v1 / "sag.indhold.json"),
                                                      load_snapshot(v2 / "sag.indhold.json")).to_json()["tal"]
    text = render_to_string(c, width=120)
    assert "Tal, der er ændret" in text and "[-0,018-]" in text and "{+0,025+}" in text
    assert compare(v1, v1).empty


def test_word_marks():
    assert words("a b c", "a x c") == (("=", "a "), ("-", "b "), ("+", "x "), ("=", "c"))


def test_cli_exit_codes(versions, tmp_path_factory, capsys):
    from reportgen.cli import main

    base = tmp_path_factory.getbasetemp()
    v1, v2 = next(base.glob("diff*/v1")), next(base.glob("diff*/v2"))
    assert main(["diff", str(v1), str(v1)]) == 0
    assert "Ingen forskelle" in capsys.readouterr().out
    assert main(["diff", str(v1 / "sag.indhold.json"), str(v2 / "sag.indhold.json"), "--no-color"]) == 1
    assert "Tal, der er ændret" in capsys.readouterr().out
    assert main(["diff", str(v1), str(v2), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["forskelle"] is True and data["elementer"][0]["haandskrevet"][0]["noegle"] == "oekonomi"
    assert main(["diff", str(v1), str(v1 / "findes_ikke")]) == 2
    assert "findes ikke" in capsys.readouterr().err
    assert main(["diff", str(v1), str(v1 / "besvarelser.csv")]) == 2
    assert "Kan ikke sammenligne" in capsys.readouterr().err


def test_compare_two_manifests_item_by_item(versions, tmp_path):
    """Two batch outputs: items matched by id; an item only in one is named."""
    (_, _, s1), (_, _, s2) = versions

    def run(folder: Path, snaps: dict[str, object]) -> Path:
        items = []
        for item_id, snap in snaps.items():
            rel = f"{item_id}/sagsfremstilling.indhold.json"
            (folder / item_id).mkdir(parents=True)
            (folder / rel).write_bytes(snap.to_bytes())
            items.append({"id": item_id, "status": "dannet", "output": [{"fil": rel, "format": "indhold"}]})
        items.append({"id": "2024K2/Fejlet", "status": "fejlet", "output": []})
        (folder / "manifest.json").write_text(json.dumps({"manifest_version": 1, "elementer": items}))
        return folder

    a = run(tmp_path / "a", {"2024K2/Norddjurs": s1, "2024K2/Syddjurs": s1})
    b = run(tmp_path / "b", {"2024K2/Norddjurs": s2, "2024K2/Randers": s1})
    c = compare(a, b / "manifest.json")
    assert [i for i, _ in c.elementer] == ["2024K2/Norddjurs"]
    assert c.kun_foer == ("2024K2/Syddjurs",) and c.kun_efter == ("2024K2/Randers",)
    assert c.elementer[0][1].to_json()["tal"] == diff(s1, s2).to_json()["tal"]
    text = render_to_string(c, color=True)
    assert "2024K2/Norddjurs" in text and "\x1b[" in text  # colour codes when asked for
