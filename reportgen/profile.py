"""Profile files (``templates/profiles/<navn>.yaml``, or a path) → ``Profile``.

A profile is data: the ordered sections of a document type, their headings, and which
hand-written texts and generated blocks go where. A municipality adds or changes a
profile without touching Python.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from reportgen.case import JaNej
from reportgen.errors import InputError, Problem
from reportgen.resources import templates_dir

BLOCKS = ("indstilling", "fund", "tematabel", "temaliste", "temafigur", "fordelingsfigur", "gruppetabel",
          "spoergsmaalstabel", "metode", "bilag", "resume", "ansvarlige")


class Indhold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    tekst: str | None = None
    blok: str | None = None
    ellers: str | None = None
    paakraevet: JaNej = False
    overskrift: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Indhold:
        if (self.tekst is None) == (self.blok is None):
            raise ValueError("hvert indholdselement skal have præcis én af 'tekst' og 'blok'")
        for b in (self.blok, self.ellers):
            if b is not None and b not in BLOCKS:
                raise ValueError(f"ukendt blok '{b}'; kendte blokke: {', '.join(BLOCKS)}")
        return self


class Sektion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    noegle: str
    overskrift: str
    indhold: list[Indhold] = Field(default_factory=list)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    navn: str
    sektioner: list[Sektion]


def load_profile(name_or_path: str, base: Path | None = None) -> Profile:
    """A bundled profile by name, or a profile file by path (relative to the case file)."""
    candidates = []
    if name_or_path.endswith((".yaml", ".yml")):
        p = Path(name_or_path)
        candidates.append(p if p.is_absolute() or base is None else base / p)
    else:
        candidates.append(templates_dir() / "profiles" / f"{name_or_path}.yaml")
    path = next((c for c in candidates if c.is_file()), None)
    if path is None:
        known = sorted(p.stem for p in (templates_dir() / "profiles").glob("*.yaml"))
        raise InputError(Problem("Ukendt profil", column="profil", value=name_or_path,
                                 expected="en af " + ", ".join(known) + " eller stien til en profilfil (.yaml)"))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Profile.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise InputError(Problem(f"Profilfilen er ugyldig ({exc})", file=str(path))) from exc
