"""Real Word numbering for the document's lists, bound to the list styles.

``List Bullet`` and ``List Number`` carry their numbering in the style (``w:numPr`` in the
style's ``w:pPr``), so a template that defines its own lists restyles reportgen's too, and
list paragraphs carry no numbering of their own. Without a template (or when the
template's list style has no numbering) reportgen's definitions are bound to the styles.

The one exception: an ordered list after the first restarts at 1 through its own
``w:num`` — the style's abstract definition with ``startOverride`` 1 — referenced from its
paragraphs. That is how Word itself restarts a list; a style cannot say it.
"""

from __future__ import annotations

import docx

from reportgen.compat.docx import nsdecls, numbering_element, parse_xml, qn
from reportgen.render.docx.ooxml import (
    NUMBERING_ORDER,
    PPR_ORDER,
    STYLE_ORDER,
    ensure_child,
    insert_ordered,
)

LIST_STYLES = {False: "List Bullet", True: "List Number"}


class Lists:
    """The numbering of the document's lists: one per kind in the style, one ``w:num``
    for every ordered list after the first."""

    def __init__(self, doc: docx.document.Document, house: bool):
        self._doc = doc
        self._house = house
        self._root = None
        self._abstract: dict[bool, int] = {}
        self._ordered_seen = False

    def new_list(self, ordered: bool) -> int | None:
        """The numId the items of a new list point at, or None for the style's own list."""
        root = self._numbering()
        if not ordered:
            return None
        if not self._ordered_seen:
            self._ordered_seen = True
            return None
        num_id = self._next_num_id(root)
        num = parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{self._abstract[True]}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
        insert_ordered(root, num, NUMBERING_ORDER)
        return num_id

    def _numbering(self):
        if self._root is None:
            self._root = numbering_element(self._doc)
            for ordered, name in LIST_STYLES.items():
                self._abstract[ordered] = self._bind(self._root, ordered, name)
        return self._root

    def _bind(self, root, ordered: bool, name: str) -> int:
        """The abstract definition behind the list style ``name``; reportgen's own, bound
        to the style, without a template or when the template's style has no numbering."""
        style = self._doc.styles[name].element
        ppr = ensure_child(style, "w:pPr", STYLE_ORDER)
        num_pr = ppr.find(qn("w:numPr"))
        ref = num_pr.find(qn("w:numId")) if num_pr is not None else None
        if not self._house and ref is not None:
            found = self._abstract_of(root, ref.get(qn("w:val")))
            if found is not None:
                return found
        abstract_id = self._add_abstract(root, ordered)
        num_id = self._next_num_id(root)
        insert_ordered(root, parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'), NUMBERING_ORDER)
        num_pr = ensure_child(ppr, "w:numPr", PPR_ORDER)
        for child in list(num_pr):
            num_pr.remove(child)
        num_pr.append(parse_xml(f'<w:numId {nsdecls("w")} w:val="{num_id}"/>'))
        return abstract_id

    @staticmethod
    def _abstract_of(root, num_id: str | None) -> int | None:
        for num in root.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                ref = num.find(qn("w:abstractNumId"))
                return int(ref.get(qn("w:val"))) if ref is not None else None
        return None

    @staticmethod
    def _next_num_id(root) -> int:
        return 1 + max((int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))),
                       default=0)

    @staticmethod
    def _add_abstract(root, ordered: bool) -> int:
        abstract_id = 1 + max((int(a.get(qn("w:abstractNumId")))
                               for a in root.findall(qn("w:abstractNum"))), default=-1)
        if ordered:
            fmt_, text = "decimal", "%1."
        else:
            fmt_, text = "bullet", "\u2022"
        nsid = f"{0x52470000 + abstract_id:08X}"  # fixed, so output stays deterministic
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt_}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="567" w:hanging="397"/></w:pPr></w:lvl></w:abstractNum>'
        )
        insert_ordered(root, abstract, NUMBERING_ORDER)
        return abstract_id
