"""Built-in Danish answer scales, scale definitions (case file or shared scale file) → ``Scale``.

A scale lists its labels from most negative to most positive with numeric values (the
scores means are computed on); ``positive``/``negative`` name the categories counted in
the shares. ``koder`` say how the answers are coded in the data file when that differs
from the scores (e.g. a provider coding 1 = "Meget tilfreds"). Label matching tolerates
case, surrounding whitespace and Unicode normalisation (NFC/NFD), nothing looser.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.core.templating import message
from reportgen.errors import Problem
from reportgen.models.survey import Scale

DEFAULT_MISSING = ("Ved ikke", "Ikke relevant", "Ønsker ikke at svare")
MIN_POINTS, MAX_POINTS = 2, 11


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

# Other spellings of the built-in names (compared by ``scale_key``).
ALIASES = {"tilfredshed": "tilfredshed5", "tilfreds5": "tilfredshed5", "enighed": "enighed5",
           "enig5": "enighed5", "janej": "janej", "jn": "janej", "janej2": "janej"}


def normalize_label(text: str) -> str:
    """The form labels are compared in: NFC, case-folded, surrounding whitespace removed."""
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


def scale_key(name: str) -> str:
    """A scale name for lookup: case-folded letters and digits only ('Ja/nej' → 'janej')."""
    return "".join(ch for ch in unicodedata.normalize("NFC", str(name)).casefold() if ch.isalnum())


def find_scale(name: str, scales: Mapping[str, Scale]) -> Scale | None:
    """The scale called ``name``: exact, else by ``scale_key``, else a built-in alias."""
    if name in scales:
        return scales[name]
    by_key = {scale_key(k): v for k, v in scales.items()}
    key = scale_key(name)
    if key in by_key:
        return by_key[key]
    alias = ALIASES.get(key)
    return scales.get(alias) if alias else None


def suggest_scale(name: str, scales: Mapping[str, Scale]) -> str:
    """Expected-text for an unknown scale name: the closest name and the list."""
    hint = difflib.get_close_matches(name, list(scales), n=1, cutoff=0.5)
    return message("ingest_scales", "suggest_scale", hint=hint[0] if hint else None, names=list(scales))


@dataclass(frozen=True)
class Coding:
    """How one scale's answers appear in the data: numeric code → scale value."""

    codes: Mapping[float, float]


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v).replace(".", ",")


def default_title(labels: Sequence[str], values: Sequence[float]) -> str:
    return f"{_fmt(values[0])} = {labels[0]} … {_fmt(values[-1])} = {labels[-1]}"


