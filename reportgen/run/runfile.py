"""The run file: YAML → ``RunSpec`` (what a batch builds, and the case defaults it builds with).

A run file is a case file without a focus municipality plus a ``koersel`` section::

    koersel:
      kommuner: alle              # or a list: [Norddjurs, Syddjurs]
      perioder: seneste           # alle | seneste | a list: [2024K1, 2024K2]
      formater: [pdf, docx, html]
      navn: sagsfremstilling      # file name without extension
      output: output              # relative to the run file
      pr_kommune:                 # optional: case keys for single municipalities
        Norddjurs: {sag: {sagsnummer: "24/1370"}}
    sagsfil: ../demo/sag.yaml     # optional: a case file whose content is the default
    profil: sagsfremstilling
    sag: {...}                    # {kommune} and {periode} are replaced per report
    data: {...}
    analyse: {...}
    tekster: {...}

For each (period, municipality) the effective case is: the ``sagsfil`` (paths made
relative to its own folder), the run file's case keys merged over it, then the
``pr_kommune`` entry, placeholders filled in, and ``data.fokus`` set to the municipality.
It is validated by the same schema as a case file, so messages name the same keys.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from reportgen.core.templating import message
from reportgen.core import yamlio
from reportgen.core.paths import normalize, resolve_inside
from reportgen.errors import InputError, Problem
from reportgen.render import FORMATS
from reportgen.settings.case import CaseFile, danish_msg, parse_case

PLACEHOLDER = re.compile(r"\{(kommune|periode)\}")
DATA_PATH_KEYS = ("besvarelser", "katalog", "inviterede")
# Every input file's role in the manifest → the case key that names it.
ROLE_KEYS = {"besvarelser": "data.besvarelser", "katalog": "data.katalog", "inviterede": "data.inviterede",
             "skalafil": "data.skalafil", "tidligere": "analyse.tidligere.besvarelser",
             "tidligere_katalog": "analyse.tidligere.katalog", "benchmark_tabel": "analyse.benchmark_tabel",
             "navneliste": "analyse.kommentarer.navneliste"}
CASE_KEYS = ("profil", "sag", "data", "analyse", "tekster", "tema")


def _text_list(v: Any) -> Any:
    """YAML reads ``[2023, 2024]`` as numbers; periods are labels."""
    if isinstance(v, list):
        return [str(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else x for x in v]
    return v


class Koersel(BaseModel):
    """What to build: municipalities × periods, in which formats, where."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    kommuner: Literal["alle"] | list[str] = "alle"
    perioder: Annotated[Literal["alle", "seneste"] | list[str], BeforeValidator(_text_list)] = "seneste"
    formater: list[Literal[FORMATS]] = Field(default_factory=lambda: list(FORMATS))  # type: ignore[valid-type]
    navn: str = "sagsfremstilling"
    output: str = "output"
    pr_kommune: dict[str, dict[str, Any]] = Field(default_factory=dict)


