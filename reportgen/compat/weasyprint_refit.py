"""A WeasyPrint layout re-made from one page on, after a kept-together block may break.

``render.pagefit`` lets a kept-together table break across pages when keeping it whole
left the page before it half empty. Laying the whole document out again for that costs
as much as the first layout; but nothing before the half-empty page changes, and
WeasyPrint itself can re-make a layout from a given page: it does so when page-based
counters need a second pass. ``Refittable`` uses that machinery (checked with WeasyPrint
70.0; ``SUPPORTED``):

- ``weasyprint.document.Document._render`` is mirrored: ``Document._build_layout_context``
  and ``weasyprint.formatting_structure.build.build_formatting_structure`` give the
  ``LayoutContext`` and the box tree, ``weasyprint.layout.layout_document`` lays it out,
  and the ``Document`` is made as ``_render`` makes it. The context and the box tree are
  kept for a re-layout.
- ``layout_document`` calls the module functions ``initialize_page_maker`` (which resets
  ``context.page_maker``, the start state of every page) and ``make_all_pages(context,
  root_box, html, pages)``, which re-makes only the pages whose ``remake_state`` is
  marked ``content_changed`` (and those after them whose start state then changed),
  given the previous pages. Both are wrapped once (``_install``); the wrappers change
  nothing unless this thread is re-laying out that very context. The pages of the
  previous pass are the ones ``make_all_pages`` returned, before ``layout_document``
  added the margin boxes and fixed boxes; their children are kept then and put back
  before a re-layout.
- ``allow_break(elements, from_page)``: the elements' boxes get ``break-inside: auto``
  (in a copy of the computed style ``box.style``, ``ComputedStyle.copy()``: WeasyPrint
  shares one computed style between elements that cascade alike; their ``keep-together`` class is
  removed from the element too, which is what the fresh HTML would have), page
  ``from_page`` is marked changed, ``context.string_set`` is emptied (``layout_document``
  collects it again for every page), and ``layout_document`` runs again.

The result is the layout a fresh render of the changed HTML gives — byte for byte the
same PDF; ``tests/compat/test_weasyprint_refit.py`` holds the two to the same bytes and
fails loudly when these internals change. On another WeasyPrint version, or with
footnotes or running elements in play (state this does not restore), ``refittable`` is
False and ``allow_break`` returns None: the caller lays the document out afresh.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

import weasyprint
from weasyprint import DEFAULT_OPTIONS

__all__ = ["Refittable", "SUPPORTED", "available"]

SUPPORTED = ("70.",)  # WeasyPrint versions whose layout internals this was checked against
_KEEP_CLASS = "keep-together"
_local = threading.local()
_INSTALLED: list[bool] = []
_INSTALL_LOCK = threading.Lock()


def available() -> bool:
    """True when this WeasyPrint is one the re-layout was checked against and its
    internals are where they were."""
    if not weasyprint.__version__.startswith(SUPPORTED):
        return False
    try:
        from weasyprint.document import Document
        from weasyprint.formatting_structure.build import build_formatting_structure  # noqa: F401
        from weasyprint.html import get_html_metadata  # noqa: F401
        from weasyprint.layout import initialize_page_maker, make_all_pages  # noqa: F401
        from weasyprint.pdf.metadata import DocumentMetadata  # noqa: F401
    except ImportError:
        return False
    return hasattr(Document, "_build_layout_context")


def _install() -> None:
    """Wrap ``weasyprint.layout``'s ``initialize_page_maker`` and ``make_all_pages`` (once)."""
    with _INSTALL_LOCK:
        if _INSTALLED:
            return
        import weasyprint.layout as layout

        initialize, make_all = layout.initialize_page_maker, layout.make_all_pages

        def initialize_page_maker(context: Any, root_box: Any) -> None:
            if getattr(_local, "context", None) is not context:
                initialize(context, root_box)  # a fresh layout

        def make_all_pages(context: Any, root_box: Any, html: Any, pages: list) -> Any:
            previous = getattr(_local, "pages", None)
            if getattr(_local, "context", None) is context and previous is not None and not pages:
                pages, _local.pages = previous, None  # the first pass of a re-layout
            made = list(make_all(context, root_box, html, pages))
            # Their children before layout_document adds margin and fixed boxes.
            context.reportgen_pages = [(p, p.children, p.children[0].children) for p in made]
            return iter(made)

        layout.initialize_page_maker = initialize_page_maker
        layout.make_all_pages = make_all_pages
        _INSTALLED.append(True)


