"""Built-in Danish answer scales and scale definitions from the case file → ``Scale``.

A scale lists its labels from most negative to most positive with numeric values;
``positive``/``negative`` name the categories counted in the shares. Label matching
tolerates case, surrounding whitespace and Unicode normalisation (NFC/NFD), nothing looser.
"""

from __future__ import annotations

import unicodedata

from reportgen.errors import InputError, Problem
from reportgen.models import Scale

DEFAULT_MISSING = ("Ved ikke", "Ikke relevant", "Ønsker ikke at svare")


def _scale(name: str, title: str, labels: list[str], positive: int, negative: int,
           values: list[float] | None = None) -> Scale:
    vals = tuple(float(v) for v in (values or range(1, len(labels) + 1)))
    return Scale(
        name=name,
        title=title,
        labels=tuple(labels),
        values=vals,
        positive=frozenset(vals[len(vals) - positive:]),
        negative=frozenset(vals[:negative]),
        missing_labels=DEFAULT_MISSING,
    )


BUILTIN: dict[str, Scale] = {
    s.name: s
    for s in (
        _scale("tilfredshed5", "1 = Meget utilfreds … 5 = Meget tilfreds",
               ["Meget utilfreds", "Utilfreds", "Hverken tilfreds eller utilfreds",
                "Tilfreds", "Meget tilfreds"], 2, 2),
        _scale("grad5", "1 = I meget lav grad … 5 = I meget høj grad",
               ["I meget lav grad", "I lav grad", "I nogen grad", "I høj grad",
                "I meget høj grad"], 2, 2),
        _scale("grad4", "1 = Slet ikke … 4 = I høj grad",
               ["Slet ikke", "I mindre grad", "I nogen grad", "I høj grad"], 2, 2),
        _scale("enighed5", "1 = Helt uenig … 5 = Helt enig",
               ["Helt uenig", "Overvejende uenig", "Hverken enig eller uenig",
                "Overvejende enig", "Helt enig"], 2, 2),
        _scale("janej", "Nej = 0, Ja = 1", ["Nej", "Ja"], 1, 1, values=[0, 1]),
    )
}


def normalize_label(text: str) -> str:
    """The form labels are compared in: NFC, case-folded, surrounding whitespace removed."""
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


def scale_from_definition(name: str, d: object, source: str) -> Scale:
    """Build a Scale from a case-file ``SkalaDef``; problems name the scale and the key."""
    labels = list(d.etiketter)  # type: ignore[attr-defined]
    where = f"data.skalaer.{name}"
    if not 2 <= len(labels) <= 11:
        raise InputError(Problem("En skala skal have mellem 2 og 11 svarmuligheder", file=source,
                                 column=where + ".etiketter", value=str(len(labels))))
    values = d.vaerdier or list(range(1, len(labels) + 1))  # type: ignore[attr-defined]
    if len(values) != len(labels):
        raise InputError(Problem("Antallet af værdier passer ikke til antallet af etiketter",
                                 file=source, column=where + ".vaerdier", value=str(len(values)),
                                 expected=f"{len(labels)} værdier"))
    by_label = {normalize_label(lab): float(v) for lab, v in zip(labels, values)}

    def pick(key: str, chosen: list[str] | None, default: list[float]) -> frozenset[float]:
        if chosen is None:
            return frozenset(default)
        out = set()
        for lab in chosen:
            if normalize_label(lab) not in by_label:
                raise InputError(Problem("Kategorien findes ikke blandt skalaens etiketter",
                                         file=source, column=f"{where}.{key}", value=lab,
                                         expected=", ".join(labels)))
            out.add(by_label[normalize_label(lab)])
        return frozenset(out)

    vals = [float(v) for v in values]
    half = len(vals) // 2  # top/bottom half; the middle category of an odd scale is neutral
    return Scale(
        name=name,
        title=d.titel,  # type: ignore[attr-defined]
        labels=tuple(labels),
        values=tuple(vals),
        positive=pick("positive", d.positive, vals[-half:]),  # type: ignore[attr-defined]
        negative=pick("negative", d.negative, vals[:half]),  # type: ignore[attr-defined]
        missing_labels=tuple(d.mangler),  # type: ignore[attr-defined]
        missing_codes=tuple(float(c) for c in d.manglende_koder),  # type: ignore[attr-defined]
    )
