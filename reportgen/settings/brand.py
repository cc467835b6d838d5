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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reportgen.core import yamlio
from reportgen.errors import InputError, Problem
from reportgen.core.resources import templates_dir

__all__ = ["Brand", "Logo", "FontFile", "load_brand", "BUNDLED_FONT"]

BUNDLED_FONT = "Carlito"
PDF_FONT = "Reportgen Sans"  # Carlito pre-subset for the PDF (templates/css/fonts.css)
DEFAULT_PRIMARY = "#1B3A5C"
DEFAULT_SECONDARY = "#A6BDDB"
MAX_LOGO_BYTES = 2_000_000
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.x AA for normal text
MIN_LIGHTNESS_GAP = 20.0  # CIE L* between primary and secondary

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_FAMILY = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå \-]{0,62}")
_FONT_SUFFIXES = (".ttf", ".otf")
_LOGO_SUFFIXES = (".svg", ".png")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# (weight, style) of each key in a 'skrifttype' mapping
_FACES = {"normal": ("normal", "normal"), "fed": ("bold", "normal"),
          "kursiv": ("normal", "italic"), "fed_kursiv": ("bold", "italic")}


# --------------------------------------------------------------------------- the file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Farver(_Strict):
    primaer: str = DEFAULT_PRIMARY
    sekundaer: str = DEFAULT_SECONDARY

    @field_validator("primaer", "sekundaer")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not isinstance(v, str) or not _HEX.fullmatch(v.strip()):
            raise ValueError(f"forventet en farve som #1B3A5C (et '#' og seks hex-cifre), fik '{v}'")
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
                raise ValueError(f"sagsnummer_moenster er ikke et gyldigt regulært udtryk ({exc})") from exc
        return v


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Logo:
    path: Path
    data: bytes = field(repr=False)
    kind: str  # "svg" or "png"
    width: float  # intrinsic size (px or SVG user units); only the ratio matters
    height: float

    @property
    def media_type(self) -> str:
        return "image/svg+xml" if self.kind == "svg" else "image/png"


@dataclass(frozen=True)
class FontFile:
    path: Path
    weight: str  # "normal" or "bold"
    style: str  # "normal" or "italic"


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
        raise InputError(Problem(f"Temafilen er ikke gyldig YAML ({exc})", file=str(path))) from exc
    except UnicodeDecodeError as exc:
        raise InputError(Problem("Temafilen er ikke gemt som UTF-8", file=str(path))) from exc
    if not isinstance(raw, dict):
        raise InputError(Problem("Temafilen skal være en YAML-ordbog med nøgler som 'navn', 'logo' og 'farver'",
                                 file=str(path), value=type(raw).__name__))
    try:
        tema = TemaFil.model_validate(raw)
    except ValidationError as exc:
        raise InputError([_problem(err, path) for err in exc.errors()]) from exc
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
    raise InputError(Problem("Temaet findes ikke", key="tema", value=name_or_path,
                             expected="en af " + ", ".join(bundled_brands())
                             + " eller stien til en temafil (.yaml)"))


def _resolve(tema: TemaFil, path: Path) -> Brand:
    folder = path.parent
    problems: list[Problem] = []
    primary, secondary = tema.farver.primaer, tema.farver.sekundaer
    contrast = _contrast(primary, "#FFFFFF")
    if contrast < MIN_TEXT_CONTRAST:
        problems.append(Problem(
            f"Den primære farve er for lys til overskrifter på hvid baggrund (kontrast "
            f"{contrast:.1f}:1)", file=str(path), key="farver.primaer", value=primary,
            expected=f"en mørkere farve med kontrast mindst {MIN_TEXT_CONTRAST}:1 mod hvid"))
    if _lightness(secondary) - _lightness(primary) < MIN_LIGHTNESS_GAP:
        problems.append(Problem(
            "Den sekundære farve skal være tydeligt lysere end den primære, så søjlerne i "
            "diagrammerne kan skelnes, også i gråtoner", file=str(path), key="farver.sekundaer",
            value=secondary, expected=f"en farve mindst {MIN_LIGHTNESS_GAP:.0f} lyshedsenheder (L*) "
                                      "lysere end den primære"))
    font, font_files = BUNDLED_FONT, ()
    try:
        font, font_files = _font(tema.skrifttype, folder, path)
    except InputError as exc:
        problems.extend(exc.problems)
    logo = logo_png = template = None
    try:
        if tema.logo:
            logo = _logo(_inside(tema.logo, folder, path, "logo"), path, "logo")
        if tema.logo_png:
            logo_png = _logo(_inside(tema.logo_png, folder, path, "logo_png"), path, "logo_png")
            if logo_png.kind != "png":
                raise InputError(Problem("logo_png skal være en PNG-fil", file=str(path),
                                         key="logo_png", value=tema.logo_png))
        if tema.word_skabelon:
            template = _existing(_inside(tema.word_skabelon, folder, path, "word_skabelon"), path, "word_skabelon", (".docx", ".dotx"),
                                 "en Word-fil (.docx) eller Word-skabelon (.dotx)")
            from reportgen.core.ziplimits import check_archive

            check_archive(template.read_bytes(), str(template), "Word-skabelonen", column="word_skabelon")
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    name = tema.navn.strip() if tema.navn and tema.navn.strip() else None
    return Brand(name=name, primary=primary, secondary=secondary, font=font, font_files=font_files,
                 logo=logo, logo_png_data=logo_png.data if logo_png else None,
                 logo_height_cm=tema.logo_hoejde_cm, word_template=template, source=path,
                 case_number_pattern=tema.sagsnummer_moenster)


