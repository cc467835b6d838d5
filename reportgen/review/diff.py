"""Two snapshots → ``Diff``: the figures, sentences, hand-written texts, metadata and inputs
that changed. Two build folders, snapshot files or batch manifests → ``Comparison``.

Figures are matched by their key and compared as shown (rounded); sentences are aligned
per section with ``difflib`` and a sentence that was rewritten (at least half its words
kept) is one *changed* sentence with word-level marks, not a removal and an addition.
Word marks are ``(op, text)`` pairs: ``"="`` kept, ``"-"`` removed, ``"+"`` added.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.review.snapshot_file import SNAPSHOT_SUFFIX, Snapshot, load_snapshot

Kind = Literal["aendret", "tilfoejet", "fjernet"]
Word = tuple[str, str]
SIMILAR = 0.5  # a rewritten sentence keeps at least this share of its words
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class FigureChange:
    noegle: str
    label: str
    art: Kind
    foer: str | None
    efter: str | None


@dataclass(frozen=True)
class SentenceChange:
    afsnit: str  # the section's heading (in the newer version, if in both)
    art: Kind
    foer: str | None
    efter: str | None
    ord: tuple[Word, ...] = ()


@dataclass(frozen=True)
class TextChange:
    noegle: str  # e.g. "oekonomi", "indstilling", "sag.moededato"
    art: Kind
    foer: str | None
    efter: str | None
    ord: tuple[Word, ...] = ()


@dataclass(frozen=True)
class InputChange:
    rolle: str
    art: Kind
    foer: str | None  # "fil (sha256 prefix)"
    efter: str | None
    fil_foer: str | None = None
    fil_efter: str | None = None


@dataclass(frozen=True)
class Diff:
    """What changed from snapshot ``a`` (older) to ``b`` (newer)."""

    foer: str
    efter: str
    tal: tuple[FigureChange, ...] = ()
    saetninger: tuple[SentenceChange, ...] = ()
    haandskrevet: tuple[TextChange, ...] = ()
    sag: tuple[TextChange, ...] = ()
    input: tuple[InputChange, ...] = ()
    kortlaegning: tuple[TextChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.tal or self.saetninger or self.haandskrevet or self.sag or self.input or self.kortlaegning)

    def to_json(self) -> dict[str, Any]:
        def rows(items: Sequence[object]) -> list[dict[str, Any]]:
            out = []
            for it in items:
                d = {k: getattr(it, k) for k in it.__dataclass_fields__}  # type: ignore[attr-defined]
                if "ord" in d:
                    d["ord"] = [list(w) for w in d["ord"]]
                out.append(d)
            return out

        return {"foer": self.foer, "efter": self.efter, "forskelle": not self.empty,
                "tal": rows(self.tal), "saetninger": rows(self.saetninger),
                "haandskrevet": rows(self.haandskrevet), "sag": rows(self.sag),
                "input": rows(self.input), "kortlaegning": rows(self.kortlaegning)}


@dataclass(frozen=True)
class Comparison:
    """Diffs of the items two builds have in common, and the items only one has."""

    foer: str
    efter: str
    elementer: tuple[tuple[str, Diff], ...]
    kun_foer: tuple[str, ...] = ()
    kun_efter: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.kun_foer and not self.kun_efter and all(d.empty for _, d in self.elementer)

    def to_json(self) -> dict[str, Any]:
        return {"foer": self.foer, "efter": self.efter, "forskelle": not self.empty,
                "kun_foer": list(self.kun_foer), "kun_efter": list(self.kun_efter),
                "elementer": [{"id": i, **d.to_json()} for i, d in self.elementer]}

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- two snapshots


def diff(a: Snapshot, b: Snapshot) -> Diff:
    """What changed from ``a`` to ``b``."""
    return Diff(foer=a.kilde or a.navn, efter=b.kilde or b.navn, tal=tuple(_figures(a, b)),
                saetninger=tuple(_sentences(a, b)),
                haandskrevet=tuple(_texts(a.haandskrevet, b.haandskrevet)),
                sag=tuple(_texts({k: _str(v) for k, v in a.sag.items()}, {k: _str(v) for k, v in b.sag.items()},
                                 prefix="sag.")),
                input=tuple(_inputs(a, b)),
                kortlaegning=tuple(_texts(_flatten(a.kortlaegning), _flatten(b.kortlaegning), prefix="data.")))


def _str(v: object) -> str:
    return "" if v is None else str(v)


def _figures(a: Snapshot, b: Snapshot) -> list[FigureChange]:
    fa, fb = a.figures(), b.figures()
    out = []
    for key, new in fb.items():  # in the newer version's order, then the removed ones
        old = fa.get(key)
        if old is None:
            out.append(FigureChange(key, new.label, "tilfoejet", None, new.tekst))
        elif old.tekst != new.tekst:
            out.append(FigureChange(key, new.label, "aendret", old.tekst, new.tekst))
    out += [FigureChange(k, f.label, "fjernet", f.tekst, None) for k, f in fa.items() if k not in fb]
    return out


def words(old: str, new: str) -> tuple[Word, ...]:
    """Word-level marks turning ``old`` into ``new`` (whitespace kept with the words)."""
    ta, tb = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    sm = difflib.SequenceMatcher(a=[t.strip() for t in ta], b=[t.strip() for t in tb], autojunk=False)
    out: list[Word] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(("=", "".join(tb[j1:j2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(ta[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(tb[j1:j2])))
    return tuple(out)


def _similar(x: str, y: str) -> bool:
    return difflib.SequenceMatcher(a=x.split(), b=y.split(), autojunk=False).ratio() >= SIMILAR


def _sentences(a: Snapshot, b: Snapshot) -> list[SentenceChange]:
    sa = {s.noegle: s for s in a.afsnit}
    sb = {s.noegle: s for s in b.afsnit}
    keys = [s.noegle for s in b.afsnit] + [k for k in sa if k not in sb]
    out: list[SentenceChange] = []
    for key in keys:
        old = sa[key].saetninger if key in sa else ()
        new = sb[key].saetninger if key in sb else ()
        heading = (sb.get(key) or sa[key]).overskrift
        sm = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            out += _pair(heading, list(old[i1:i2]), list(new[j1:j2]))
    return out


def _pair(heading: str, old: list[str], new: list[str]) -> list[SentenceChange]:
    """Removed and added sentences of one block: a removed one that resembles an added one
    (in order) is one changed sentence."""
    out: list[SentenceChange] = []
    j = 0
    for o in old:
        match = next((k for k in range(j, len(new)) if _similar(o, new[k])), None)
        if match is None:
            out.append(SentenceChange(heading, "fjernet", o, None))
            continue
        out += [SentenceChange(heading, "tilfoejet", None, n) for n in new[j:match]]
        out.append(SentenceChange(heading, "aendret", o, new[match], words(o, new[match])))
        j = match + 1
    out += [SentenceChange(heading, "tilfoejet", None, n) for n in new[j:]]
    return out


def _texts(a: Mapping[str, str], b: Mapping[str, str], prefix: str = "") -> list[TextChange]:
    out = []
    for key in [*b, *(k for k in a if k not in b)]:
        old, new = a.get(key), b.get(key)
        if old == new or (not old and not new):
            continue
        if not old:
            out.append(TextChange(prefix + key, "tilfoejet", None, new))
        elif not new:
            out.append(TextChange(prefix + key, "fjernet", old, None))
        else:
            out.append(TextChange(prefix + key, "aendret", old, new, words(old, new)))
    return out


def _flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in value.items():
        if isinstance(v, Mapping) and v:
            out.update(_flatten(v, f"{prefix}{k}."))
        elif v not in (None, [], {}, ""):
            out[prefix + k] = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    return out


def _inputs(a: Snapshot, b: Snapshot) -> list[InputChange]:
    ia = {i.rolle: i for i in a.input}
    ib = {i.rolle: i for i in b.input}
    out = []
    for role in [*ib, *(r for r in ia if r not in ib)]:
        old, new = ia.get(role), ib.get(role)
        if old is not None and new is not None and old.sha256 == new.sha256 and old.fil == new.fil:
            continue
        art: Kind = "aendret" if old and new else ("tilfoejet" if new else "fjernet")
        out.append(InputChange(role, art, f"{old.fil} ({old.sha256[:12]})" if old else None,
                               f"{new.fil} ({new.sha256[:12]})" if new else None,
                               old.fil if old else None, new.fil if new else None))
    return out


# --------------------------------------------------------------------------- two paths


def compare(path_a: str | Path, path_b: str | Path) -> Comparison:
    """Diff two builds given as build folders, ``.indhold.json`` files or batch manifests.

    A folder with ``manifest.json`` is a batch output; items are matched by their id
    (``2024K2/Norddjurs``). A folder without one holds single builds; snapshots are matched
    by name (one on each side always match). Raises ``InputError`` (Danish) for a path that
    is none of these.
    """
    a, b = _collect(Path(path_a)), _collect(Path(path_b))
    if len(a) == 1 and len(b) == 1:
        (ka, sa), (kb, sb) = next(iter(a.items())), next(iter(b.items()))
        pairs = [(kb if ka == kb else f"{ka} → {kb}", sa, sb)]
        only_a: list[str] = []
        only_b: list[str] = []
    else:
        pairs = [(k, a[k], b[k]) for k in sorted(a) if k in b]
        only_a, only_b = sorted(k for k in a if k not in b), sorted(k for k in b if k not in a)
    return Comparison(str(path_a), str(path_b), tuple((k, diff(x, y)) for k, x, y in pairs),
                      tuple(only_a), tuple(only_b))


def _collect(path: Path) -> dict[str, Snapshot]:
    if path.is_dir() and (path / MANIFEST_NAME).is_file():
        path = path / MANIFEST_NAME
    if path.is_file():
        if path.name.endswith(SNAPSHOT_SUFFIX):
            s = load_snapshot(path)
            return {s.navn: s}
        if path.suffix == ".json":
            return _from_manifest(path)
        raise InputError(Problem(message("review", "cannot_compare"), file=str(path),
                                 expected=message("review", "cannot_compare_expected", suffix=SNAPSHOT_SUFFIX)))
    if path.is_dir():
        found = sorted(path.glob(f"*{SNAPSHOT_SUFFIX}"))
        if not found:
            raise InputError(Problem(message("review", "folder_without_snapshot", suffix=SNAPSHOT_SUFFIX),
                                     file=str(path), expected=message("review", "folder_without_snapshot_expected")))
        snaps = [load_snapshot(p) for p in found]
        return {s.navn: s for s in snaps}
    raise InputError(Problem(message("review", "not_found"), file=str(path)))


def _from_manifest(path: Path) -> dict[str, Snapshot]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(Problem(message("review", "manifest_unreadable", error=exc), file=str(path))) from exc
    if not isinstance(data, dict) or "elementer" not in data:
        raise InputError(Problem(message("review", "not_a_manifest"), file=str(path),
                                 expected=message("review", "not_a_manifest_expected")))
    out: dict[str, Snapshot] = {}
    for item in data["elementer"]:
        files = [o["fil"] for o in item.get("output", []) if str(o.get("fil", "")).endswith(SNAPSHOT_SUFFIX)]
        if item.get("status") == "fejlet" or not files:
            continue
        out[str(item["id"])] = load_snapshot(path.parent / files[0])
    if not out:
        raise InputError(Problem(message("review", "manifest_without_snapshots", suffix=SNAPSHOT_SUFFIX),
                                 file=str(path), expected=message("review", "manifest_without_snapshots_expected")))
    return out


__all__ = ["Diff", "Comparison", "FigureChange", "SentenceChange", "TextChange", "InputChange", "diff", "compare",
           "words"]
