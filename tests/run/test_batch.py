"""``reportgen batch``: many reports from one run file, a manifest, incremental re-runs,
fault isolation and exit codes (4 municipalities × 2 quarters, 800 respondents)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from reportgen.cli import main
from tests.batch_helpers import BATCH, edit_run_file, make_batch_dir, manifest, outputs

MUNIS = ["Favrskov", "Norddjurs", "Randers", "Syddjurs"]
PERIODS = ["2024K1", "2024K2"]
ITEMS = [f"{p}/{m}" for p in PERIODS for m in MUNIS]


def run(capsys, run_file: Path, *args: str) -> tuple[int, str, str]:
    code = main(["batch", str(run_file), "--jobs", "2", *args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One complete run (HTML + DOCX), shared read-only; tests copy it before changing it."""
    folder = tmp_path_factory.mktemp("built")
    run_file = make_batch_dir(folder)
    assert main(["batch", str(run_file), "--jobs", "2"]) == 0
    return folder


@pytest.fixture()
def copy_of_built(built: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "run"
    shutil.copytree(built, dest)
    return dest / "koersel.yaml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_builds_every_municipality_and_period(built: Path):
    out = built / "out"
    files = outputs(out)
    assert sorted(files) == sorted([f"{i}/sagsfremstilling{b}.{f}" for i in ITEMS for f in ("docx", "html")
                                    for b in ("", "-bilag-1")] + [f"{i}/sagsfremstilling.indhold.json" for i in ITEMS])
    html = files["2024K1/Norddjurs/sagsfremstilling.html"].decode("utf-8")
    assert "Borgerundersøgelsen på beskæftigelsesområdet, 2024K1" in html  # {periode} filled in
    assert "Jobcenter Norddjurs" in html and "24/1370" in html  # {kommune} and pr_kommune
    other = files["2024K1/Randers/sagsfremstilling.html"].decode("utf-8")
    assert "Jobcenter Randers" in other and "24/1370" not in other


def test_manifest_lists_inputs_settings_outputs_and_version(built: Path):
    m = manifest(built / "out")
    assert m["manifest_version"] == 1 and m["reportgen_version"] == "0.1.0"
    assert m["status"] == "fuldført" and m["exitkode"] == 0 and m["jobs"] == 2 and m["tvunget"] is False
    inputs = {i["rolle"]: i for i in m["input"]}
    for role in ("besvarelser", "katalog", "inviterede"):
        assert inputs[role]["sha256"] == _sha(built / f"{role}.csv")
        assert inputs[role]["bytes"] == (built / f"{role}.csv").stat().st_size
    assert m["koerselsfil"]["sha256"] == _sha(built / "koersel.yaml")
    assert len(m["skabeloner_sha256"]) == 64 and "weasyprint" in m["biblioteker"]
    assert m["indstillinger"]["koersel"]["formater"] == ["html", "docx"]
    assert m["indstillinger"]["standard"]["analyse"]["min_n"] == 5
    assert m["opsummering"] == {"dannet": 8, "uaendret": 0, "fejlet": 0}
    assert [e["id"] for e in m["elementer"]] == ITEMS
    for e in m["elementer"]:
        assert e["status"] == "dannet" and e["fejl"] is None and len(e["noegle"]) == 64
        assert e["varighed_s"] > 0 and {"analyse", "figurer", "html", "docx", "skriv"} <= set(e["trin_s"])
        assert isinstance(e["advarsler"], list)
        assert {o["format"] for o in e["output"]} == {"html", "docx", "indhold"}
        for o in e["output"]:
            assert o["sha256"] == _sha(built / "out" / o["fil"])
    history = list((built / "out" / "manifester").glob("*.json"))
    assert len(history) == 1


def test_second_run_rebuilds_nothing(copy_of_built: Path, capsys):
    out = copy_of_built.parent / "out"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("sagsfremstilling.*")}
    code, stdout, stderr = run(capsys, copy_of_built)
    assert code == 0, stdout + stderr
    assert "0 dannet, 8 uændrede, 0 fejlet" in stdout
    assert "Data indlæst" not in stderr  # nothing to build: the data is not even read
    assert {p: p.stat().st_mtime_ns for p in out.rglob("sagsfremstilling.*")} == before
    m = manifest(out)
    assert {e["status"] for e in m["elementer"]} == {"uaendret"}
    assert all(e["output"] and e["dannet"] for e in m["elementer"])


@pytest.fixture()
def small_built(tmp_path: Path) -> Path:
    """One municipality, two quarters, HTML only: for tests that rebuild everything."""
    run_file = make_batch_dir(tmp_path, formats=("html",), kommuner=["Syddjurs"])
    assert main(["batch", str(run_file), "--jobs", "2"]) == 0
    return run_file


