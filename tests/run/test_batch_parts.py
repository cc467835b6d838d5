"""The batch's parts as plain data: run file, plan, manifest keys, worker pool, log lines, atomic writes."""

from __future__ import annotations

import io
import os
import re
import signal
from pathlib import Path

import pytest
import yaml

from reportgen.errors import InputError
from tests.batch_helpers import BATCH, make_batch_dir

# --------------------------------------------------------------------------- run file


def test_case_for_fills_placeholders_overrides_and_focus(tmp_path: Path):
    from reportgen.run.runfile import read_run_file

    spec = read_run_file(make_batch_dir(tmp_path))
    case = spec.case_for("Norddjurs", "2024K2")
    assert case.data.fokus == "Norddjurs" and case.sag.kommune == "Norddjurs Kommune"
    assert case.sag.titel.endswith(", 2024K2") and case.sag.sagsnummer == "24/1370"
    assert "Jobcenter Norddjurs" in (case.tekster.sagsfremstilling or "")
    assert case.data.besvarelser == "besvarelser.csv"  # data paths are not templated
    other = spec.case_for("Randers", "2024K1")
    assert other.sag.sagsnummer == "" and other.sag.titel.endswith(", 2024K1")


def test_sagsfil_gives_defaults_with_its_own_relative_paths(tmp_path: Path):
    from reportgen.run.runfile import read_run_file

    demo = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
    run = tmp_path / "koersel.yaml"
    run.write_text(yaml.safe_dump({"sagsfil": str(demo / "sag.yaml"), "sag": {"udvalg": "Økonomiudvalget"},
                                   "koersel": {"kommuner": ["Aarhus"]}}, allow_unicode=True), encoding="utf-8")
    spec = read_run_file(run)
    case = spec.case_for("Aarhus", "")
    assert Path(case.data.besvarelser) == (demo / "besvarelser.csv").resolve()
    assert case.sag.udvalg == "Økonomiudvalget" and case.sag.titel.startswith("Lokale resultater")
    assert case.data.fokus == "Aarhus"


def test_run_file_messages_name_the_key(tmp_path: Path):
    from reportgen.run.runfile import read_run_file

    run = tmp_path / "koersel.yaml"
    for raw, needle in [
        ({"koersel": {"formater": ["pdf", "odt"]}, "data": {"besvarelser": "x.csv"}}, "koersel.formater"),
        ({"koersel": {"kommuner": "nogle"}, "data": {"besvarelser": "x.csv"}}, "koersel.kommuner"),
        ({"kørsel": {}, "data": {"besvarelser": "x.csv"}}, "kørsel"),
        ({"koersel": {}}, "data.besvarelser"),
        ({"data": {"besvarelser": "x.csv"}, "sag": {"titel": "T", "udvalg": "U", "moededato": "i morgen"}},
         "sag.moededato"),
    ]:
        run.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        with pytest.raises(InputError) as exc:
            read_run_file(run)
        assert needle in str(exc.value), (raw, str(exc.value))