def _inside(rel: str, folder: Path, theme: Path, key: str) -> Path:
    """A file the theme names, inside the theme's folder (``core.paths``; no symlinks out)."""
    from reportgen.core.paths import resolve_inside

    return resolve_inside(rel, folder, key=key, file=str(theme), folder_name="temaets mappe")


def _existing(p: Path, theme: Path, key: str, suffixes: tuple[str, ...], expected: str) -> Path:
    if p.suffix.lower() not in suffixes:
        raise InputError(Problem("Filtypen understøttes ikke", file=str(theme), key=key,
                                 value=p.name, expected=expected))
    if not p.is_file():
        raise InputError(Problem("Filen findes ikke", file=str(theme), key=key, value=str(p),
                                 expected=expected))
    return p.resolve()


def _logo(p: Path, theme: Path, key: str) -> Logo:
    p = _existing(p, theme, key, _LOGO_SUFFIXES, "en SVG- eller PNG-fil")
    data = p.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        raise InputError(Problem("Logoet er for stort", file=str(theme), key=key, value=p.name,
                                 expected=f"højst {MAX_LOGO_BYTES // 1_000_000} MB"))
    if p.suffix.lower() == ".png":
        if not data.startswith(_PNG_SIGNATURE) or len(data) < 24:
            raise InputError(Problem("Logoet er ikke en gyldig PNG-fil", file=str(theme), key=key,
                                     value=p.name))
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return Logo(p, data, "png", float(width), float(height))
    width, height = _svg_size(data, p, theme, key)
    return Logo(p, data, "svg", width, height)