def scale_from_definition(name: str, d: Any, source: str, problems: list[Problem],
                          where: str | None = None) -> tuple[Scale, Coding] | None:
    """Build a Scale (and its data coding) from a ``SkalaDef``; problems are collected."""
    where = where or f"data.skalaer.{name}"
    start = len(problems)

    def bad(text: str, key: str, value: object = None, expected: str | None = None) -> None:
        problems.append(Problem(text, file=source, column=f"{where}.{key}",
                                value=None if value is None else str(value), expected=expected))

    labels = [str(lab).strip() for lab in d.etiketter]
    if not MIN_POINTS <= len(labels) <= MAX_POINTS:
        bad(message("ingest_scales", "points", low=MIN_POINTS, high=MAX_POINTS), "etiketter",
            message("ingest_scales", "n_labels", n=len(labels)), message("ingest_scales", "points_expected"))
        return None
    _check_unique_labels(labels, bad)
    values = [float(v) for v in (d.vaerdier or range(1, len(labels) + 1))]
    _check_values(values, len(labels), "vaerdier", bad)
    codes = [float(v) for v in d.koder] if d.koder else values
    if d.koder:
        _check_codes(codes, len(labels), bad)
    missing_codes = tuple(float(c) for c in d.manglende_koder)
    clash = sorted(set(missing_codes) & set(codes))
    if clash:
        bad(message("ingest_scales", "missing_code_on_scale"), "manglende_koder", _fmt(clash[0]),
            message("ingest_scales", "missing_code_on_scale_expected"))
    missing = [str(m).strip() for m in d.mangler]
    both = [m for m in missing if normalize_label(m) in {normalize_label(lab) for lab in labels}]
    if both:
        bad(message("ingest_scales", "label_also_missing"), "mangler", both[0],
            message("ingest_scales", "label_also_missing_expected"))
    if len(problems) > start:
        return None
    positive = _pick(d.positive, labels, values, values[-(len(values) // 2):], "positive", bad)
    negative = _pick(d.negative, labels, values, values[:len(values) // 2], "negative", bad)
    if positive is not None and negative is not None and positive & negative:
        bad(message("ingest_scales", "positive_and_negative"), "negative",
            ", ".join(labels[values.index(v)] for v in sorted(positive & negative)))
    if len(problems) > start or positive is None or negative is None:
        return None
    scale = Scale(name=name, title=d.titel or default_title(labels, values), labels=tuple(labels),
                  values=tuple(values), positive=positive, negative=negative, missing_labels=tuple(missing),
                  missing_codes=missing_codes, positive_word=(d.positiv_ord or "").strip())
    return scale, Coding(dict(zip(codes, values)))


def _check_unique_labels(labels: list[str], bad: Any) -> None:
    seen: set[str] = set()
    for lab in labels:
        if not lab:
            bad(message("ingest_scales", "empty_label"), "etiketter",
                expected=message("ingest_scales", "empty_label_expected"))
        elif normalize_label(lab) in seen:
            bad(message("ingest_scales", "label_twice"), "etiketter", lab,
                message("ingest_scales", "label_twice_expected"))
        seen.add(normalize_label(lab))


def _check_values(values: list[float], n: int, key: str, bad: Any) -> None:
    if len(values) != n:
        bad(message("ingest_scales", "values_count"), key, message("ingest_scales", "n_values", n=len(values)),
            message("ingest_scales", "values_count_expected", n=n))
    elif any(b <= a for a, b in zip(values, values[1:])):
        bad(message("ingest_scales", "values_not_rising"), key, ", ".join(_fmt(v) for v in values),
            message("ingest_scales", "values_not_rising_expected"))


def _check_codes(codes: list[float], n: int, bad: Any) -> None:
    if len(codes) != n:
        bad(message("ingest_scales", "codes_count"), "koder", message("ingest_scales", "n_codes", n=len(codes)),
            message("ingest_scales", "codes_count_expected", n=n))
    elif len(set(codes)) != len(codes):
        bad(message("ingest_scales", "code_twice"), "koder", ", ".join(_fmt(c) for c in codes),
            message("ingest_scales", "code_twice_expected"))


def _pick(chosen: Sequence[object] | None, labels: list[str], values: list[float], default: Sequence[float],
          key: str, bad: Any) -> frozenset[float] | None:
    """Categories named by label (or by value) → their values."""
    if chosen is None:
        return frozenset(default)
    by_label = {normalize_label(lab): v for lab, v in zip(labels, values)}
    out: set[float] = set()
    ok = True
    for item in chosen:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            if float(item) in values:
                out.add(float(item))
                continue
        elif normalize_label(str(item)) in by_label:
            out.add(by_label[normalize_label(str(item))])
            continue
        elif _number(str(item)) in values:
            out.add(_number(str(item)))  # type: ignore[arg-type]
            continue
        bad(message("ingest_scales", "unknown_category"), key, item,
            ", ".join(labels))
        ok = False
    return frozenset(out) if ok else None


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def read_scale_file(path: Path, display: str, problems: list[Problem]) -> dict[str, Any]:
    """A shared scale file (YAML: name → definition, optionally under 'skalaer') → SkalaDefs."""
    import yaml

    from reportgen.core import yamlio
    from pydantic import TypeAdapter, ValidationError

    from reportgen.settings.case import SkalaDef, danish_msg

    if not path.is_file():
        problems.append(Problem(message("ingest_scales", "scale_file_missing"), file=display, column="data.skalafil",
                                value=str(path), expected=message("ingest_scales", "scale_file_missing_expected")))
        return {}
    try:
        raw = yamlio.load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(message("ingest_scales", "scale_file_not_yaml"), file=display,
                                row=mark.line + 1 if mark else None,
                                expected=message("ingest_scales", "scale_file_not_yaml_expected")))
        return {}
    if isinstance(raw, dict) and set(raw) == {"skalaer"}:
        raw = raw["skalaer"]
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(message("ingest_scales", "scale_file_not_mapping"), file=display,
                                expected=message("ingest_scales", "scale_file_not_mapping_expected")))
        return {}
    try:
        return dict(TypeAdapter(dict[str, SkalaDef]).validate_python(raw))
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            if err["type"] == "extra_forbidden":
                msg = message("ingest_scales", "unknown_scale_key")
                expected = message("ingest_scales", "unknown_scale_key_expected", names=list(SkalaDef.model_fields))
            elif err["type"] == "missing":
                msg, expected = message("ingest_scales", "required_key_missing"), "etiketter: [...]"
            else:
                msg, expected = message("ingest_scales", "invalid_scale_value", reason=danish_msg(err)), None
            value = str(err["loc"][-1]) if err["type"] == "extra_forbidden" else err.get("input")
            problems.append(Problem(msg, file=display, column=loc,
                                    value=None if isinstance(value, (dict, list)) else str(value), expected=expected))
        return {}
