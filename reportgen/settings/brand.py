"""Theme files (``tema.yaml``, or a bundled ``templates/brands/<navn>/tema.yaml``) → ``Brand``.

A theme is a municipality's look: the name shown by the logo, the logo (SVG or PNG),
two colours, the font and optionally its own Word template. It is data: a municipality
adds a theme without touching Python. The renderers use it as follows:

- PDF/HTML: the logo in the title block, the colours and the font through a small
  generated stylesheet (:meth:`Brand.css`); the PDF may fetch only the theme's own logo
  and font files besides the bundled templates (:meth:`Brand.allowed_files`).
- DOCX: the logo in the header, the primary colour for the title and headings, the font
  in the styles, and ``word_skabelon`` as the style base (``font``, ``color``,
  ``logo_png``, ``logo_svg`` and ``logo_width_cm`` are what ``render.docx`` reads).
- Charts: (primary, secondary) as the (focus, benchmark) bar colours.

Everything is checked when the theme is read, with Danish messages naming the file and
key: colours must be ``#RRGGBB`` (nothing else ever reaches the CSS), the primary colour
must be readable as text on white (WCAG contrast at least 4.5:1) and the secondary must be
clearly lighter than the primary (the chart's benchmark bars must stay apart from the
focus bars in greyscale print). Font family names are restricted to letters, digits,
spaces and hyphens. Paths are relative to the theme file.

The file model is in ``theme_file``, the checks of the files a theme names (logo, fonts) in
``theme_assets``, the colour maths in ``colour``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from reportgen.core import yamlio
from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.core.resources import templates_dir
from reportgen.settings.colour import contrast, lightness
from reportgen.settings.theme_assets import FontFile, Logo, existing, inside, read_font, read_logo
from reportgen.settings.theme_file import BUNDLED_FONT, TemaFil, problem

__all__ = ["Brand", "Logo", "FontFile", "load_brand", "BUNDLED_FONT"]

PDF_FONT = "Reportgen Sans"  # Carlito pre-subset for the PDF (templates/css/fonts.css)
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.x AA for normal text
MIN_LIGHTNESS_GAP = 20.0  # CIE L* between primary and secondary


@dataclass(frozen=True)
class Brand:
    """A resolved theme: validated values and the bytes of its files."""

    name: str | None
    primary: str
    secondary: str
    font: str
    font_files: tuple[FontFile, ...]
    logo: Logo | None
    logo_png_data: bytes | None = field(repr=False)
    logo_height_cm: float
    word_template: Path | None
    source: Path | None
    case_number_pattern: str | None = None  # the theme's 'sagsnummer_moenster' (reportgen lint)

    # ---- what render.docx reads (duck-typed)
    @property
    def color(self) -> str:
        return self.primary

    @property
    def logo_png(self) -> bytes | None:
        if self.logo_png_data is not None:
            return self.logo_png_data
        return self.logo.data if self.logo is not None and self.logo.kind == "png" else None

    @property
    def logo_svg(self) -> bytes | None:
        return self.logo.data if self.logo is not None and self.logo.kind == "svg" else None

    @property
    def logo_width_cm(self) -> float:
        if self.logo is None or not self.logo.height:
            return 4.0
        return round(self.logo_height_cm * self.logo.width / self.logo.height, 3)

    # ---- charts
    @property
    def chart_colors(self) -> tuple[str, str]:
        return (self.primary, self.secondary)

    # ---- PDF/HTML
    def allowed_files(self) -> tuple[Path, ...]:
        """The files outside the templates folder the PDF renderer may read."""
        files = [f.path for f in self.font_files]
        if self.logo is not None:
            files.append(self.logo.path)
        return tuple(sorted(set(files)))

    def css(self) -> str:
        """A stylesheet that overrides document.css with this theme's colours and font.

        Only validated values go in: colours matched ``#RRGGBB``, the family name matched
        a letters-digits-spaces pattern, and font URLs are percent-encoded file URIs.
        """
        fallback = f'"{PDF_FONT}", "{BUNDLED_FONT}", "Calibri", sans-serif'
        family = fallback if self.font == BUNDLED_FONT else f'"{self.font}", {fallback}'
        lines = []
        for face in self.font_files:
            lines.append(f'@font-face {{ font-family: "{self.font}"; src: url("{face.path.as_uri()}"); '
                         f"font-weight: {face.weight}; font-style: {face.style}; }}")
        lines.append(f":root {{ --blue: {self.primary}; --accent: {self.secondary}; }}")
        lines.append(f"html {{ font-family: {family}; }}")
        lines.append(f".masthead .logo {{ height: {self.logo_height_cm:.2f}cm; }}")
        if self.font != BUNDLED_FONT:
            boxes = ("top-left", "top-center", "top-right", "bottom-left", "bottom-right")
            inner = " ".join(f"@{b} {{ font-family: {family}; }}" for b in boxes)
            lines.append(f"@page {{ {inner} }}")
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- loading


def load_brand(name_or_path: str, base: Path | None = None, allowed: Sequence[str] = ()) -> Brand:
    """A bundled theme by name (``templates/brands/<navn>/tema.yaml``) or a theme file by
    path (relative to ``base``, the case file's folder)."""
    path = _find(name_or_path, base, allowed)
    try:
        raw = yamlio.load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise InputError(Problem(message("settings", "theme_not_yaml", error=exc), file=str(path))) from exc
    except UnicodeDecodeError as exc:
        raise InputError(Problem(message("settings", "theme_not_utf8"), file=str(path))) from exc
    if not isinstance(raw, dict):
        raise InputError(Problem(message("settings", "theme_not_mapping"),
                                 file=str(path), value=type(raw).__name__))
    try:
        tema = TemaFil.model_validate(raw)
    except ValidationError as exc:
        raise InputError([problem(err, path) for err in exc.errors()]) from exc
    return _resolve(tema, path)


def bundled_brands() -> list[str]:
    folder = templates_dir() / "brands"
    return sorted(p.parent.name for p in folder.glob("*/tema.yaml"))


def _find(name_or_path: str, base: Path | None, allowed: Sequence[str] = ()) -> Path:
    if name_or_path.endswith((".yaml", ".yml")):
        p = Path(name_or_path)
        if base is not None:  # a theme file inside the case's folder or an allowed one
            from reportgen.core.paths import resolve_inside

            candidate = resolve_inside(name_or_path, base, allowed, key="tema")
        else:
            candidate = p
    else:
        candidate = templates_dir() / "brands" / name_or_path / "tema.yaml"
    if candidate.is_file():
        return candidate
    raise InputError(Problem(message("settings", "theme_not_found"), key="tema", value=name_or_path,
                             expected=message("settings", "theme_expected", names=bundled_brands())))


def _resolve(tema: TemaFil, path: Path) -> Brand:
    folder = path.parent
    problems: list[Problem] = []
    primary, secondary = tema.farver.primaer, tema.farver.sekundaer
    ratio = contrast(primary, "#FFFFFF")
    if ratio < MIN_TEXT_CONTRAST:
        problems.append(Problem(
            message("settings", "primary_too_light", ratio=f"{ratio:.1f}"), file=str(path), key="farver.primaer",
            value=primary, expected=message("settings", "primary_expected", minimum=MIN_TEXT_CONTRAST)))
    if lightness(secondary) - lightness(primary) < MIN_LIGHTNESS_GAP:
        problems.append(Problem(
            message("settings", "secondary_too_close"), file=str(path), key="farver.sekundaer",
            value=secondary, expected=message("settings", "secondary_expected", minimum=f"{MIN_LIGHTNESS_GAP:.0f}")))
    font, font_files = BUNDLED_FONT, ()
    try:
        font, font_files = read_font(tema.skrifttype, folder, path)
    except InputError as exc:
        problems.extend(exc.problems)
    logo = logo_png = template = None
    try:
        if tema.logo:
            logo = read_logo(inside(tema.logo, folder, path, "logo"), path, "logo")
        if tema.logo_png:
            logo_png = read_logo(inside(tema.logo_png, folder, path, "logo_png"), path, "logo_png")
            if logo_png.kind != "png":
                raise InputError(Problem(message("settings", "logo_png_not_png"), file=str(path),
                                         key="logo_png", value=tema.logo_png))
        if tema.word_skabelon:
            template = existing(inside(tema.word_skabelon, folder, path, "word_skabelon"), path, "word_skabelon", (".docx", ".dotx"),
                                 message("settings", "word_template_expected"))
            from reportgen.core.ziplimits import check_archive

            check_archive(template.read_bytes(), str(template), message("settings", "word_template"), column="word_skabelon")
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    name = tema.navn.strip() if tema.navn and tema.navn.strip() else None
    return Brand(name=name, primary=primary, secondary=secondary, font=font, font_files=font_files,
                 logo=logo, logo_png_data=logo_png.data if logo_png else None,
                 logo_height_cm=tema.logo_hoejde_cm, word_template=template, source=path,
                 case_number_pattern=tema.sagsnummer_moenster)