def test_run_file_and_its_case_file_that_are_not_yaml_mappings(tmp_path: Path):
    from reportgen.run.runfile import read_run_file

    run = tmp_path / "koersel.yaml"
    for text, message, row in [("koersel: [pdf\n", "Kørselsfilen er ikke gyldig YAML", 2),
                               ("- pdf\n", "Kørselsfilen skal være en YAML-ordbog med nøgler", None)]:
        run.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as exc:
            read_run_file(run)
        (problem,) = exc.value.problems
        assert problem.message.startswith(message) and problem.file == str(run) and problem.row == row
    run.write_bytes(b"sag: {titel: \xe6}\n")
    with pytest.raises(InputError, match="Kørselsfilen er ikke gemt som UTF-8"):
        read_run_file(run)
    (tmp_path / "sag.yaml").write_text("- en liste\n", encoding="utf-8")
    run.write_text("sagsfil: sag.yaml\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"Sagsfilen \(sagsfil\) skal være en YAML-ordbog med nøgler"):
        read_run_file(run)


def test_run_file_formats_are_the_renderers():
    """One list of output formats: the run file accepts exactly the names ``api.RENDERERS``
    renders, in the same order (and takes them all by default)."""
    from pydantic import ValidationError

    from reportgen.api import FORMATS, RENDERERS
    from reportgen.run.runfile import Koersel

    assert tuple(RENDERERS) == FORMATS
    assert Koersel().formater == list(RENDERERS)
    assert Koersel.model_validate({"formater": list(reversed(RENDERERS))}).formater == list(reversed(RENDERERS))
    with pytest.raises(ValidationError):
        Koersel.model_validate({"formater": ["odt"]})


def test_periods_as_numbers_are_labels(tmp_path: Path):
    from reportgen.run.runfile import Koersel

    assert Koersel.model_validate({"perioder": [2023, 2024]}).perioder == ["2023", "2024"]


# --------------------------------------------------------------------------- plan


def test_plan_all_latest_and_listed():
    from reportgen.run.focus import load_once
    from reportgen.run.plan import plan_items
    from reportgen.run.runfile import Koersel, read_run_file

    spec = read_run_file(BATCH / "koersel.yaml")
    survey = load_once(spec)
    ids = [i.id for i in plan_items(Koersel(perioder="seneste"), survey, "k")]
    assert ids == ["2024K2/Favrskov", "2024K2/Norddjurs", "2024K2/Randers", "2024K2/Syddjurs"]
    items = plan_items(Koersel(kommuner=["Syddjurs Kommune"], perioder=["2024K1", "2024K2"]), survey, "k")
    assert [i.id for i in items] == ["2024K1/Syddjurs", "2024K2/Syddjurs"]
    with pytest.raises(InputError, match="mente du 'Favrskov'"):
        plan_items(Koersel(kommuner=["Favrskow"]), survey, "k")


def test_derived_survey_is_what_load_gives_for_that_focus():
    import dataclasses

    from reportgen.run.focus import invited_for_period, item_survey, load_once
    from reportgen.ingest.load import load
    from reportgen.run.plan import Item
    from reportgen.run.runfile import read_run_file

    spec = read_run_file(BATCH / "koersel.yaml")
    survey = load_once(spec)
    for muni in ("Favrskov", "Randers"):
        direct = load(spec.case_for(muni, ""), spec.base, case_file=str(spec.path))
        derived = item_survey(survey, Item("2024K2", muni), invited_for_period(spec, survey, "2024K2"), 5)
        assert derived.focus == direct.focus and derived.invited == direct.invited
        assert derived.account == direct.account
        assert dataclasses.replace(derived, responses=None, missing_kind=None) == \
            dataclasses.replace(direct, responses=None, missing_kind=None)
    # An earlier period gets that period's invited counts, not the latest period's.
    older = invited_for_period(spec, survey, "2024K1")
    raw = (BATCH / "inviterede.csv").read_text(encoding="utf-8-sig").splitlines()
    row = next(line for line in raw if line.startswith("Randers;2024K1;"))
    assert older is not None and older["Randers"] == int(row.rsplit(";", 1)[1])
    assert older != survey.invited


# --------------------------------------------------------------------------- manifest


def test_item_key_depends_on_every_ingredient():
    from reportgen.run.manifest import InputFile, item_key

    inputs = [InputFile("besvarelser", "b.csv", "a" * 64, 1)]
    base = dict(inputs=inputs, case_settings={"sag": {"titel": "T"}}, period="2024", municipality="Aarhus",
                formats=["pdf"], name="s", templates="t", libraries={"weasyprint": "70"})
    key = item_key(**base)
    assert item_key(**{**base, "formats": ["pdf"]}) == key
    for change in [{"inputs": [InputFile("besvarelser", "b.csv", "b" * 64, 1)]},
                   {"case_settings": {"sag": {"titel": "U"}}}, {"period": "2025"}, {"municipality": "Odder"},
                   {"formats": ["pdf", "html"]}, {"name": "t"}, {"templates": "u"},
                   {"libraries": {"weasyprint": "71"}}]:
        assert item_key(**{**base, **change}) != key, change


def test_up_to_date_needs_same_key_and_untouched_outputs(tmp_path: Path):
    from reportgen.core.atomic import sha256_bytes
    from reportgen.run.manifest import ItemRecord, OutputFile, up_to_date

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "s.html").write_bytes(b"<html></html>")
    rec = ItemRecord("2024", "A", "dannet", "k1",
                     output=(OutputFile("a/s.html", "html", sha256_bytes(b"<html></html>"), 13),))
    assert up_to_date(rec, "k1", tmp_path)
    assert not up_to_date(rec, "k2", tmp_path)
    (tmp_path / "a" / "s.html").write_bytes(b"<html>!</html>")
    assert not up_to_date(rec, "k1", tmp_path)
    (tmp_path / "a" / "s.html").unlink()
    assert not up_to_date(rec, "k1", tmp_path)
    assert not up_to_date(None, "k1", tmp_path)


