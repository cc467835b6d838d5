"""The files a theme names → checked values: the logo (SVG or PNG; an SVG must be
self-contained), the font files and their family name, and any other file inside the
theme's folder. Every refusal is an ``InputError`` naming the theme file and key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.settings.theme_file import BUNDLED_FONT, Skrifttype

MAX_LOGO_BYTES = 2_000_000

_FAMILY = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå \-]{0,62}")
_FONT_SUFFIXES = (".ttf", ".otf")
_LOGO_SUFFIXES = (".svg", ".png")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# (weight, style) of each key in a 'skrifttype' mapping
_FACES = {"normal": ("normal", "normal"), "fed": ("bold", "normal"),
          "kursiv": ("normal", "italic"), "fed_kursiv": ("bold", "italic")}


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


def inside(rel: str, folder: Path, theme: Path, key: str) -> Path:
    """A file the theme names, inside the theme's folder (``core.paths``; no symlinks out)."""
    from reportgen.core.paths import resolve_inside

    return resolve_inside(rel, folder, key=key, file=str(theme), folder_name=message("settings", "theme_folder"))


def existing(p: Path, theme: Path, key: str, suffixes: tuple[str, ...], expected: str) -> Path:
    if p.suffix.lower() not in suffixes:
        raise InputError(Problem(message("settings", "unsupported_file_type"), file=str(theme), key=key,
                                 value=p.name, expected=expected))
    if not p.is_file():
        raise InputError(Problem(message("settings", "file_missing"), file=str(theme), key=key, value=str(p),
                                 expected=expected))
    return p.resolve()


def read_logo(p: Path, theme: Path, key: str) -> Logo:
    p = existing(p, theme, key, _LOGO_SUFFIXES, message("settings", "logo_expected"))
    data = p.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        raise InputError(Problem(message("settings", "logo_too_large"), file=str(theme), key=key, value=p.name,
                                 expected=message("settings", "logo_size_expected", mb=MAX_LOGO_BYTES // 1_000_000)))
    if p.suffix.lower() == ".png":
        if not data.startswith(_PNG_SIGNATURE) or len(data) < 24:
            raise InputError(Problem(message("settings", "logo_bad_png"), file=str(theme), key=key,
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
        raise InputError(Problem(message("settings", "logo_bad_svg", error=exc), file=str(theme), key=key,
                                 value=p.name)) from exc
    if etree.QName(root).localname != "svg":
        raise InputError(Problem(message("settings", "logo_not_svg"), file=str(theme), key=key, value=p.name))
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
    raise InputError(Problem(message("settings", "logo_no_size"), file=str(theme), key=key, value=p.name,
                             expected=message("settings", "logo_no_size_expected")))


_SVG_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_SVG_IMPORT = re.compile(r"@import", re.IGNORECASE)


def _check_self_contained(root: Any, p: Path, theme: Path, key: str) -> None:
    """An SVG logo must not link to anything: no script, and every href or url() points
    inside the file (``#id``) or is a ``data:`` URI. (The PDF renderer refuses such links
    anyway; this says so early, naming the theme file.)"""
    def refuse(what: str) -> InputError:
        return InputError(Problem(message("settings", "logo_links_out", what=what), file=str(theme), key=key,
                                  value=p.name, expected=message("settings", "logo_links_out_expected")))

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


def read_font(spec: str | Skrifttype, folder: Path, theme: Path) -> tuple[str, tuple[FontFile, ...]]:
    if isinstance(spec, str):
        if spec.strip() == BUNDLED_FONT:
            return BUNDLED_FONT, ()
        if not spec.lower().endswith(_FONT_SUFFIXES):
            raise InputError(Problem(message("settings", "font_not_file"), file=str(theme), key="skrifttype",
                                     value=spec, expected=message("settings", "font_not_file_expected")))
        spec = Skrifttype(normal=spec)
    files: list[FontFile] = []
    for key, (weight, style) in _FACES.items():
        rel = getattr(spec, key)
        if rel is None:
            continue
        p = existing(inside(rel, folder, theme, f"skrifttype.{key}"), theme, f"skrifttype.{key}", _FONT_SUFFIXES,
                     message("settings", "font_file_expected"))
        files.append(FontFile(p, weight, style))
    if not files:
        if spec.navn == BUNDLED_FONT or spec.navn is None:
            return BUNDLED_FONT, ()
        raise InputError(Problem(message("settings", "font_no_files"), file=str(theme), key="skrifttype",
                                 value=spec.navn, expected=message("settings", "font_no_files_expected")))
    if not any(f.weight == "normal" and f.style == "normal" for f in files):
        raise InputError(Problem(message("settings", "font_no_regular"), file=str(theme),
                                 key="skrifttype.normal"))
    family = spec.navn or _family_name(files[0].path, theme)
    if not _FAMILY.fullmatch(family):
        raise InputError(Problem(message("settings", "font_bad_name"),
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
        raise InputError(Problem(message("settings", "font_unreadable", error=exc), file=str(theme),
                                 key="skrifttype", value=path.name)) from exc
    raise InputError(Problem(message("settings", "font_unnamed"), file=str(theme), key="skrifttype",
                             value=path.name, expected=message("settings", "font_unnamed_expected")))
