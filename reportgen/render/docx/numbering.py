"""Real Word numbering for the document's lists."""

from __future__ import annotations

import docx
from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart

from reportgen.render.docx.ooxml import NUMBERING_ORDER, insert_ordered


class Lists:
    """Real Word numbering: one abstract definition per kind, one ``w:num`` per list."""

    def __init__(self, doc: docx.document.Document):
        self._doc = doc
        self._root = None
        self._abstract: dict[bool, int] = {}

    def new_list(self, ordered: bool) -> int:
        """The numId of a fresh list; ordered lists restart at 1."""
        root = self._numbering()
        if ordered not in self._abstract:
            self._abstract[ordered] = self._add_abstract(root, ordered)
        num_id = 1 + max((int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))),
                         default=0)
        override = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                    if ordered else "")
        num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                        f'<w:abstractNumId w:val="{self._abstract[ordered]}"/>{override}</w:num>')
        insert_ordered(root, num, NUMBERING_ORDER)
        return num_id

    def _numbering(self):
        if self._root is None:
            part = self._doc.part
            try:
                numbering_part = part.part_related_by(RT.NUMBERING)
            except KeyError:
                blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<w:numbering {nsdecls("w")}/>').encode()
                numbering_part = NumberingPart.load(PackURI("/word/numbering.xml"),
                                                    CT.WML_NUMBERING, blob, part.package)
                part.relate_to(numbering_part, RT.NUMBERING)
            self._root = numbering_part.element
        return self._root

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
