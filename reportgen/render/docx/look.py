"""The house look (font, colours) and the brand object that overrides it."""

from __future__ import annotations

from collections.abc import Mapping

from docx.shared import RGBColor

from reportgen.core.png import RGBA, png_bytes
from reportgen.core.templating import message
from reportgen.errors import InputError, Problem


FONT = "Carlito"

FONT_FALLBACK = "Calibri"  # Carlito is metric-compatible with Calibri

HEADING_COLOR = "1F3864"

GREY = "595959"


class Look:
    """Font, colour and logo: reportgen's defaults, overridden by a brand object."""

    def __init__(self, font: str | None, color: str | None, logo: bytes | None,
                 logo_width_cm: float, logo_svg: bytes | None = None, name: str | None = None):
        self.name = name
        self.font = font
        self.color = color
        self.logo = logo
        self.logo_width_cm = logo_width_cm
        self.logo_svg = logo_svg

    @classmethod
    def of(cls, brand: object | None) -> Look:
        def get(name: str) -> object | None:
            if brand is None:
                return None
            if isinstance(brand, Mapping):
                return brand.get(name)
            return getattr(brand, name, None)

        color = get("color")
        if color is not None:
            color = str(color).lstrip("#").upper()
            try:
                RGBColor.from_string(color)
            except ValueError as exc:
                raise InputError(Problem(message("render", "bad_colour"), key="color", value=str(get("color")),
                                         expected=message("render", "bad_colour_expected"))) from exc
        logo = get("logo_png")
        svg = get("logo_svg")
        width = get("logo_width_cm")
        if svg and not logo:
            logo = blank_png()
        return cls(
            font=str(get("font")) if get("font") else None,
            color=color,
            logo=bytes(logo) if logo else None,  # type: ignore[arg-type]
            logo_width_cm=float(width) if width else 4.0,  # type: ignore[arg-type]
            logo_svg=bytes(svg) if svg else None,  # type: ignore[arg-type]
            name=str(get("name")) if get("name") else None,
        )


def blank_png() -> bytes:
    """A 1×1 transparent PNG: the fallback picture of an SVG logo given without a PNG."""
    return png_bytes(1, 1, RGBA, b"\x00\x00\x00\x00\x00", level=9)
