"""The web app's versions and diff page.

A web build writes the same ``sag.indhold.json`` snapshot as ``reportgen build`` of the
downloaded case file; and the diff page between two versions of a fixture whose data
changed in known ways (tests/review/test_diff.py: one citizen's answer, the invited count
and one hand-written text) lists every changed figure, old and new side by side, and
nothing else — the expected figures computed independently from the CSV files.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
import synth
from sqlalchemy import select

from tests.review.test_diff import _write, expected_figures
from tests.web.conftest import DEMO, log_in, new_case, wait_job
from tests.web.test_app import _texts_form, _users

TEXTS = {"indstilling_punkter": "at orienteringen tages til efterretning.",
         "sammenhaeng": "Undersøgelsen følger kommunens politik.", "oekonomi": "Ingen.",
         "lovgrundlag": "Lov om kommunernes styrelse."}


@pytest.fixture(scope="module")
def built(app, admin):
    """A case built once from the demo export (version 1)."""
    case_id = new_case(admin, admin.tok)
    admin.post(f"/sager/{case_id}/tekster", data=_texts_form(admin, case_id, **TEXTS))
    admin.post(f"/sager/{case_id}/dan", data={"csrf_token": admin.tok})
    assert wait_job(admin, case_id, 1) == "færdig"
    return case_id


def test_web_build_writes_the_cli_snapshot(app, admin, built, tmp_path):
    """The same content as ``reportgen build`` of the downloaded case file: figures,
    sentences, texts, mapping and every input hash but the case file's own bytes (the web's
    copy names the uploads by the server's names)."""
    from reportgen.cli import main

    web = json.loads((app.state.data / "sager" / str(built) / "versioner" / "1" / "output"
                      / "sag.indhold.json").read_text(encoding="utf-8"))
    (tmp_path / "sag.yaml").write_text(admin.get(f"/sager/{built}/sagsfil").text, encoding="utf-8")
    for name in ("besvarelser.csv", "katalog.csv", "inviterede.csv"):
        shutil.copy(DEMO / name, tmp_path / name)
    assert main(["build", str(tmp_path / "sag.yaml"), "--out", str(tmp_path / "ud"), "--format", "html"]) == 0
    cli = json.loads((tmp_path / "ud" / "sag.indhold.json").read_text(encoding="utf-8"))
    web_inputs = {i["rolle"]: i for i in web.pop("input")}
    cli_inputs = {i["rolle"]: i for i in cli.pop("input")}
    assert web == cli
    assert web_inputs.pop("sagsfil")["fil"] == cli_inputs.pop("sagsfil")["fil"] == "sag.yaml"
    assert web_inputs == cli_inputs
    assert {"besvarelser", "katalog", "inviterede", "kortlaegning", "tekster"} <= set(web_inputs)
    assert web_inputs["besvarelser"]["fil"] == "besvarelser.csv"


@pytest.fixture(scope="module")
def known(app, admin, tmp_path_factory):
    """A case whose versions 1 and 2 are the two builds of the known-change fixture."""
    from reportgen.api import build
    from reportgen.review.snapshot import snapshot
    from reportgen.web.store import Case, Job, Version

    root = tmp_path_factory.mktemp("kendt")
    responses, catalogue, invited = synth.generate(400, ["Norddjurs"], seed=7)
    changed = responses.copy()
    who = changed.index[(changed["q1_1"].astype(str) == "2") & (changed["maalgruppe"] == "Dagpengemodtagere")][0]
    changed.loc[who, "q1_1"] = 5
    invited2 = invited.copy()
    invited2["inviterede"] = invited2["inviterede"] + 100
    cases = [_write(root / "v1", responses, catalogue, invited, "Udgifterne er 0,018 mio. kr."),
             _write(root / "v2", changed, catalogue, invited2, "Udgifterne er 0,025 mio. kr.")]
    snaps = [snapshot(build(c), name="sag") for c in cases]
    case_id = new_case(admin, admin.tok)
    folder = app.state.data / "sager" / str(case_id) / "versioner"
    with app.state.sessions() as db:
        for number, snap in enumerate(snaps, 1):
            job = Job(case_id=case_id, state="færdig", created_by="admin", version=number)
            db.add(job)
            db.flush()
            db.add(Version(case_id=case_id, number=number, job_id=job.id, formats=["pdf"], inputs={}, draft=True))
            (folder / str(number) / "output").mkdir(parents=True)
            (folder / str(number) / "output" / "sag.indhold.json").write_bytes(snap.to_bytes())
        db.get(Case, case_id).unit_id = None
        db.commit()
    return case_id, (responses, invited, snaps[0]), (changed, invited2, snaps[1])


