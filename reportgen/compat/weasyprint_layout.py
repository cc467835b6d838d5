"""Where WeasyPrint put the document's blocks: read from its laid-out boxes.

``render.pagefit`` needs, per page, where each block of each section starts and ends, to
find a page left half empty before a figure. WeasyPrint's public ``Page`` has no boxes;
the laid-out tree is ``Page._page_box`` (checked with WeasyPrint 70.0): boxes with
``element`` (the source element, an ElementTree element), ``element_tag``,
``position_y``, ``margin_height()``, ``content_box_y()``, ``height`` and ``children``.
When that is not found, ``page_extents`` returns None and the pages are left as laid
out (``tests/compat/test_weasyprint_layout.py`` fails loudly).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Extent", "PageExtents", "page_extents"]


@dataclass(frozen=True)
class Extent:
    """One block of a section on one page: the section's ``id``, the block's index among the
    section's blocks (-1: the section heading), its top and bottom (CSS px, margins in),
    and, for a figure, its image's height and width."""

    section: str
    index: int
    top: float
    bottom: float
    image_height: float | None = None
    image_width: float | None = None


@dataclass(frozen=True)
class PageExtents:
    """A page's content area (top and bottom, CSS px) and its blocks in reading order."""

    top: float
    bottom: float
    blocks: tuple[Extent, ...]


def page_extents(page: Any) -> PageExtents | None:
    """The blocks on a laid-out ``weasyprint.document.Page``, or None when WeasyPrint's
    boxes are not as expected."""
    try:
        root = page._page_box
        top = root.content_box_y()
        bottom = top + root.height
        blocks: list[Extent] = []
        _walk(root, blocks)
    except AttributeError:
        return None
    return PageExtents(top, bottom, tuple(blocks))


def _walk(box: Any, out: list[Extent]) -> None:
    for child in getattr(box, "children", None) or ():
        element = getattr(child, "element", None)
        if getattr(child, "element_tag", None) == "section" and element is not None and element.get("id"):
            _section(child, element, out)
        elif hasattr(child, "children"):
            _walk(child, out)


def _section(box: Any, element: Any, out: list[Extent]) -> None:
    children = [c for c in element if isinstance(c.tag, str)]  # element children: the h2, then the blocks
    for child in box.children:
        el = getattr(child, "element", None)
        if el is None or el is element or el not in children:
            continue
        image = _image(child)
        out.append(Extent(element.get("id"), children.index(el) - 1, child.position_y,
                          child.position_y + child.margin_height(),
                          image.height if image is not None else None, image.width if image is not None else None))


def _image(box: Any) -> Any:
    for child in getattr(box, "children", None) or ():
        if getattr(child, "element_tag", None) == "img":
            return child
        found = _image(child)
        if found is not None:
            return found
    return None