def test_unreadable_previous_manifest_is_ignored_with_a_warning(tmp_path: Path):
    from reportgen.run.manifest import read_previous

    (tmp_path / "manifest.json").write_text("{ikke json", encoding="utf-8")
    data, why = read_previous(tmp_path)
    assert data is None and why and "kan ikke læses" in why


# --------------------------------------------------------------------------- pool


def _work(task: int) -> int:
    if task == 3:
        os._exit(7)
    if task == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return task * task


def test_pool_survives_dying_workers():
    from reportgen.run.pool import Crash, run_tasks

    results = dict(run_tasks(list(range(8)), _work, jobs=2))
    assert sorted(results) == list(range(8))
    assert isinstance(results[3], Crash) and "afslutningskode 7" in results[3].message
    assert isinstance(results[5], Crash) and "SIGKILL" in results[5].message
    assert {k: v for k, v in results.items() if k not in (3, 5)} == {k: k * k for k in (0, 1, 2, 4, 6, 7)}


def test_pool_stops_its_workers_when_the_consumer_stops():
    from reportgen.run.pool import run_tasks

    gen = run_tasks(list(range(20)), _square_slowly, jobs=2)
    next(gen)
    gen.close()  # e.g. Ctrl-C in the parent: the finally block stops every worker
    import multiprocessing

    assert not [p for p in multiprocessing.active_children() if p.is_alive()]


def _square_slowly(task: int) -> int:
    import time

    time.sleep(0.05)
    return task * task


# --------------------------------------------------------------------------- log and files


def test_plain_log_lines_are_timestamped():
    from reportgen.run.manifest import ItemError, ItemRecord
    from reportgen.run.runlog import PlainLog, make_log

    buf = io.StringIO()
    log = make_log(buf)
    assert isinstance(log, PlainLog)  # not a terminal
    log.info("Kørsel startet")
    log.start(2)
    log.item(ItemRecord("2024", "Aarhus", "dannet", "k", varighed_s=1.25))
    log.item(ItemRecord("2024", "Samsø", "fejlet", "k", fejl=ItemError("input", "for få besvarelser")))
    lines = buf.getvalue().splitlines()
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", line) for line in lines)
    assert lines[1].endswith("[1/2] 2024/Aarhus: dannet på 1,2 s") or lines[1].endswith("dannet på 1,3 s")
    assert "fejl: [2/2] 2024/Samsø: FEJLET (inputfejl): for få besvarelser" in lines[2]


def test_progress_bar_in_a_terminal(tmp_path: Path, capsys):
    from reportgen.run.batch import run_batch
    from reportgen.run.runlog import ProgressLog, make_log

    assert isinstance(make_log(io.StringIO(), interactive=True), ProgressLog)
    run_file = make_batch_dir(tmp_path, formats=("html",), kommuner=["Norddjurs"], perioder="seneste")
    buf = io.StringIO()
    assert run_batch(run_file, jobs=1, stream=buf, interactive=True) == 0
    assert "Færdig" in buf.getvalue() and "1/1" in buf.getvalue()


def test_atomic_group_write_keeps_old_files_when_abandoned(tmp_path: Path):
    from reportgen.core.atomic import remove_stale_temps, write_files

    write_files(tmp_path, {"a.html": b"old", "a.docx": b"old"})
    assert write_files(tmp_path, {"a.html": b"new", "a.docx": b"new"}, before_rename=lambda: False) == []
    assert (tmp_path / "a.html").read_bytes() == b"old" and (tmp_path / "a.docx").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "a.html"]
    (tmp_path / ".a.html.x1y2.tmp").write_bytes(b"half")
    assert remove_stale_temps(tmp_path) == 1