def _svg_size(data: bytes, p: Path, theme: Path, key: str) -> tuple[float, float]:
    """The SVG's aspect from viewBox (or width/height); parsing never resolves entities
    or fetches anything."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(Problem(f"Logoet er ikke gyldig SVG ({exc})", file=str(theme), key=key,
                                 value=p.name)) from exc
    if etree.QName(root).localname != "svg":
        raise InputError(Problem("Logoet er ikke en SVG-fil", file=str(theme), key=key, value=p.name))
    _check_self_contained(root, p, theme, key)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            w, h = float(box[2]), float(box[3])
            if w > 0 and h > 0:
                return w, h
        except ValueError:
            pass
    try:
        w = float(re.sub(r"[a-z%]+$", "", root.get("width", "")))
        h = float(re.sub(r"[a-z%]+$", "", root.get("height", "")))
        if w > 0 and h > 0:
            return w, h
    except ValueError:
        pass
    raise InputError(Problem("Logoet mangler en størrelse", file=str(theme), key=key, value=p.name,
                             expected="en SVG med viewBox eller width og height"))


_SVG_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_SVG_IMPORT = re.compile(r"@import", re.IGNORECASE)


def _check_self_contained(root: Any, p: Path, theme: Path, key: str) -> None:
    """An SVG logo must not link to anything: no script, and every href or url() points
    inside the file (``#id``) or is a ``data:`` URI. (The PDF renderer refuses such links
    anyway; this says so early, naming the theme file.)"""
    def refuse(what: str) -> InputError:
        return InputError(Problem(f"Logoet henviser til noget uden for filen ({what}); et SVG-logo skal "
                                  "være selvstændigt", file=str(theme), key=key, value=p.name,
                                  expected="en SVG uden henvisninger til andre filer eller adresser"))

    def internal(ref: str) -> bool:
        ref = ref.strip()
        return ref == "" or ref.startswith("#") or ref.lower().startswith("data:")

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = el.tag.rsplit("}", 1)[-1]
        if local in ("script", "foreignObject"):
            raise refuse(f"<{local}>")
        for name, value in el.attrib.items():
            if name.rsplit("}", 1)[-1] == "href" and not internal(value):
                raise refuse(value)
            for ref in _SVG_URL.findall(value):
                if not internal(ref):
                    raise refuse(ref)
        if local == "style" and el.text:
            if _SVG_IMPORT.search(el.text):
                raise refuse("@import")
            for ref in _SVG_URL.findall(el.text):
                if not internal(ref):
                    raise refuse(ref)


def _font(spec: str | Skrifttype, folder: Path, theme: Path) -> tuple[str, tuple[FontFile, ...]]:
    if isinstance(spec, str):
        if spec.strip() == BUNDLED_FONT:
            return BUNDLED_FONT, ()
        if not spec.lower().endswith(_FONT_SUFFIXES):
            raise InputError(Problem(
                "Skrifttypen skal være den medfølgende Carlito eller en skriftfil, så dokumentet ser "
                "ens ud på alle maskiner", file=str(theme), key="skrifttype", value=spec,
                expected="Carlito eller stien til en .ttf- eller .otf-fil"))
        spec = Skrifttype(normal=spec)
    files: list[FontFile] = []
    for key, (weight, style) in _FACES.items():
        rel = getattr(spec, key)
        if rel is None:
            continue
        p = _existing(_inside(rel, folder, theme, f"skrifttype.{key}"), theme, f"skrifttype.{key}", _FONT_SUFFIXES, "en .ttf- eller .otf-fil")
        files.append(FontFile(p, weight, style))
    if not files:
        if spec.navn == BUNDLED_FONT or spec.navn is None:
            return BUNDLED_FONT, ()
        raise InputError(Problem("Skrifttypen mangler skriftfiler", file=str(theme), key="skrifttype",
                                 value=spec.navn, expected="mindst 'normal: sti/til/skrift.ttf'"))
    if not any(f.weight == "normal" and f.style == "normal" for f in files):
        raise InputError(Problem("Skrifttypen mangler den normale skæring", file=str(theme),
                                 key="skrifttype.normal"))
    family = spec.navn or _family_name(files[0].path, theme)
    if not _FAMILY.fullmatch(family):
        raise InputError(Problem("Skrifttypens navn må kun indeholde bogstaver, tal, mellemrum og bindestreg",
                                 file=str(theme), key="skrifttype.navn", value=family))
    return family, tuple(files)


def _family_name(path: Path, theme: Path) -> str:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(str(path), lazy=True) as font:
            names = font["name"]
            for name_id in (16, 1):
                rec = names.getDebugName(name_id)
                if rec:
                    return rec.strip()
    except (TTLibError, OSError, KeyError) as exc:
        raise InputError(Problem(f"Skriftfilen kan ikke læses ({exc})", file=str(theme),
                                 key="skrifttype", value=path.name)) from exc
    raise InputError(Problem("Skriftfilen har intet navn", file=str(theme), key="skrifttype",
                             value=path.name, expected="angiv 'navn' under skrifttype"))


def _problem(err: Any, path: Path) -> Problem:
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        allowed = ", ".join(TemaFil.model_fields)
        return Problem("Ukendt nøgle i temafilen", file=str(path), key=loc, value=str(err["loc"][-1]),
                       expected="en af " + allowed)
    ctx = err.get("ctx") or {}
    msg = str(ctx.get("error", err["msg"])) if err["type"] == "value_error" else err["msg"]
    value = err.get("input")
    return Problem(f"Ugyldig værdi i temafilen ({msg})", file=str(path), key=loc,
                   value=None if isinstance(value, (dict, list)) else str(value))


# --------------------------------------------------------------------------- colour maths


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(hex_color: str) -> float:
    r, g, b = (int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _lightness(hex_color: str) -> float:
    """CIE L* (0 black – 100 white)."""
    y = _luminance(hex_color)
    return 116 * (y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116) - 16
