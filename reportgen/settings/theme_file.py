"""The theme file as written (``tema.yaml``, Danish keys; see docs/profiler.md) → a
validated pydantic model, and pydantic's errors → Danish ``Problem``s naming the key.
``settings.brand`` turns the model into a ``Brand``."""

from __future__ import annotations

import re
from typing import Any
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reportgen.errors import Problem
from reportgen.core.templating import message

BUNDLED_FONT = "Carlito"
DEFAULT_PRIMARY = "#1B3A5C"
DEFAULT_SECONDARY = "#A6BDDB"

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Farver(_Strict):
    primaer: str = DEFAULT_PRIMARY
    sekundaer: str = DEFAULT_SECONDARY

    @field_validator("primaer", "sekundaer")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not isinstance(v, str) or not _HEX.fullmatch(v.strip()):
            raise ValueError(message("settings", "expected_colour", value=v))
        return v.strip().upper()


class Skrifttype(_Strict):
    navn: str | None = None
    normal: str | None = None
    fed: str | None = None
    kursiv: str | None = None
    fed_kursiv: str | None = None


class TemaFil(_Strict):
    """The theme file as written (Danish keys; see docs/profiler.md)."""

    navn: str | None = None
    logo: str | None = None
    logo_png: str | None = None
    logo_hoejde_cm: float = Field(default=1.4, gt=0.3, le=4.0)
    farver: Farver = Field(default_factory=Farver)
    skrifttype: str | Skrifttype = BUNDLED_FONT
    word_skabelon: str | None = None
    sagsnummer_moenster: str | None = None

    @field_validator("sagsnummer_moenster")
    @classmethod
    def _pattern(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(message("settings", "bad_case_number_pattern", error=exc)) from exc
        return v


def problem(err: Any, path: Path) -> Problem:
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return Problem(message("settings", "unknown_theme_key"), file=str(path), key=loc, value=str(err["loc"][-1]),
                       expected=message("settings", "one_of", names=list(TemaFil.model_fields)))
    ctx = err.get("ctx") or {}
    msg = str(ctx.get("error", err["msg"])) if err["type"] == "value_error" else err["msg"]
    value = err.get("input")
    return Problem(message("settings", "invalid_theme_value", reason=msg), file=str(path), key=loc,
                   value=None if isinstance(value, (dict, list)) else str(value))
