"""reportgen.compat.weasyprint_layout reads where WeasyPrint put a section's blocks; it
fails here, loudly, when WeasyPrint's boxes change (the pages would then go unfitted)."""

from __future__ import annotations

import base64

from weasyprint import HTML

from reportgen.compat.weasyprint_layout import page_extents
from reportgen.core.png import placeholder_png

PNG_1x2 = "data:image/png;base64," + base64.b64encode(placeholder_png(10, 20, 96, "x")).decode("ascii")


def test_page_extents_give_each_block_of_a_section_in_order():
    html = f"""<html><head><style>@page {{ size: A4; margin: 2cm }} p {{ margin: 0; height: 3cm }}
    img {{ display: block; width: 2cm; height: 4cm }}</style></head><body><article>
    <section id="a"><h2>A</h2><p>x</p><figure><img src="{PNG_1x2}" alt="y"></figure><p>z</p></section>
    <section id="b"><h2>B</h2><p style="height: auto">{"ord " * 3000}</p></section></article></body></html>"""
    pages = HTML(string=html).render().pages
    extents = [page_extents(p) for p in pages]
    assert all(e is not None for e in extents)
    first = extents[0]
    assert [(b.section, b.index) for b in first.blocks][:4] == [("a", -1), ("a", 0), ("a", 1), ("a", 2)]
    figure = first.blocks[2]
    assert round(figure.image_height / 96 * 2.54, 1) == 4.0 and round(figure.image_width / 96 * 2.54, 1) == 2.0
    assert first.blocks[1].bottom <= figure.top + 0.5 and figure.bottom <= first.blocks[3].top + 0.5
    assert round((first.bottom - first.top) / 96 * 2.54, 1) == 25.7  # A4 less the two margins
    # the tall paragraph of section b runs over to the next page: the same block there
    assert ("b", 0) in {(b.section, b.index) for b in extents[1].blocks}