def _figure_rows(page: str) -> dict[str, tuple[str, str]]:
    table = re.search(r'<table class="list diff-tal">(.*?)</table>', page, re.S)
    assert table, "no table of changed figures"
    rows = re.findall(r'<tr class="art-(\w+)"><th scope="row">(.*?)</th><td class="num">(.*?)</td>'
                      r'<td class="num">(.*?)</td>', table.group(1))
    assert all(art == "aendret" for art, *_ in rows)
    return {html.unescape(label): (html.unescape(old), html.unescape(new)) for _, label, old, new in rows}


def test_diff_page_lists_every_changed_figure_and_nothing_else(admin, known):
    case_id, (r1, i1, s1), (r2, i2, s2) = known
    e1, e2 = expected_figures(r1, i1), expected_figures(r2, i2)
    labels = {f.noegle: f.label for f in s2.tal}
    expected = {labels[k]: (e1[k], e2[k]) for k in e1 if e1[k] != e2[k]}
    assert len(expected) >= 5
    page = admin.get(f"/sager/{case_id}/forskelle").text  # default: the previous against the latest
    assert 'option value="1" selected' in page and re.search(r'name="b">.*?option value="2" selected', page, re.S)
    assert _figure_rows(page) == expected
    assert _figure_rows(admin.get(f"/sager/{case_id}/forskelle?a=1&b=2").text) == expected


def test_diff_page_marks_words_and_inputs(admin, known):
    case_id = known[0]
    page = admin.get(f"/sager/{case_id}/forskelle?a=1&b=2").text
    # the hand-written text, word level, with a lead for screen readers
    assert '<del><span class="sr">[fjernet: </span>0,018<span class="sr">]</span></del>' in page
    assert '<ins><span class="sr">[tilføjet: </span>0,025<span class="sr">]</span></ins>' in page
    # a changed hand-written text is named as on the texts page, not by its key in the case file
    texts = re.search(r'Håndskrevne afsnit, der er ændret \(\d+\)</h3>(.*?)</dl>', page, re.S).group(1)
    names = [html.unescape(re.sub(r"<[^>]+>", "", n)).split(maxsplit=1)[1]
             for n in re.findall(r"<dt>(.*?)</dt>", texts, re.S)]
    assert names and all(n in {"Økonomiske konsekvenser", "Indstilling", "Resumé", "Sagsfremstilling",
                               "Sammenhæng til politikker og strategier", "Lovgrundlag"} for n in names), names
    section = re.search(r'<h3 id="h-input">Input, der er ændret \((\d+)\)</h3>(.*?)</table>', page, re.S)
    roles = re.findall(r'<th scope="row">(.*?)</th>', section.group(2))
    assert set(roles) == {"sagsfil", "besvarelser", "inviterede", "tekster"}
    assert "Sætninger, der er tilføjet, fjernet eller ændret" in page
    # reversed (B older than A) and the same version: no differences
    assert "Ingen forskelle." in admin.get(f"/sager/{case_id}/forskelle?a=2&b=2").text
    # an unknown version number falls back to the default pair
    assert _figure_rows(admin.get(f"/sager/{case_id}/forskelle?a=x&b=99").text)


def test_diff_page_without_snapshot_says_so(app, admin, built):
    from reportgen.web.store import Version

    path = app.state.data / "sager" / str(built) / "versioner" / "1" / "output" / "sag.indhold.json"
    saved = path.read_bytes()
    path.unlink()
    try:
        page = admin.get(f"/sager/{built}/forskelle").text
        assert "har intet indholdsudtræk" in page and "Dan dokumenterne igen" in page
    finally:
        path.write_bytes(saved)
    with app.state.sessions() as db:
        assert db.scalars(select(Version).where(Version.case_id == built)).first() is not None