def test_force_rebuilds_everything_with_the_same_bytes(small_built: Path, capsys):
    out = small_built.parent / "out"
    before = outputs(out)
    code, stdout, _ = run(capsys, small_built, "--force")
    assert code == 0 and "2 dannet, 0 uændrede" in stdout
    assert outputs(out) == before  # same input, same bytes
    assert manifest(out)["tvunget"] is True


def test_only_what_changed_is_rebuilt(copy_of_built: Path, capsys):
    out = copy_of_built.parent / "out"
    edit_run_file(copy_of_built, koersel__pr_kommune={"Norddjurs": {"sag": {"sagsnummer": "24/9999"}}})
    (out / "2024K1" / "Randers" / "sagsfremstilling.docx").unlink()
    code, stdout, stderr = run(capsys, copy_of_built)
    assert code == 0, stdout + stderr
    built = sorted(e["id"] for e in manifest(out)["elementer"] if e["status"] == "dannet")
    assert built == ["2024K1/Norddjurs", "2024K1/Randers", "2024K2/Norddjurs"]
    assert "24/9999" in (out / "2024K2/Norddjurs/sagsfremstilling.html").read_text(encoding="utf-8")


def test_changed_data_rebuilds_everything(small_built: Path, capsys):
    data = small_built.parent / "besvarelser.csv"
    lines = data.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    data.write_text("".join(lines[:-1]), encoding="utf-8-sig")  # one respondent less
    code, stdout, stderr = run(capsys, small_built)
    assert code == 0 and "2 dannet, 0 uændrede" in stdout and "Data indlæst" in stderr


def test_selection_of_municipalities_and_latest_period(tmp_path: Path, capsys):
    run_file = make_batch_dir(tmp_path, formats=("html",), kommuner=["norddjurs kommune", "Randers"],
                              perioder="seneste")
    code, stdout, _ = run(capsys, run_file)
    assert code == 0
    assert [e["id"] for e in manifest(tmp_path / "out")["elementer"]] == ["2024K2/Norddjurs", "2024K2/Randers"]


def test_data_without_periods_and_a_case_file_as_defaults(tmp_path: Path, capsys):
    import yaml

    demo = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
    run_file = tmp_path / "koersel.yaml"
    run_file.write_text(yaml.safe_dump({
        "sagsfil": str(demo / "sag.yaml"), "data": {"kolonner": {"periode": None}},
        "koersel": {"kommuner": ["Aarhus"], "formater": ["html"], "output": "ud"}}), encoding="utf-8")
    code, stdout, _ = run(capsys, run_file)
    assert code == 0, stdout
    assert (tmp_path / "ud" / "samlet" / "Aarhus" / "sagsfremstilling.html").is_file()
    assert [e["id"] for e in manifest(tmp_path / "ud")["elementer"]] == ["samlet/Aarhus"]
    code, stdout, _ = run(capsys, run_file)
    assert code == 0 and "0 dannet, 1 uændrede" in stdout


