"""The case file: YAML → ``CaseFile`` (metadata, data sources, analysis settings, texts).

One typed object with nested sections. Unknown keys are rejected with a Danish message
that names the key, the allowed keys and the closest match. Paths in the case file are
relative to the case file's folder.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any, Literal

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from reportgen.core import yamlio
from reportgen.core.templating import message
from reportgen.errors import InputError, Problem


def _ja_nej(v: Any) -> Any:
    """Accept the Danish 'ja'/'nej' (YAML reads them as text) as well as true/false."""
    if isinstance(v, str):
        t = v.strip().lower()
        if t in ("ja", "j", "yes", "true", "sand"):
            return True
        if t in ("nej", "n", "no", "false", "falsk"):
            return False
    return v


JaNej = Annotated[bool, BeforeValidator(_ja_nej)]


def _text(v: Any) -> Any:
    """A YAML scalar as the text a data cell would hold (706 → '706', 1.0 → '1')."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float)):
        return str(v)
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True)


class Sag(_Strict):
    """Metadata for the title block and the document properties, and the PDF's form.

    ``pdf_variant``: ``pdf/a-2a+ua-1`` (the default: tagged and accessible — structure
    tree, language, alt texts, marked table headers — and archival, PDF/A-2a), ``pdf/ua-1``
    (tagged only), ``pdf/a-2b`` (archival, not tagged) or ``standard`` (PDF 1.7, not
    tagged). Only ``standard`` and ``pdf/a-2b`` turn the tagging off.

    ``pdf_motor``: what typesets the PDF — ``typst`` (the default: fast on any machine) or
    ``weasyprint`` (from the HTML preview's markup and stylesheet, ``templates/css``).
    """

    titel: str
    kommune: str
    udvalg: str
    moededato: dt.date | None = None
    moedested: str = ""
    sagsnummer: str = ""
    aabenhed: Literal["Åben", "Lukket"] = "Åben"
    sagsgang: list[str] = Field(default_factory=list)
    status: Literal["udkast", "endelig"] = "udkast"
    forfatter: str = ""
    version: str = "1"
    dato: dt.date | None = None
    ansvarlige: list[str] = Field(default_factory=list)
    pdf_variant: Literal["standard", "pdf/a-2b", "pdf/ua-1", "pdf/a-2a+ua-1"] = "pdf/a-2a+ua-1"
    pdf_motor: Literal["typst", "weasyprint"] = "typst"


class SkalaDef(_Strict):
    """A user-defined ordinal scale (see docs/input.md)."""

    etiketter: list[str]
    vaerdier: list[float] | None = None
    koder: list[float] | None = None
    positive: list[str | float] | None = None
    negative: list[str | float] | None = None
    mangler: list[str] = Field(default_factory=lambda: ["Ved ikke", "Ikke relevant", "Ønsker ikke at svare"])
    manglende_koder: list[float] = Field(default_factory=list)
    titel: str = ""
    positiv_ord: str | None = None


class Kolonner(_Strict):
    """Which data columns hold the respondent id, municipality and background variables."""

    respondent_id: str | None = None
    kommune: str | None = "kommune"
    maalgruppe: str | None = None
    koen: str | None = None
    alder: str | None = None
    periode: str | None = None
    kommentar: str | None = None
    ekstra: dict[str, str] = Field(default_factory=dict)


class SpoergsmaalDef(_Strict):
    """Inline question definitions (alternative or supplement to a catalogue file).

    Exactly one of ``kolonne``, ``kolonner``, ``praefiks``, ``moenster`` or ``position``
    picks the data column(s); ``position`` is 1-based or an Excel letter, and may be a
    range such as ``"H:Y"`` or ``"8-25"``.
    """

    kolonne: str | None = None
    kolonner: list[str] | None = None
    praefiks: str | None = None
    moenster: str | None = None
    position: int | str | None = None
    id: str | None = None
    tekst: str | None = None
    tema: str
    skala: str = "tilfredshed5"
    omvendt: JaNej = False
    nummer: str | None = None  # the questionnaire's own number, free text: "2a", "13", "Spm. 4"

    @field_validator("nummer", mode="before")
    @classmethod
    def _number_as_text(cls, v: object) -> object:
        return str(v).strip() if isinstance(v, (int, float)) and not isinstance(v, bool) else v


