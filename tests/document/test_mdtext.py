from __future__ import annotations

from reportgen.document.mdtext import parse_blocks, parse_inline
from reportgen.models.document import ListBlock, Paragraph, Run


def test_inline():
    assert parse_inline("Det er **vigtigt** og *nyt*") == (
        Run("Det er "), Run("vigtigt", bold=True), Run(" og "), Run("nyt", italic=True))
    assert parse_inline("Se [KL](https://kl.dk)") == (Run("Se KL (https://kl.dk)"),)


def test_blocks():
    blocks = parse_blocks("Første afsnit\nfortsat.\n\n- a\n- b\n\n1. x\n2. y\n\nSidste.")
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "Første afsnit fortsat."
    assert isinstance(blocks[1], ListBlock) and not blocks[1].ordered and len(blocks[1].items) == 2
    assert isinstance(blocks[2], ListBlock) and blocks[2].ordered
    assert blocks[3].text == "Sidste."


def test_markup_is_literal():
    text = "<script>alert(1)</script> {{ 7*7 }} <img src=\"file:///etc/passwd\">"
    blocks = parse_blocks(text)
    assert blocks[0].text == text
