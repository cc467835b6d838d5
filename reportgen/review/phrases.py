"""Danish sentences of the review tools (lint messages, diff headings) from the phrasebook
``templates/review/beskeder.txt.j2``: one Jinja macro per message, rendered through the
one environment (``core.templating``). ``phrase("pladsholder", tekst=...)`` → a sentence.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from reportgen.core.templating import environment

PHRASEBOOK = "review/beskeder.txt.j2"


@cache
def _module() -> Any:
    return environment().get_template(PHRASEBOOK).module


def phrase(name: str, **values: object) -> str:
    """The phrasebook's macro ``name`` with ``values``, as one line of text."""
    macro = getattr(_module(), name, None)
    if macro is None:
        raise KeyError(f"no phrase {name!r} in {PHRASEBOOK}")
    return " ".join(str(macro(**values)).split())