@dataclass(frozen=True)
class RunSpec:
    """A parsed run file: the selection and the raw case defaults (paths resolved)."""

    path: Path
    koersel: Koersel
    defaults: Mapping[str, Any]
    sagsfil: Path | None = None  # the case file the defaults came from, if any

    @property
    def base(self) -> Path:
        """The folder relative data paths in the defaults are resolved against."""
        return self.path.parent

    def output_dir(self, override: Path | None = None) -> Path:
        if override is not None:
            return override
        return Path(os.path.normpath(normalize(self.koersel.output, self.base)))

    def resolve(self, rel: str, key: str) -> Path:
        """A data path of the defaults (``key`` names it in messages) through the one path
        resolver: ``~`` and backslashes work, and it must lie under the run file's folder
        or the ``data.tilladte_mapper``."""
        data = self.defaults.get("data") or {}
        allowed = [str(a) for a in data.get("tilladte_mapper") or [] if isinstance(a, str)]
        return resolve_inside(rel, self.base, allowed, key=key, file=str(self.path))

    def case_for(self, municipality: str, period: str, override: bool = True) -> CaseFile:
        """The effective, validated case for one report (without its ``pr_kommune`` entry
        when ``override`` is False). A problem in a value the ``pr_kommune`` entry sets is
        reported at that place: ``koersel.pr_kommune.<name>.<key>``."""
        raw = copy.deepcopy(dict(self.defaults))
        found = _override_entry(self.koersel.pr_kommune, municipality) if override else None
        extra = found[1] if found else None
        if extra:
            raw = deep_merge(raw, extra)
        raw = fill_placeholders(raw, {"kommune": municipality, "periode": period})
        sag = raw.setdefault("sag", {})
        if isinstance(sag, dict):
            sag.setdefault("kommune", f"{municipality} Kommune")
        data = raw.setdefault("data", {})
        if isinstance(data, dict):
            data["fokus"] = municipality
        try:
            return parse_case(raw, str(self.path))
        except InputError as exc:
            if not found:
                raise
            raise InputError([_at_override(p, found[0], found[1]) for p in exc.problems]) from exc

    def data_files(self) -> list[tuple[str, str]]:
        """(role, path as written) of every data file the defaults name: the data section's
        files and scale files, the earlier exports (``analyse.tidligere``) and their
        catalogues, the benchmark table and the list of names (see ``ROLE_KEYS``)."""
        return [(role, str(box[key])) for role, box, key in _path_slots(self.defaults)]


