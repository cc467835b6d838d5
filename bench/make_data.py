"""Benchmark data: a size name → synthetic KL-style files, a case file and a run file in bench/data/.

``national`` is shaped like KL's tværkommunale borgerundersøgelse 2024: 44 municipalities,
31.500 respondents, one period. ``million`` is the same survey scaled up to 1.000.000
respondents (about 110 MB of CSV). Neither is committed (bench/data/ is git-ignored);
both are made on demand with a fixed seed, so the same command gives the same bytes:

    python bench/make_data.py national [million] [--out bench/data] [--force]

Each size gets a folder with ``besvarelser.csv``, ``katalog.csv``, ``inviterede.csv``,
``sag.yaml`` (one report, focus Norddjurs) and ``koersel.yaml`` (every municipality).
``national-xlsx`` is ``national`` with the answers as an Excel workbook
(``besvarelser.xlsx``: numbers as numbers, labels as text, as survey providers export
them), for ``reportgen validate``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a fresh clone
    sys.path.insert(0, str(ROOT))

DATA_DIR = ROOT / "bench" / "data"


@dataclass(frozen=True)
class Size:
    name: str
    respondents: int
    periods: tuple[str, ...]
    seed: int


SIZES = {
    "national": Size("national", 31_500, ("2024",), 2024),
    "million": Size("million", 1_000_000, ("2024",), 2025),
}

CASE_YAML = """\
# Benchmark: én sagsfremstilling for Norddjurs ud fra {n} syntetiske besvarelser fra 44 kommuner.
profil: sagsfremstilling
sag:
  titel: Resultater fra KL's tværkommunale borgerundersøgelse
  kommune: Norddjurs Kommune
  udvalg: Arbejdsmarkedsudvalget
  moededato: 2024-06-17
  sagsnummer: "24/1370"
  dato: 2024-06-03
data:
  besvarelser: besvarelser.csv
  katalog: katalog.csv
  inviterede: inviterede.csv
  fokus: Norddjurs
  kolonner:
    respondent_id: respondent_id
    kommune: kommune
    maalgruppe: maalgruppe
    koen: koen
    alder: alder
    periode: periode
    kommentar: kommentar
tekster:
  indstilling:
    punkter:
      - at orienteringen tages til efterretning.
  sagsfremstilling: >-
    Forvaltningen gennemgår resultaterne med medarbejderne i jobcentret.
  sammenhaeng: Der er sammenhæng til kommunens beskæftigelsesplan.
  oekonomi: Sagen har ingen økonomiske konsekvenser.
  lovgrundlag: Intet relevant lovgrundlag.
  bilag:
    - Rapport tværkommunal borgerundersøgelse
"""

RUN_YAML = """\
# Benchmark: en sagsfremstilling for hver af de 44 kommuner i seneste periode.
koersel:
  kommuner: alle
  perioder: seneste
  formater: [pdf, docx, html]
  navn: sagsfremstilling
  output: output
profil: sagsfremstilling
sag:
  titel: Resultater fra KL's tværkommunale borgerundersøgelse {{periode}}
  kommune: "{{kommune}} Kommune"
  udvalg: Arbejdsmarkedsudvalget
  moededato: 2024-06-17
  dato: 2024-06-03
data:
  besvarelser: besvarelser.csv
  katalog: katalog.csv
  inviterede: inviterede.csv
  kolonner:
    respondent_id: respondent_id
    kommune: kommune
    maalgruppe: maalgruppe
    koen: koen
    alder: alder
    periode: periode
    kommentar: kommentar
tekster:
  indstilling:
    punkter:
      - at orienteringen tages til efterretning.
  sagsfremstilling: >-
    Forvaltningen gennemgår resultaterne med medarbejderne i Jobcenter {{kommune}}.
  sammenhaeng: Der er sammenhæng til kommunens beskæftigelsesplan.
  oekonomi: Sagen har ingen økonomiske konsekvenser.
  lovgrundlag: Intet relevant lovgrundlag.
  bilag:
    - Rapport tværkommunal borgerundersøgelse
"""


def make(size: Size, out: Path, force: bool = False) -> Path:
    """Write the files of ``size`` into ``out/<name>/`` (skipped when present, unless ``force``)."""
    sys.path.insert(0, str(ROOT / "fixtures"))  # the test-data generator
    from synth import MUNICIPALITIES, generate, write_csv

    folder = out / size.name
    done = folder / ".complete"
    if done.is_file() and not force:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    done.unlink(missing_ok=True)
    responses, catalogue, invited = generate(size.respondents, MUNICIPALITIES, seed=size.seed,
                                             periods=list(size.periods))
    write_csv(responses, folder / "besvarelser.csv")
    del responses
    write_csv(catalogue, folder / "katalog.csv")
    write_csv(invited, folder / "inviterede.csv")
    n_text = f"{size.respondents:,}".replace(",", ".")
    (folder / "sag.yaml").write_text(CASE_YAML.format(n=n_text), encoding="utf-8")
    (folder / "koersel.yaml").write_text(RUN_YAML.replace("{{", "{").replace("}}", "}"), encoding="utf-8")
    done.write_text("ok\n", encoding="utf-8")
    return folder


def make_xlsx(out: Path, force: bool = False) -> Path:
    """``national`` with ``besvarelser.xlsx`` in place of the CSV (``out/national-xlsx/``)."""
    import pandas as pd
    from openpyxl import Workbook

    national = make(SIZES["national"], out)
    folder = out / "national-xlsx"
    done = folder / ".complete"
    if done.is_file() and not force:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    done.unlink(missing_ok=True)
    frame = pd.read_csv(national / "besvarelser.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Besvarelser")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    book.save(folder / "besvarelser.xlsx")
    for name in ("katalog.csv", "inviterede.csv"):
        (folder / name).write_bytes((national / name).read_bytes())
    case = (national / "sag.yaml").read_text(encoding="utf-8").replace("besvarelser.csv", "besvarelser.xlsx")
    (folder / "sag.yaml").write_text(case, encoding="utf-8")
    done.write_text("ok\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Dan syntetiske benchmarkdata i bench/data/.")
    parser.add_argument("sizes", nargs="*", default=["national"], choices=sorted([*SIZES, "national-xlsx"]),
                        help="hvilke datasæt (standard: national)")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="mappe (standard: bench/data)")
    parser.add_argument("--force", action="store_true", help="dan filerne igen, selv om de findes")
    args = parser.parse_args(argv)
    for name in args.sizes:
        folder = make_xlsx(args.out, args.force) if name == "national-xlsx" else make(SIZES[name], args.out, args.force)
        print(f"{name}: {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
