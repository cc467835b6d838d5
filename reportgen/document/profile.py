"""Profile files (``templates/profiles/<navn>.yaml``, or a path) → ``Profile``.

A profile is data: the ordered sections of a document type, their headings, and which
hand-written texts and generated blocks go where. A municipality adds or changes a
profile without touching Python (see docs/profiler.md). The generated blocks a profile
may name are the keys of ``reportgen.document.blocks.BLOCK_BUILDERS``; an unknown block, an
unknown key or a section without a heading is reported in Danish with the file and the
place in it (``sektioner.2.indhold.0.blok``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reportgen.settings.case import JaNej
from reportgen.core import yamlio
from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.core.resources import templates_dir


def known_blocks() -> tuple[str, ...]:
    """The names of the generated blocks (``blok:``) a profile may use."""
    from reportgen.document.blocks import BLOCK_BUILDERS

    return tuple(BLOCK_BUILDERS)


class Indhold(BaseModel):
    """One item of a section: hand-written text (``tekst``) or a generated block (``blok``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    tekst: str | None = None
    blok: str | None = None
    ellers: str | None = None
    paakraevet: JaNej = False
    overskrift: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Indhold:
        if (self.tekst is None) == (self.blok is None):
            raise ValueError(message("document", "content_text_or_block"))
        if self.ellers is not None and self.tekst is None:
            raise ValueError(message("document", "otherwise_needs_text"))
        known = known_blocks()
        for b in (self.blok, self.ellers):
            if b is not None and b not in known:
                raise ValueError(message("document", "unknown_block", name=b, names=list(known)))
        return self


class Sektion(BaseModel):
    """A section: key, heading and content. ``udelad_hvis_tom: ja`` leaves the whole
    section out when none of its content is there (an optional text not written)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    noegle: str
    overskrift: str
    indhold: list[Indhold] = Field(default_factory=list)
    udelad_hvis_tom: JaNej = False

    @field_validator("overskrift")
    @classmethod
    def _heading(cls, v: str) -> str:
        if not v.strip():
            raise ValueError(message("document", "section_without_heading"))
        return v.strip()


def _check_sections(sektioner: list[Sektion], in_attachment: bool) -> None:
    seen: set[str] = set()
    for s in sektioner:
        if s.noegle in seen:
            raise ValueError(message("document", "duplicate_section_key", name=s.noegle, in_attachment=in_attachment))
        seen.add(s.noegle)
    if not sektioner:
        raise ValueError(message("document", "no_sections", in_attachment=in_attachment))


class BilagDokument(BaseModel):
    """A separate bilag document built beside the main one (``bilag:`` in a profile):
    its title (after "Bilag N: "; may use {udvalg}, {kommune}, {moededato}, {titel}) and
    its sections, written as ``<navn>-bilag-N.<format>`` and listed first under Bilag."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    titel: str
    sektioner: list[Sektion]

    @model_validator(mode="after")
    def _sections(self) -> BilagDokument:
        _check_sections(self.sektioner, in_attachment=True)
        return self


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    navn: str
    beskrivelse: str = ""
    sektioner: list[Sektion]
    bilag: list[BilagDokument] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_keys(self) -> Profile:
        _check_sections(self.sektioner, in_attachment=False)
        return self


def bundled_profiles() -> list[str]:
    return sorted(p.stem for p in (templates_dir() / "profiles").glob("*.yaml"))


def load_profile(name_or_path: str, base: Path | None = None, allowed: Sequence[str] = ()) -> Profile:
    """A bundled profile by name, or a profile file by path (relative to the case file, and
    inside its folder or an ``allowed`` one: ``core.paths.resolve_inside``)."""
    if name_or_path.endswith((".yaml", ".yml")):
        p = Path(name_or_path)
        if base is not None:
            from reportgen.core.paths import resolve_inside

            path = resolve_inside(name_or_path, base, allowed, key="profil")
        else:
            path = p
    else:
        path = templates_dir() / "profiles" / f"{name_or_path}.yaml"
    if not path.is_file():
        raise InputError(Problem(message("document", "unknown_profile"), key="profil", value=name_or_path,
                                 expected=message("document", "profile_expected", names=bundled_profiles())))
    raw = yamlio.read_mapping(path, message("document", "profile_file"), message("document", "profile_file_holds"))
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        raise InputError([_problem(err, path) for err in exc.errors()]) from exc


def _problem(err: Any, path: Path) -> Problem:
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return Problem(message("document", "unknown_key"), file=str(path), key=loc, value=str(err["loc"][-1]),
                       expected=_allowed(err["loc"]))
    if kind == "missing":
        return Problem(message("document", "missing_key"), file=str(path), key=loc)
    ctx = err.get("ctx") or {}
    msg = str(ctx.get("error", err["msg"])) if kind == "value_error" else err["msg"]
    value = err.get("input")
    return Problem(message("document", "invalid_profile", reason=msg), file=str(path), key=loc or None,
                   value=None if isinstance(value, (dict, list)) else str(value))


def _allowed(loc: tuple[Any, ...]) -> str:
    strings = [p for p in loc[:-1] if isinstance(p, str)]
    model: type[BaseModel] = {(): Profile, ("sektioner",): Sektion, ("sektioner", "indhold"): Indhold,
                              ("bilag",): BilagDokument, ("bilag", "sektioner"): Sektion,
                              ("bilag", "sektioner", "indhold"): Indhold}.get(tuple(strings), Profile)
    return message("document", "one_of", names=list(model.model_fields))