class Data(_Strict):
    """Where the survey data is and how to read it (see docs/input.md for every key)."""

    besvarelser: str
    katalog: str | None = None
    katalog_ark: str | int | None = None
    katalog_kolonner: dict[str, str] = Field(default_factory=dict)
    inviterede: str | None = None
    inviterede_ark: str | int | None = None
    fokus: str | None = None
    ark: str | int | None = None
    overskriftsraekke: int | None = None
    kodning: str | None = None
    skilletegn: str | None = None
    kolonner: Kolonner = Field(default_factory=Kolonner)
    spoergsmaal: list[SpoergsmaalDef] = Field(default_factory=list)
    standardskala: str | None = None
    # ja: a header such as "Spm. 2a: Hvor tilfreds …" gives the question number "2a" and the
    # text "Hvor tilfreds …" (for questions without a number of their own)
    nummer_fra_overskrift: JaNej = False
    skalaer: dict[str, SkalaDef] = Field(default_factory=dict)
    skalafil: str | list[str] | None = None
    manglende_koder: list[float | str] = Field(default_factory=list)
    manglende_etiketter: list[str] = Field(default_factory=list)
    omkodning: dict[str, dict[str, str]] = Field(default_factory=dict)
    temaer: list[str] = Field(default_factory=list)
    tilladte_mapper: list[str] = Field(default_factory=list)  # folders outside the case's, see core/paths.py

    @field_validator("omkodning", mode="before")
    @classmethod
    def _recode_text(cls, v: Any) -> Any:
        """YAML reads codes such as 706 or 1.0 as numbers; category values are text."""
        if not isinstance(v, dict):
            return v
        return {str(k): ({_text(a): _text(b) for a, b in m.items()} if isinstance(m, dict) else m)
                for k, m in v.items()}

    @field_validator("overskriftsraekke")
    @classmethod
    def _header_row(cls, v: int | None) -> int | None:
        if v is not None and v < 1:
            raise ValueError(message("settings", "header_row_too_small"))
        return v


class TidligereMaaling(_Strict):
    """An earlier export of the same survey, compared with in the trend (analyse.tidligere)."""

    periode: str
    besvarelser: str
    katalog: str | None = None
    ark: str | int | None = None


class Prioritet(_Strict):
    """Settings for the priority map (prioriteringskort); see docs/metode.md."""

    maal: str | None = None
    score: Literal["gennemsnit", "andel_positive"] = "gennemsnit"
    min_svar: int = 20


class Kommentarer(_Strict):
    """Open-text comments: off unless ``medtag: ja``; quotes only when ``citater`` > 0."""

    medtag: JaNej = False
    citater: int = 0
    noegleord: dict[str, list[str]] = Field(default_factory=dict)
    kolonner: dict[str, str] = Field(default_factory=dict)
    navne: list[str] = Field(default_factory=list)
    navneliste: str | None = None

    @field_validator("citater")
    @classmethod
    def _citater(cls, v: int) -> int:
        if v < 0:
            raise ValueError(message("settings", "quotes_negative"))
        return v


class Analyse(_Strict):
    """Statistical settings; defaults follow docs/metode.md."""

    min_n: int = 5
    signifikansniveau: float = 0.05
    min_forskel: float = 0.05
    min_forskel_andel: float = 2.0
    benchmark: Literal["samlet", "kommunegennemsnit"] = "samlet"
    benchmark_navn: str = "Alle kommuner"
    benchmark_tabel: str | None = None
    benchmark_svarprocent: float | None = None
    benchmark_kommuner: int | None = None
    styrke_graense: float = 70.0
    svarprocent_graense: float = 25.0  # reportgen lint warns below this response rate (pct.)
    grupper: list[str] = Field(default_factory=lambda: ["maalgruppe"])
    min_gruppe: int = 30
    personformer: dict[str, str] = Field(default_factory=dict)
    periode: str | None = None
    tidligere: list[TidligereMaaling] = Field(default_factory=list)
    prioritet: Prioritet = Field(default_factory=Prioritet)
    kommentarer: Kommentarer = Field(default_factory=Kommentarer)

    @field_validator("min_n")
    @classmethod
    def _min_n(cls, v: int) -> int:
        if v < 3:
            raise ValueError(message("settings", "min_n_too_small"))
        return v

    @field_validator("signifikansniveau")
    @classmethod
    def _alpha(cls, v: float) -> float:
        if not 0 < v < 1:
            raise ValueError(message("settings", "alpha_out_of_range"))
        return v


