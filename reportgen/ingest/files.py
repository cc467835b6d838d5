"""The files a case names, read into ``RawTable``s: what one load collects on its way
(problems, warnings, how each file was read), paths relative to the case file, the
scales, the catalogue, the data file and the invited file."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from pathlib import Path

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.ingest.catalogue import from_catalogue
from reportgen.ingest.read import RawTable, describe, read_table
from reportgen.ingest.scales import BUILTIN, Coding, read_scale_file, scale_from_definition
from reportgen.models.survey import Question, Scale
from reportgen.settings.case import CaseFile


@dataclass
class Work:
    """What one load collects on its way: problems, warnings, how each file was read."""

    case_file: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def read(self, table: RawTable, first: bool = False) -> RawTable:
        """Note how ``table`` was read (for the account's ``sources``; the data file ``first``)."""
        self.sources.insert(0 if first else len(self.sources), f"{table.file}: {describe(table)}")
        return table


def checked_encoding(case: CaseFile, work: Work) -> CaseFile:
    """An unknown data.kodning is reported once; the files are then read with detection."""
    import codecs

    from reportgen.ingest.read import encoding_name

    enc = case.data.kodning
    if not enc:
        return case
    try:
        codecs.lookup(encoding_name(enc))
    except LookupError:
        work.problems.append(Problem(message("ingest", "unknown_encoding"), file=work.case_file, column="data.kodning",
                                     value=enc, expected=message("ingest", "unknown_case_encoding_expected")))
        return case.model_copy(update={"data": case.data.model_copy(update={"kodning": None})})
    return case


def resolve(base: Path, rel: str, allowed: Sequence[str] = (), key: str | None = None,
            case_file: str | None = None) -> Path:
    """A path from the case file, relative to its folder, inside the case (``core.paths``:
    ``~`` and Windows backslashes work; a path or symlink leading out is refused)."""
    from reportgen.core.paths import resolve_inside

    return resolve_inside(rel, base, allowed, key=key, file=case_file)


def read_scales(case: CaseFile, base: Path, work: Work) -> tuple[dict[str, Scale], dict[str, Coding]]:
    """Built-in scales, then the shared scale file(s), then the case file's own (later wins)."""
    scales: dict[str, Scale] = dict(BUILTIN)
    codings: dict[str, Coding] = {}
    files = [case.data.skalafil] if isinstance(case.data.skalafil, str) else list(case.data.skalafil or [])
    for rel in files:
        for name, sd in read_scale_file(resolve(base, rel, case.data.tilladte_mapper, "data.skalafil", work.case_file),
                                        rel, work.problems).items():
            _add_scale(name, sd, rel, f"{name}", scales, codings, work)
    for name, sd in case.data.skalaer.items():
        _add_scale(name, sd, work.case_file, f"data.skalaer.{name}", scales, codings, work)
    return scales, codings


def _add_scale(name: str, sd: object, source: str, where: str, scales: dict[str, Scale],
               codings: dict[str, Coding], work: Work) -> None:
    built = scale_from_definition(name, sd, source, work.problems, where=where)
    if built is not None:
        scales[name], codings[name] = built


def read_catalogue(case: CaseFile, base: Path, scales: dict[str, Scale], work: Work) -> list[Question]:
    d = case.data
    if d.katalog:
        path = resolve(base, d.katalog, d.tilladte_mapper, "data.katalog", work.case_file)
        display, sheet = d.katalog, d.katalog_ark
    elif d.katalog_ark is not None:
        path = resolve(base, d.besvarelser, d.tilladte_mapper, "data.besvarelser", work.case_file)
        display, sheet = message("ingest", "catalogue_sheet", file=d.besvarelser, sheet=d.katalog_ark), d.katalog_ark
        if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
            work.problems.append(Problem(message("ingest", "catalogue_sheet_needs_workbook"),
                                         file=work.case_file, column="data.katalog_ark", value=str(d.katalog_ark),
                                         expected=message("ingest", "catalogue_sheet_needs_workbook_expected")))
            return []
    else:
        return []
    expected = [d.katalog_kolonner.get(k, k) for k in ("id", "kolonne", "tekst", "tema", "skala")]
    try:
        table = work.read(read_table(path, display=display, expected=expected, sheet=sheet, encoding=d.kodning))
    except InputError as exc:
        work.problems.extend(exc.problems)
        return []
    return from_catalogue(table, scales, work.problems, d.katalog_kolonner, d.standardskala, work.case_file)


def read_data(case: CaseFile, base: Path, catalogue: list[Question], work: Work) -> RawTable | None:
    d = case.data
    cols = d.kolonner
    expected = [c for c in (cols.respondent_id, cols.kommune, cols.maalgruppe, cols.koen, cols.alder,
                            cols.periode, cols.kommentar, *cols.ekstra.values()) if c]
    expected += [q.column for q in catalogue] + [q.kolonne for q in d.spoergsmaal if q.kolonne]
    expected += [c for q in d.spoergsmaal for c in (q.kolonner or [])]
    try:
        path = resolve(base, d.besvarelser, d.tilladte_mapper, "data.besvarelser", work.case_file)
        return work.read(read_table(path, display=d.besvarelser, expected=expected,
                                    sheet=d.ark, encoding=d.kodning, delimiter=d.skilletegn,
                                    header_row=d.overskriftsraekke), first=True)
    except InputError as exc:
        work.problems.extend(exc.problems)
        return None


def read_invited(case: CaseFile, base: Path, work: Work) -> RawTable | None:
    d = case.data
    if not d.inviterede:
        return None
    try:
        path = resolve(base, d.inviterede, d.tilladte_mapper, "data.inviterede", work.case_file)
        return work.read(read_table(path, display=d.inviterede,
                                    expected=("kommune", "inviterede", "periode", "maalgruppe"),
                                    sheet=d.inviterede_ark, encoding=d.kodning))
    except InputError as exc:
        work.problems.extend(exc.problems)
        return None