def test_run_file_paths_with_home_and_backslashes(tmp_path: Path, capsys, monkeypatch):
    """A run file's paths go through the one path resolver (core.paths): ``~`` is the home
    folder and Windows backslashes work, in the run file itself (sagsfil, output, data) and
    in the case file it takes its defaults from."""
    import yaml

    home = tmp_path / "hjem"
    case_dir = home / "projekt" / "sager"
    (case_dir / "data").mkdir(parents=True)
    for f in ("besvarelser.csv", "katalog.csv", "inviterede.csv"):
        shutil.copy(BATCH / f, case_dir / "data" / f)
    raw = yaml.safe_load((BATCH / "koersel.yaml").read_text(encoding="utf-8"))
    case = {k: raw[k] for k in ("profil", "sag", "data", "analyse", "tekster")}
    case["data"].update({"besvarelser": r"data\besvarelser.csv", "katalog": r"data\katalog.csv",
                         "inviterede": "~/projekt/sager/data/inviterede.csv"})
    case["sag"]["titel"] = "Hjemmemappe og skråstreger, {periode}"
    (case_dir / "sag.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    run_file = home / "projekt" / "koersel.yaml"
    run_file.write_text(yaml.safe_dump({
        "sagsfil": r"~/projekt/sager\sag.yaml",
        "data": {"besvarelser": r"~/projekt/sager\data\besvarelser.csv"},
        "koersel": {"kommuner": ["Norddjurs"], "perioder": "seneste", "formater": ["html"],
                    "output": "~/projekt/ud"}}, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    code, stdout, stderr = run(capsys, run_file)
    assert code == 0, stdout + stderr
    html = (home / "projekt" / "ud" / "2024K2" / "Norddjurs" / "sagsfremstilling.html").read_text(encoding="utf-8")
    assert "Hjemmemappe og skråstreger, 2024K2" in html
    inputs = {i["rolle"]: i for i in manifest(home / "projekt" / "ud")["input"]}
    assert inputs["besvarelser"]["sha256"] == _sha(BATCH / "besvarelser.csv")
    assert inputs["katalog"]["sha256"] == _sha(BATCH / "katalog.csv")
    assert inputs["inviterede"]["sha256"] == _sha(BATCH / "inviterede.csv")


def test_batch_item_equals_a_single_build(built: Path):
    """The survey is read once and the focus derived per item; the result is what
    ``reportgen build`` gives for a case file with that municipality as ``data.fokus``."""
    from reportgen.api import build
    from reportgen.run.runfile import read_run_file

    spec = read_run_file(built / "koersel.yaml")
    for muni in ("Norddjurs", "Randers"):
        report = build(built / "koersel.yaml", case=spec.case_for(muni, "2024K2"))
        folder = built / "out" / "2024K2" / muni
        assert report.render("html") == (folder / "sagsfremstilling.html").read_bytes()
        assert report.render("docx") == (folder / "sagsfremstilling.docx").read_bytes()


def test_method_note_counts_the_rows_of_the_items_period(built: Path):
    """An item of the earlier period uses its own rows; the later period's are not used."""
    import csv

    with (built / "besvarelser.csv").open(encoding="utf-8-sig") as fh:
        periods = [r["periode"] for r in csv.DictReader(fh, delimiter=";")]
    n1, n2 = periods.count("2024K1"), periods.count("2024K2")
    first = (built / "out" / "2024K1" / "Randers" / "sagsfremstilling-bilag-1.html").read_text(encoding="utf-8")
    assert f"I alt er {n1 + n2} besvarelser indlæst: {n1} fra målingen 2024K1 og {n2} fra senere målinger, som " \
           "ikke indgår." in first
    last = (built / "out" / "2024K2" / "Randers" / "sagsfremstilling-bilag-1.html").read_text(encoding="utf-8")
    assert f"I alt er {n1 + n2} besvarelser indlæst: {n2} fra målingen 2024K2 og {n1} fra tidligere målinger, " \
           "som kun bruges til at vise udviklingen over tid." in last


# --------------------------------------------------------------------------- failures


def test_bad_data_for_one_municipality_fails_alone(tmp_path: Path, capsys):
    from synth import generate, write_csv

    run_file = make_batch_dir(tmp_path, formats=("html",))
    responses, catalogue, invited = generate(400, ["Norddjurs", "Syddjurs", "Samsø"], seed=7,
                                             periods=PERIODS, sizes={"Samsø": 4})
    write_csv(responses, tmp_path / "besvarelser.csv")
    write_csv(invited, tmp_path / "inviterede.csv")
    code, stdout, stderr = run(capsys, run_file)
    assert code == 2, stdout + stderr  # every failure is an input error
    m = manifest(tmp_path / "out")
    by_id = {e["id"]: e for e in m["elementer"]}
    for p in PERIODS:
        samso = by_id[f"{p}/Samsø"]
        assert samso["status"] == "fejlet" and samso["fejl"]["art"] == "input" and not samso["output"]
        assert "Samsø har" in samso["fejl"]["besked"] and "besvarelser" in samso["fejl"]["besked"]
        for muni in ("Norddjurs", "Syddjurs"):
            assert by_id[f"{p}/{muni}"]["status"] == "dannet"
            assert (tmp_path / "out" / p / muni / "sagsfremstilling.html").is_file()
    assert m["opsummering"]["fejlet"] >= 1 and m["exitkode"] == 2
    assert "Fejlede sagsfremstillinger:" in stdout and "(inputfejl): Samsø har" in stdout
    assert "Afslutningskode 2" in stdout
    assert "FEJLET (inputfejl)" in stderr


def test_an_exception_in_one_item_does_not_stop_the_others(tmp_path: Path, capsys, monkeypatch):
    from reportgen.charts import figures as charts

    real = charts.theme_chart

    def failing(results, *args, **kwargs):
        if results.focus.name == "Favrskov":
            raise RuntimeError("kunstig fejl i figuren")
        return real(results, *args, **kwargs)

    monkeypatch.setattr(charts, "theme_chart", failing)  # inherited by the forked workers
    run_file = make_batch_dir(tmp_path, formats=("html",))
    code, stdout, stderr = run(capsys, run_file)
    assert code == 1, stdout + stderr
    by_id = {e["id"]: e for e in manifest(tmp_path / "out")["elementer"]}
    for i in ITEMS:
        if i.endswith("Favrskov"):
            assert by_id[i]["status"] == "fejlet" and by_id[i]["fejl"]["art"] == "intern"
            assert "RuntimeError: kunstig fejl i figuren" in by_id[i]["fejl"]["besked"]
            assert any("theme_chart" in line or "failing" in line for line in by_id[i]["fejl"]["detaljer"])
        else:
            assert by_id[i]["status"] == "dannet"
    assert "(intern fejl): RuntimeError" in stdout and "Afslutningskode 1" in stdout


def test_a_crashed_worker_costs_only_its_own_item(tmp_path: Path, capsys, monkeypatch):
    from reportgen.charts import figures as charts

    real = charts.distribution_chart

    def crashing(results, *args, **kwargs):
        if results.focus.name == "Randers":
            os._exit(3)  # the worker process dies without a word
        return real(results, *args, **kwargs)

    monkeypatch.setattr(charts, "distribution_chart", crashing)
    run_file = make_batch_dir(tmp_path, formats=("html",))
    code, stdout, stderr = run(capsys, run_file)
    assert code == 1, stdout + stderr
    by_id = {e["id"]: e for e in manifest(tmp_path / "out")["elementer"]}
    assert sorted(i for i, e in by_id.items() if e["status"] == "fejlet") == ["2024K1/Randers", "2024K2/Randers"]
    assert "Arbejdsprocessen stoppede uventet" in by_id["2024K1/Randers"]["fejl"]["besked"]
    assert sum(e["status"] == "dannet" for e in by_id.values()) == 6


def test_input_and_internal_errors_together_give_exit_1(tmp_path: Path, capsys, monkeypatch):
    from reportgen.run.batch import exit_code
    from reportgen.run.manifest import ItemError, ItemRecord

    def rec(kind: str | None) -> ItemRecord:
        return ItemRecord("2024", "X", "fejlet" if kind else "dannet", "k",
                          fejl=ItemError(kind, "x") if kind else None)  # type: ignore[arg-type]

    assert exit_code([rec(None), rec(None)]) == 0
    assert exit_code([rec(None), rec("input")]) == 2
    assert exit_code([rec("input"), rec("intern")]) == 1


def test_unreadable_data_fails_the_whole_run_before_any_item(tmp_path: Path, capsys):
    run_file = make_batch_dir(tmp_path, formats=("html",))
    data = tmp_path / "besvarelser.csv"
    lines = data.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(";")
    row = lines[5].rstrip("\n").split(";")
    row[header.index("q2_1")] = "9"
    lines[5] = ";".join(row) + "\n"
    data.write_text("".join(lines), encoding="utf-8-sig")
    code, stdout, stderr = run(capsys, run_file)
    assert code == 2
    assert "besvarelser.csv" in stderr and "række 6" in stderr and "q2_1" in stderr and "'9'" in stderr
    assert not (tmp_path / "out" / "manifest.json").exists()
    assert not any((tmp_path / "out").rglob("sagsfremstilling.*"))


def test_run_file_errors_are_input_errors(tmp_path: Path, capsys):
    run_file = make_batch_dir(tmp_path, formats=("html",), kommuner=["Norddjurs", "Randres"])
    code, _, stderr = run(capsys, run_file)
    assert code == 2 and "Randres" in stderr and "mente du 'Randers'" in stderr
    edit_run_file(run_file, koersel__kommuner="alle", koersel__perioder=["2023K4"])
    code, _, stderr = run(capsys, run_file)
    assert code == 2 and "2023K4" in stderr and "2024K1" in stderr
    edit_run_file(run_file, koersel__perioder="alle", koersel__jobbe=3)
    code, _, stderr = run(capsys, run_file)
    assert code == 2 and "jobbe" in stderr
    edit_run_file(run_file, koersel__jobbe=None, sag__aabenhed="Halvåben")
    code, _, stderr = run(capsys, run_file)
    assert code == 2 and "sag.aabenhed" in stderr
    code, _, stderr = run(capsys, tmp_path / "findes-ikke.yaml")
    assert code == 2 and "Kørselsfilen findes ikke" in stderr


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path, capsys):
    import fcntl

    run_file = make_batch_dir(tmp_path, formats=("html",))
    (tmp_path / "out").mkdir()
    with open(tmp_path / "out" / ".reportgen-batch.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, _, stderr = run(capsys, run_file)
    assert code == 2 and "En anden kørsel" in stderr


def test_example_run_file_is_valid():
    from reportgen.run.runfile import read_run_file

    spec = read_run_file(BATCH / "koersel.yaml")
    assert spec.koersel.perioder == "alle" and spec.koersel.formater == ["pdf", "docx", "html"]
