"""The batch and a single build share one pipeline: the batch reads the data with
``sources.load_all`` (earlier exports included), derives each item's focus with the
loader's public functions and builds with ``api.build_from_survey``."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import yaml

from reportgen.cli import main
from tests.batch_helpers import manifest, make_batch_dir

ROOT = Path(__file__).resolve().parents[2]
BATCH_MODULES = sorted(str(p.relative_to(ROOT / "reportgen")) for p in (ROOT / "reportgen" / "run").glob("*.py"))


def test_batch_modules_use_no_private_names_of_other_modules():
    assert "run/batch.py" in BATCH_MODULES
    for name in BATCH_MODULES:
        tree = ast.parse((ROOT / "reportgen" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportgen"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                assert not private, f"{name} imports {private} from {node.module}"
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and isinstance(node.value, ast.Name) and node.value.id in ("load", "loadmod", "case", "api"):
                raise AssertionError(f"{name} uses {node.value.id}.{node.attr}")


def test_build_from_survey_is_build_after_loading(tmp_path: Path):
    from reportgen.api import build, build_from_survey
    from reportgen.settings.case import load_case
    from reportgen.ingest.sources import load_all

    path = ROOT / "fixtures" / "demo" / "sag.yaml"
    case, base = load_case(path)
    report = build_from_survey(case, path, load_all(case, base, case_file=str(path)), base=base)
    assert report.render("html") == build(path).render("html")


def _split_exports(folder: Path) -> None:
    """besvarelser.csv → the 2024K2 rows (main export) and tidligere.csv (the 2024K1 rows)."""
    with (folder / "besvarelser.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    col = rows[0].index("periode")
    for name, period in (("besvarelser.csv", "2024K2"), ("tidligere.csv", "2024K1")):
        with (folder / name).open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, delimiter=";", lineterminator="\n").writerows(
                [rows[0]] + [r for r in rows[1:] if r[col] == period])


def test_batch_with_an_earlier_export_equals_a_single_build(tmp_path: Path, capsys):
    """``analyse.tidligere`` in a run file: each item has the trend a single build has."""
    from reportgen.api import build
    from reportgen.run.runfile import read_run_file

    run_file = make_batch_dir(tmp_path, formats=("html",), kommuner=["Norddjurs", "Randers"], perioder="alle")
    _split_exports(tmp_path)
    raw = yaml.safe_load(run_file.read_text(encoding="utf-8"))
    raw["analyse"]["tidligere"] = [{"periode": "2024K1", "besvarelser": "tidligere.csv"}]
    run_file.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code = main(["batch", str(run_file), "--jobs", "2"])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert [e["id"] for e in manifest(tmp_path / "out")["elementer"]] == \
        ["2024K1/Norddjurs", "2024K1/Randers", "2024K2/Norddjurs", "2024K2/Randers"]
    spec = read_run_file(run_file)
    for muni in ("Norddjurs", "Randers"):
        report = build(run_file, case=spec.case_for(muni, "2024K2"))
        assert report.results.trend is not None and report.results.trend.periods == ("2024K1", "2024K2")
        html = (tmp_path / "out" / "2024K2" / muni / "sagsfremstilling.html").read_bytes()
        assert report.render("html") == html
        bilag = (tmp_path / "out" / "2024K2" / muni / "sagsfremstilling-bilag-1.html").read_bytes()
        assert report.render("html", report.attachments[0]) == bilag
        assert "Udvikling over tid" in bilag.decode("utf-8")


def test_sagsfil_paths_of_earlier_exports_and_other_files_are_relative_to_it(tmp_path: Path):
    from reportgen.run.runfile import read_run_file

    cases = tmp_path / "sager"
    cases.mkdir()
    (cases / "sag.yaml").write_text(yaml.safe_dump({
        "sag": {"titel": "T", "kommune": "X", "udvalg": "U"},
        "data": {"besvarelser": "b.csv", "skalafil": ["skalaer.yaml"]},
        "analyse": {"tidligere": [{"periode": "2023", "besvarelser": "b23.csv", "katalog": "k23.csv"}],
                    "benchmark_tabel": "bench.csv", "kommentarer": {"navneliste": "navne.txt"}}},
        allow_unicode=True), encoding="utf-8")
    run = tmp_path / "koersel.yaml"
    run.write_text(yaml.safe_dump({"sagsfil": "sager/sag.yaml", "koersel": {"kommuner": ["X"]}}), encoding="utf-8")
    spec = read_run_file(run)
    folder = cases.resolve()
    assert dict((role, Path(p)) for role, p in spec.data_files()) == {
        "besvarelser": folder / "b.csv", "skalafil": folder / "skalaer.yaml", "tidligere": folder / "b23.csv",
        "tidligere_katalog": folder / "k23.csv", "benchmark_tabel": folder / "bench.csv",
        "navneliste": folder / "navne.txt"}
    case = spec.case_for("X", "")
    assert Path(case.analyse.tidligere[0].besvarelser) == folder / "b23.csv"
    assert Path(case.analyse.benchmark_tabel) == folder / "bench.csv"


def test_a_changed_earlier_export_rebuilds_the_items(tmp_path: Path, capsys):
    run_file = make_batch_dir(tmp_path, formats=("html",), kommuner=["Norddjurs"], perioder="seneste")
    _split_exports(tmp_path)
    raw = yaml.safe_load(run_file.read_text(encoding="utf-8"))
    raw["analyse"]["tidligere"] = [{"periode": "2024K1", "besvarelser": "tidligere.csv"}]
    run_file.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["batch", str(run_file), "--jobs", "1"]) == 0
    roles = {i["rolle"]: i["fil"] for i in manifest(tmp_path / "out")["input"]}
    assert roles["tidligere"] == "tidligere.csv"
    lines = (tmp_path / "tidligere.csv").read_text(encoding="utf-8-sig").splitlines()
    (tmp_path / "tidligere.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8-sig")
    capsys.readouterr()
    assert main(["batch", str(run_file), "--jobs", "1"]) == 0
    assert "1 dannet, 0 uændrede" in capsys.readouterr().out


def test_without_names_to_start_from_the_municipality_column_is_used(tmp_path: Path, capsys):
    """No koersel.kommuner, no data.fokus, no invited file: the data names the municipalities,
    and without a municipality column that is an input error of the run."""
    from tests.batch_helpers import edit_run_file

    run_file = make_batch_dir(tmp_path, formats=("html",), perioder="seneste")
    edit_run_file(run_file, data__inviterede=None)
    assert main(["batch", str(run_file), "--jobs", "2"]) == 0
    assert [e["id"] for e in manifest(tmp_path / "out")["elementer"]] == \
        ["2024K2/Favrskov", "2024K2/Norddjurs", "2024K2/Randers", "2024K2/Syddjurs"]
    capsys.readouterr()
    with (tmp_path / "besvarelser.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    col = rows[0].index("kommune")
    with (tmp_path / "besvarelser.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\n").writerows([r[:col] + r[col + 1:] for r in rows])
    edit_run_file(run_file, data__kolonner__kommune=None)
    assert main(["batch", str(run_file), "--jobs", "2"]) == 2
    assert "Besvarelserne har ingen kommunekolonne" in capsys.readouterr().err
