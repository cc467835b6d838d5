"""The charts' look: size, dpi, fonts (the bundled Carlito when present), colours and
the colour ramps of a scale (colour-blind and greyscale safe)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import matplotlib.colors as mcolors
import numpy as np
from matplotlib import font_manager

from reportgen.models.survey import Scale

WIDTH_CM = 16.0
DPI = 200
PNG_COMPRESS_LEVEL = 3  # zlib level: 6 saves ~5 % size at twice the encoding time
TEXT_HINTING = "no_hinting"  # rcParams["text.hinting"] while measuring and drawing
FONT_SIZE = 8.5
SMALL_FONT_SIZE = 7.5

FOCUS_COLOR = "#1f4e79"  # dark blue, L* 32
BENCHMARK_COLOR = "#a6bddb"  # light grey-blue, L* 76, hatched
BENCHMARK_HATCH_COLOR = "#4a6f96"
HATCH = "////"
CI_COLOR = "#333333"
TEXT_COLOR = "#1a1a1a"
GRID_COLOR = "#d9d9d9"
AXIS_COLOR = "#7f7f7f"
MUTED_TEXT = "#595959"

# Diverging scale palette (ColorBrewer PuOr/RdBu adapted): L* 46 / 80 | 91 | 62 / 32.
NEG_DARK, NEG_LIGHT = "#a35a0b", "#fdb863"
NEUTRAL_DARK, NEUTRAL = "#cccccc", "#e6e6e6"
POS_LIGHT, POS_DARK = "#5b9bd5", "#1f4e79"

THEME_LABEL_WIDTH = 28  # characters per line of a theme label
QUESTION_LABEL_WIDTH = 46  # characters per line of a question label, two lines at most
LEGEND_LABEL_WIDTH = 18

_FONT_FAMILY: str | None = None
_FONT_LOCK = threading.Lock()

RGB = tuple[float, float, float]


def _fonts_dir() -> Path | None:
    candidates: list[Path] = []
    try:
        from reportgen.core.resources import templates_dir

        candidates.append(templates_dir() / "fonts")
    except Exception:  # no resources module or no templates: look in the tree
        pass
    here = Path(__file__).resolve().parent.parent  # the reportgen package
    candidates += [here / "templates" / "fonts", here.parent / "templates" / "fonts"]
    return next((c for c in candidates if c.is_dir()), None)


def font_family() -> str:
    """"Carlito" once the bundled TTFs are registered with matplotlib, else "DejaVu Sans"."""
    global _FONT_FAMILY
    with _FONT_LOCK:
        if _FONT_FAMILY is None:
            folder = _fonts_dir()
            files = sorted(folder.glob("Carlito-*.ttf")) if folder else []
            known = {f.fname for f in font_manager.fontManager.ttflist}
            for path in files:
                if str(path) not in known:
                    font_manager.fontManager.addfont(str(path))
            registered = any(f.name == "Carlito" for f in font_manager.fontManager.ttflist)
            _FONT_FAMILY = "Carlito" if files and registered else "DejaVu Sans"
        return _FONT_FAMILY


def lightness(color: str | Sequence[float]) -> float:
    """CIE L* (0–100) of a colour: how light it prints in greyscale."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = mcolors.to_rgb(color)
    y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def _ramp(dark: str, light: str, k: int) -> list[RGB]:
    """k colours from dark to light (k == 1: the dark one)."""
    a, b = np.array(mcolors.to_rgb(dark)), np.array(mcolors.to_rgb(light))
    if k == 1:
        return [tuple(a)]  # type: ignore[list-item]
    return [tuple(a + (b - a) * j / (k - 1)) for j in range(k)]  # type: ignore[misc]


def scale_colors(scale: Scale) -> list[RGB]:
    """One colour per category, most negative first: orange ramp, grey, blue ramp.

    The most negative and the most positive categories are the darkest; the categories
    next to the middle are light, the neutral one(s) lightest.
    """
    neg = [v for v in scale.values if v in scale.negative]
    pos = [v for v in scale.values if v in scale.positive]
    neu = [v for v in scale.values if v not in scale.negative and v not in scale.positive]
    colors: dict[float, RGB] = {}
    colors.update(zip(neg, _ramp(NEG_DARK, NEG_LIGHT, len(neg))))
    colors.update(zip(reversed(pos), _ramp(POS_DARK, POS_LIGHT, len(pos))))
    neutral = _ramp(NEUTRAL_DARK, NEUTRAL, len(neu)) if len(neu) > 1 \
        else [mcolors.to_rgb(NEUTRAL)]
    colors.update(zip(neu, neutral))
    return [colors[v] for v in scale.values]