class Indstilling(_Strict):
    indledning: str = "Forvaltningen indstiller,"
    punkter: list[str] = Field(default_factory=list)

    @field_validator("punkter")
    @classmethod
    def _at(cls, v: list[str]) -> list[str]:
        for item in v:
            if not item.strip().lower().startswith("at "):
                raise ValueError(message("settings", "recommendation_without_at", item=item))
        return v


class Tekster(_Strict):
    """Hand-written text; a small Markdown subset is allowed (see docs/input.md)."""

    resume: str | None = None
    indstilling: Indstilling | None = None
    indledning: str | None = None
    sagsfremstilling: str | None = None
    problemstilling: str | None = None
    loesning: str | None = None
    sammenhaeng: str | None = None
    oekonomi: str | None = None
    lovgrundlag: str | None = None
    politisk_handlerum: str | None = None
    videre_proces: str | None = None
    beslutning: str | None = None
    bilag: list[str] = Field(default_factory=list)
    ekstra: dict[str, str] = Field(default_factory=dict)


class CaseFile(_Strict):
    profil: str = "sagsfremstilling"
    sag: Sag
    data: Data
    analyse: Analyse = Field(default_factory=Analyse)
    tekster: Tekster = Field(default_factory=Tekster)
    tema: str | None = None


def load_case(path: str | Path) -> tuple[CaseFile, Path]:
    """Read and validate a case file; return it with the folder its paths are relative to."""
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(message("settings", "case_file_missing"), file=str(path),
                                 expected=message("settings", "case_file_expected")))
    raw = yamlio.read_mapping(path, message("settings", "case_file"), message("settings", "case_file_holds"))
    return parse_case(raw, str(path)), path.parent


def parse_case(raw: dict[str, Any], source: str = "<sagsfil>") -> CaseFile:
    try:
        return CaseFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError([_problem(err, source) for err in exc.errors()]) from exc


def _problem(err: Any, source: str) -> Problem:
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        allowed = _allowed_keys(err["loc"][:-1])
        hint = difflib.get_close_matches(key, allowed, n=1)
        expected = message("settings", "one_of", names=allowed)
        if hint:
            expected = message("settings", "did_you_mean_key", hint=hint[0], names=allowed)
        return Problem(message("settings", "unknown_key"), file=source, key=loc, value=key, expected=expected)
    if kind == "missing":
        return Problem(message("settings", "missing_key"), file=source, key=loc)
    value = err.get("input")
    msg = danish_msg(err)
    return Problem(message("settings", "invalid_value", reason=msg), file=source, key=loc,
                   value=None if isinstance(value, (dict, list)) else str(value))


def danish_msg(err: Any) -> str:
    """A pydantic validation error (one item of ``ValidationError.errors()``) in Danish, e.g.
    "forventet et heltal"; used for the case file, the run file and shared scale files."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        return message("settings", "expected_literal", options=str(ctx.get("expected", "")).replace(" or ", " eller "))
    if kind.startswith("date"):
        return message("settings", "expected_date")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return message("settings", "expected_integer")
    if kind in ("float_parsing", "float_type"):
        return message("settings", "expected_number")
    if kind in ("string_type",):
        return message("settings", "expected_text")
    if kind in ("list_type",):
        return message("settings", "expected_list")
    if kind in ("dict_type", "model_type"):
        return message("settings", "expected_mapping")
    if kind == "bool_parsing":
        return message("settings", "expected_yes_no")
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    model: Any = CaseFile
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        fld = model.model_fields.get(part)
        if fld is None:
            return []
        model = _model_of(fld.annotation)
    return list(model.model_fields) if model else []


def _model_of(annotation: Any) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found:
            return found
    return None
