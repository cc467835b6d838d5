"""Make the PDF's pre-subset fonts: templates/fonts/ReportgenSans-*.ttf from Carlito-*.ttf.

WeasyPrint subsets every embedded font to the glyphs a PDF uses. Without HarfBuzz's
subsetter (``libharfbuzz-subset0``, not on a fresh machine) it does so with fontTools,
which costs about 1,8 s of CPU per PDF on Carlito's 2.800 glyphs. These files hold only
the ~520 glyphs Danish (and other Latin-script) documents use — Basic Latin, Latin-1,
Latin Extended-A, the punctuation, dashes, quotes, arrows and signs of the templates —
with the default layout features (kerning, ligatures) and tabular figures, no hinting
(the PDF drops hinting anyway). They are small enough to embed whole, so the PDF renderer
skips subsetting (``reportgen.render.pdf``); a character outside them falls back to the
full Carlito files, which are then subset as before.

Licence: Carlito is under the SIL Open Font License 1.1 with the Reserved Font Name
"Carlito"; a subset is a Modified Version, so these files carry another name
("Reportgen Sans") and keep the copyright and licence entries (see OFL.txt).

    python tools/make_fonts.py      # rewrites templates/fonts/ReportgenSans-*.ttf
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parents[1] / "templates" / "fonts"
FAMILY = "Reportgen Sans"
STYLES = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "BoldItalic": "Bold Italic"}

# The code points kept (inclusive ranges).
RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 Supplement, Latin Extended-A (æøå, äöü, é, ł, ő, č …)
    (0x0218, 0x021B),  # Romanian comma-below letters
    (0x02C6, 0x02DD),  # spacing accents
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x203A),  # per mille, primes, angle quotes
    (0x20AC, 0x20AC),  # euro
    (0x2122, 0x2122),  # trade mark
    (0x2190, 0x2193),  # arrows
    (0x2212, 0x2212),  # minus
    (0x2248, 0x2248),  # almost equal
    (0x2260, 0x2265),  # not equal, less/greater or equal
    (0x25CF, 0x25CF),  # black circle
)


def codepoints() -> list[int]:
    return [u for a, b in RANGES for u in range(a, b + 1)]


def make(style: str) -> Path:
    font = TTFont(str(FONTS / f"Carlito-{style}.ttf"))
    options = subset.Options()
    options.layout_features = [*options.layout_features, "tnum", "pnum", "lnum"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    _rename(font, STYLES[style])
    out = FONTS / f"ReportgenSans-{style}.ttf"
    font.save(str(out))
    return out


def _rename(font: TTFont, style_name: str) -> None:
    """Replace the reserved name in the name table (family, full, PostScript, unique,
    typographic family, trademark); copyright (0) and licence (13, 14) stay."""
    post = f"{FAMILY.replace(' ', '')}-{style_name.replace(' ', '')}"
    names = {
        1: FAMILY if style_name in ("Regular", "Bold", "Italic", "Bold Italic") else FAMILY,
        3: f"{post};subset of Carlito 1.103 by reportgen",
        4: f"{FAMILY} {style_name}" if style_name != "Regular" else FAMILY,
        6: post,
        7: None,
        10: "Reportgen Sans is a subset of Carlito (SIL OFL 1.1), made for reportgen's PDF output.",
        16: FAMILY,
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            value = names[record.nameID]
            if value is None:
                table.removeNames(nameID=record.nameID)
            else:
                record.string = value


def main() -> int:
    for style in STYLES:
        print(make(style))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