def read_run_file(path: str | Path) -> RunSpec:
    """Read and validate a run file; the case part is checked for a sample municipality."""
    path = Path(path)
    raw = _read_yaml(path, message("run", "run_file"), message("run", "run_file_expected"))
    unknown = [k for k in raw if k not in (*CASE_KEYS, "koersel", "sagsfil")]
    if unknown:
        raise InputError(Problem(message("run", "unknown_key"), file=str(path), key=unknown[0], value=unknown[0],
                                 expected=message("run", "one_of", names=("koersel", "sagsfil", *CASE_KEYS))))
    try:
        koersel = Koersel.model_validate(raw.get("koersel") or {})
    except ValidationError as exc:
        raise InputError([_koersel_problem(err, str(path)) for err in exc.errors()]) from exc
    defaults: dict[str, Any] = {}
    sagsfil = None
    if raw.get("sagsfil"):
        sagsfil = normalize(str(raw["sagsfil"]), path.parent)
        defaults = _case_defaults(sagsfil)
    own = {k: v for k, v in raw.items() if k in CASE_KEYS}
    defaults = deep_merge(defaults, own)
    if not isinstance(defaults.get("data"), dict) or not defaults["data"].get("besvarelser"):
        raise InputError(Problem(message("run", "no_data"), file=str(path), key="data.besvarelser",
                                 expected=message("run", "no_data_expected")))
    spec = RunSpec(path=path, koersel=koersel, defaults=defaults, sagsfil=sagsfil)
    sample = koersel.kommuner[0] if isinstance(koersel.kommuner, list) and koersel.kommuner else "Eksempel"
    spec.case_for(sample, "2024", override=False)  # fail early, before any data is read; an invalid
    # pr_kommune entry fails only its own items (see batch._make_plan)
    return spec


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` merged into a copy of ``base``: dictionaries merge, everything else replaces."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def fill_placeholders(value: Any, values: Mapping[str, str], key: str = "") -> Any:
    """Replace ``{kommune}`` and ``{periode}`` in every text of ``sag`` and ``tekster``."""
    if isinstance(value, dict):
        return {k: (fill_placeholders(v, values, k) if (key or k in ("sag", "tekster")) else v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [fill_placeholders(v, values, key) for v in value]
    if isinstance(value, str) and key:
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], value)
    return value


def name_forms(name: str) -> tuple[str, ...]:
    """The forms a municipality name is matched in: 'Norddjurs Kommune' ~ 'norddjurs'."""
    from reportgen.ingest.scales import normalize_label

    n = normalize_label(name)
    bare = n.removesuffix(" kommune").removeprefix("jobcenter ").strip()
    return (n, bare, bare + " kommune")


def _override_entry(pr_kommune: Mapping[str, dict[str, Any]],
                    municipality: str) -> tuple[str, dict[str, Any]] | None:
    """(name as written in the run file, entry) of the ``pr_kommune`` entry for ``municipality``."""
    want = set(name_forms(municipality))
    for name, extra in pr_kommune.items():
        if want & set(name_forms(name)):
            return name, extra
    return None


def _at_override(problem: Problem, name: str, extra: Mapping[str, Any]) -> Problem:
    """``problem`` located at ``koersel.pr_kommune.<name>.<key>`` when the entry sets that key."""
    from dataclasses import replace

    if not problem.key:
        return problem
    box: Any = extra
    for part in problem.key.split("."):
        if isinstance(box, Mapping) and part in box:
            box = box[part]
        elif isinstance(box, list) and part.isdigit() and int(part) < len(box):
            box = box[int(part)]
        else:
            return problem
    return replace(problem, key=f"koersel.pr_kommune.{name}.{problem.key}")


def _case_defaults(path: Path) -> dict[str, Any]:
    """A case file's content with its relative paths made absolute (they are relative to it;
    ``~`` and backslashes are read as ``core.paths.normalize`` reads them)."""
    raw = _read_yaml(path, message("run", "case_file"), message("run", "case_file_expected"))
    folder = path.parent.resolve()
    for _, box, key in _path_slots(raw):
        box[key] = str(normalize(box[key], folder))
    data = raw.get("data")
    if isinstance(data, dict):  # the case file's folder holds its files: allowed as in a single build
        own = [str(normalize(a, folder)) for a in data.get("tilladte_mapper") or [] if isinstance(a, str)]
        data["tilladte_mapper"] = [str(folder), *own]
    prof = raw.get("profil")
    if isinstance(prof, str) and prof.endswith((".yaml", ".yml")):
        raw["profil"] = str(normalize(prof, folder))
    return raw


def _path_slots(raw: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(role, container, key) of every data file path in raw case keys: ``container[key]``."""
    out: list[tuple[str, Any, Any]] = []
    data, analyse = raw.get("data"), raw.get("analyse")
    if isinstance(data, dict):
        out += [(k, data, k) for k in DATA_PATH_KEYS if isinstance(data.get(k), str) and data[k]]
        scales = data.get("skalafil")
        if isinstance(scales, str) and scales:
            out.append(("skalafil", data, "skalafil"))
        elif isinstance(scales, list):
            out += [("skalafil", scales, i) for i, v in enumerate(scales) if isinstance(v, str) and v]
    if isinstance(analyse, dict):
        for e in analyse.get("tidligere") or []:
            if isinstance(e, dict):
                out += [(role, e, k) for role, k in (("tidligere", "besvarelser"), ("tidligere_katalog", "katalog"))
                        if isinstance(e.get(k), str) and e[k]]
        if isinstance(analyse.get("benchmark_tabel"), str) and analyse["benchmark_tabel"]:
            out.append(("benchmark_tabel", analyse, "benchmark_tabel"))
        comments = analyse.get("kommentarer")
        if isinstance(comments, dict) and isinstance(comments.get("navneliste"), str) and comments["navneliste"]:
            out.append(("navneliste", comments, "navneliste"))
    return out


def _read_yaml(path: Path, what: str, expected: str) -> dict[str, Any]:
    """The mapping in the YAML file ``path`` (``yamlio.read_mapping``); ``what`` names the
    file in messages ("Kørselsfilen"), ``expected`` what a missing file should have been."""
    if not path.is_file():
        raise InputError(Problem(message("run", "file_not_found", what=what), file=str(path), expected=expected))
    return yamlio.read_mapping(path, what, message("run", "mapping_holds"))


def _koersel_problem(err: Any, source: str) -> Problem:
    loc = "koersel." + ".".join(str(p) for p in err["loc"] if not str(p).startswith(("literal[", "list[")))
    if err["type"] == "extra_forbidden":
        return Problem(message("run", "unknown_koersel_key"), file=source, key=loc, value=str(err["loc"][-1]),
                       expected=message("run", "one_of", names=list(Koersel.model_fields)))
    value = err.get("input")
    return Problem(message("run", "invalid_value", reason=danish_msg(err)), file=source, key=loc,
                   value=None if isinstance(value, (dict, list)) else str(value))