class Refittable:
    """``HTML.render(font_config=…, **options)``, keeping what a re-layout needs."""

    def __init__(self, html: Any, font_config: Any, options: dict[str, Any]) -> None:
        from weasyprint.css.counters import CounterStyle
        from weasyprint.document import Document
        from weasyprint.formatting_structure.build import build_formatting_structure
        from weasyprint.pdf import VARIANTS

        _install()
        self.html = html
        self.font_config = font_config
        self.color_profiles: dict = {}
        opts = {**DEFAULT_OPTIONS, **options}
        if variant := opts["pdf_variant"]:  # as Document._render: the variant's defaults
            _, properties = VARIANTS[variant]
            for key, value in tuple(opts.items()):
                if value is None and key in properties:
                    opts[key] = properties[key]
        self.options = opts
        self.context = Document._build_layout_context(html, font_config, CounterStyle(), self.color_profiles, opts)
        self.root_box = build_formatting_structure(
            html.etree_element, self.context.style_for, self.context.get_image_from_uri, html.base_url,
            self.context.target_collector, self.context.counter_style, self.context.footnotes)
        self.document = self._lay_out()

    def _lay_out(self) -> Any:
        from weasyprint.document import Document, Page
        from weasyprint.html import get_html_metadata
        from weasyprint.layout import layout_document
        from weasyprint.pdf.metadata import DocumentMetadata

        page_boxes = layout_document(self.html, self.root_box, self.context)
        document = Document([Page(box) for box in page_boxes], DocumentMetadata(**get_html_metadata(self.html)),
                            self.html.url_fetcher, self.font_config, self.color_profiles,
                            self.options["output_intent"])
        document._html = self.html
        return document

    @property
    def refittable(self) -> bool:
        """Whether ``allow_break`` can re-make this layout (see the module docstring)."""
        c = self.context
        return bool(getattr(c, "reportgen_pages", None)) and not c.footnotes and not c.reported_footnotes \
            and not any(c.running_elements.values())

    def allow_break(self, elements: list[Any], from_page: int) -> Any | None:
        """Let ``elements`` (ElementTree elements with the ``keep-together`` class) break
        across pages and re-make the pages from ``from_page`` (0-based) on; the new
        ``weasyprint.Document``, or None when this layout cannot be re-made (then nothing
        was changed)."""
        boxes = [self._boxes_of(e) for e in elements]
        if not self.refittable or not all(boxes) or not 0 <= from_page < len(self.context.page_maker) - 1:
            return None
        for element, found in zip(elements, boxes):
            classes = (element.get("class") or "").split()
            element.set("class", " ".join(c for c in classes if c != _KEEP_CLASS))
            for box in found:
                box.style = box.style.copy()  # computed styles are shared by like elements
                box.style["break_inside"] = "auto"
        previous = []
        for page, children, root_children in self.context.reportgen_pages:
            page.children = children
            page.children[0].children = root_children
            previous.append(page)
        self.context.page_maker[from_page][-1]["content_changed"] = True
        self.context.string_set = defaultdict(lambda: defaultdict(list))
        _local.context, _local.pages = self.context, previous
        try:
            self.document = self._lay_out()
        finally:
            _local.context = _local.pages = None
        return self.document

    def _boxes_of(self, element: Any) -> list[Any]:
        """The boxes of the box tree made for ``element`` (a kept-together block: one)."""
        if _KEEP_CLASS not in (element.get("class") or "").split():
            return []
        found, stack = [], [self.root_box]
        while stack:
            box = stack.pop()
            if getattr(box, "element", None) is element and box.style["break_inside"] == "avoid":
                found.append(box)
            stack.extend(getattr(box, "children", ()) or ())
        return found
