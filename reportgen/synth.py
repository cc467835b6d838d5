"""Synthetic KL-style survey data: (size, municipalities, periods, seed) → three DataFrames.

``generate`` turns a respondent count, a list of municipalities and a seed into
respondent-level answers shaped like an export of KL's tværkommunale borgerundersøgelse
på beskæftigelsesområdet, plus the question catalogue and the number of invited citizens
per municipality (and period). ``write_csv`` writes a frame the way Danish Excel does
(``;``-separated UTF-8 with BOM). Used for the demo fixtures, tests and benchmarks.

The model is a simple ordinal one: a latent satisfaction made of a municipality level,
a target-group offset, a theme offset, small municipality×theme and group×theme
interactions, a drift per period and municipality, a respondent effect (so answers in a
theme correlate) and item noise, rounded and clipped to 1–5. Everything is vectorised
numpy driven by one ``numpy.random.default_rng(seed)``: the same arguments give the same
frames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reportgen.scales import BUILTIN

THEMES: list[str] = [
    "Overordnet tilfredshed",
    "Mødet med jobcentret",
    "Mål og aktiviteter",
    "Samarbejde på tværs",
    "Samtalen",
    "Progression",
]


def _q(qid: str, tekst: str, tema: int, omvendt: bool = False) -> dict[str, Any]:
    nummer = qid[1:].replace("_", ".")
    skala = "tilfredshed5" if tema == 0 else "grad5"
    return {"id": qid, "nummer": nummer, "tekst": tekst, "tema": THEMES[tema],
            "skala": skala, "omvendt": omvendt}


CATALOGUE: list[dict[str, Any]] = [
    _q("q1_1", "Hvor tilfreds er du alt i alt med dit forløb i jobcentret?", 0),
    _q("q1_2", "Hvor tilfreds er du med den hjælp, du har fået fra jobcentret?", 0),
    _q("q1_3", "Hvor tilfreds er du med kontakten til din sagsbehandler eller jobkonsulent?", 0),
    _q("q2_1", "I hvor høj grad oplever du at blive mødt med tillid?", 1),
    _q("q2_2", "I hvor høj grad oplever du, at der bliver lyttet til dine idéer og forslag, "
               "når der lægges en plan for dit forløb?", 1),
    _q("q2_3", "I hvor høj grad oplever du, at der tages udgangspunkt i din situation?", 1),
    _q("q3_1", "I hvor høj grad oplever du, at der er klare mål for dit forløb?", 2),
    _q("q3_2", "I hvor høj grad giver aktiviteterne i dit forløb mening i forhold til "
               "dine mål?", 2),
    _q("q4_1", "I hvor høj grad oplever du, at der arbejdes godt sammen på tværs af "
               "kommunens afdelinger, når der er behov for det?", 3),
    _q("q4_2", "I hvor høj grad oplever du, at de fagpersoner, du møder, kender til din "
               "samlede situation?", 3),
    _q("q4_3", "I hvor høj grad har du oplevet at skulle gentage din historie?", 3, omvendt=True),
    _q("q5_1", "I hvor høj grad var formålet med samtalen klart for dig?", 4),
    _q("q5_2", "I hvor høj grad var din sagsbehandler forberedt til samtalen?", 4),
    _q("q5_3", "I hvor høj grad blev information om regler og lovgivning formidlet på en "
               "let forståelig måde?", 4),
    _q("q5_4", "I hvor høj grad blev der lavet en konkret plan for din videre jobsøgning, "
               "uddannelse eller dit forløb?", 4),
    _q("q6_1", "I hvor høj grad præsenterer jobcentret dig løbende for konkrete "
               "jobmuligheder?", 5),
    _q("q6_2", "I hvor høj grad oplever du, at indsatsen i jobcentret bringer dig tættere "
               "på job eller uddannelse?", 5),
    _q("q6_3", "I hvor høj grad styrker dit forløb i jobcentret din tro på at komme i "
               "arbejde eller uddannelse?", 5),
]

# Latent offset per question on top of its theme (the reverse-coded item is in positive
# direction here: a high latent value means "rarely had to repeat my story").
_ITEM_OFFSET: dict[str, float] = {
    "q1_1": 0.0, "q1_2": -0.05, "q1_3": 0.10,
    "q2_1": 0.10, "q2_2": -0.10, "q2_3": 0.0,
    "q3_1": 0.05, "q3_2": -0.05,
    "q4_1": 0.05, "q4_2": 0.05, "q4_3": -0.15,
    "q5_1": 0.05, "q5_2": 0.05, "q5_3": -0.05, "q5_4": -0.05,
    "q6_1": -0.25, "q6_2": 0.10, "q6_3": 0.15,
}
_THEME_OFFSET = np.array([0.05, 0.10, -0.20, -0.65, 0.15, -0.70], dtype=np.float32)

# Approximate population (thousands): used for municipality sizes.
_POPULATION: dict[str, float] = {
    "Norddjurs": 37.5, "Syddjurs": 44, "Aarhus": 370, "Randers": 100, "Viborg": 98,
    "Silkeborg": 100, "Herning": 90, "Holstebro": 59, "Skive": 46, "Favrskov": 50,
    "Skanderborg": 64, "Odder": 23, "Samsø": 3.7, "Horsens": 98, "Hedensted": 48,
    "Ikast-Brande": 42, "Ringkøbing-Skjern": 56, "Lemvig": 19, "Struer": 21, "Morsø": 20,
    "Thisted": 43, "Mariagerfjord": 41, "Rebild": 31, "Vesthimmerlands": 36, "Aalborg": 222,
    "Jammerbugt": 38, "Brønderslev": 37, "Hjørring": 64, "Frederikshavn": 59, "Vejle": 120,
    "Kolding": 95, "Fredericia": 52, "Esbjerg": 115, "Varde": 50, "Billund": 27,
    "Haderslev": 55, "Aabenraa": 59, "Sønderborg": 73, "Tønder": 37, "Odense": 207,
    "Svendborg": 59, "Faaborg-Midtfyn": 52, "Slagelse": 80, "Næstved": 84,
}
MUNICIPALITIES: list[str] = list(_POPULATION)

TARGET_GROUPS: list[str] = [
    "Dagpengemodtagere",
    "Sygedagpengemodtagere",
    "Jobafklaring",
    "Aktivitetsparate",
    "Job- og uddannelsesparate",
    "Ressourceforløb",
]
_GROUP_OFFSET = np.array([0.22, 0.18, 0.12, -0.28, -0.22, -0.05], dtype=np.float32)
_GROUP_SHARE = np.array([0.27, 0.25, 0.10, 0.17, 0.17, 0.04])
_FEMALE_SHARE = np.array([0.48, 0.62, 0.66, 0.52, 0.45, 0.58])

AGE_GROUPS: list[str] = ["18-29 år", "30-39 år", "40-49 år", "50-59 år", "60+ år"]
_AGE_PROBS = np.array([  # per target group, in TARGET_GROUPS order
    [0.12, 0.22, 0.22, 0.26, 0.18],
    [0.08, 0.18, 0.24, 0.30, 0.20],
    [0.05, 0.15, 0.27, 0.36, 0.17],
    [0.22, 0.24, 0.22, 0.22, 0.10],
    [0.40, 0.25, 0.16, 0.13, 0.06],
    [0.06, 0.18, 0.28, 0.36, 0.12],
])
_AGE_OFFSET = np.array([-0.08, -0.04, 0.0, 0.04, 0.10], dtype=np.float32)

_BASE_LEVEL = 3.65
_SD_MUNICIPALITY = 0.10
_SD_RESPONDENT = 0.75
_SD_THEME = 0.35
_SD_ITEM = 0.65
_COMMENT_RATE = 0.05
_PII_SHARE = 0.25  # of the comments
VED_IKKE = "Ved ikke"

_COMMENTS = [
    "Min sagsbehandler har været god til at lytte.",
    "Det har været svært at få fat i jobcentret på telefonen.",
    "Jeg har fået ny sagsbehandler tre gange på et år.",
    "Godt forløb, tak for hjælpen.",
    "Jeg synes ikke, at kurset gav mening for mig.",
    "Brevene fra jobcentret er svære at forstå.",
    "Jeg føler mig mødt med respekt.",
    "Der går for lang tid mellem samtalerne.",
    "Virksomhedspraktikken hjalp mig i job.",
    "Jeg savner, at jobcentret og kommunens andre afdelinger taler sammen.",
    "Jeg har ikke fået præsenteret konkrete job.",
    "Mit forløb har stået stille i flere måneder.",
    "Sagsbehandleren var forberedt og fulgte op på det, vi aftalte.",
    "Jobcentret har været forstående over for min sygdom.",
    "For mange møder, der ikke fører til noget.",
]
_PII_COMMENTS = [
    "Ring gerne til mig på {phone}, hvis I vil høre mere.",
    "Mit cpr-nummer er {cpr}, I har registreret mig forkert.",
    "Skriv til mig på {email}, jeg har ikke e-Boks.",
    "Jeg har ringet fra {phone} flere gange uden at få svar.",
    "Min sag ({cpr}) har ligget stille siden januar.",
    "Kontakt mig på {email} eller {phone}.",
]
_EMAIL_NAMES = ["hanne.jensen", "mads.nielsen", "birgitte.k", "jens1971", "lone.pedersen",
                "ahmad.h"]
_EMAIL_DOMAINS = ["eksempel.dk", "mail.example.com", "post.eksempel.dk"]


def generate(
    n_respondents: int,
    municipalities: Sequence[str],
    seed: int,
    periods: Sequence[str] = ("2024",),
    ved_ikke_rate: float = 0.04,
    blank_rate: float = 0.03,
    labels: bool = False,
    *,
    sizes: Mapping[str, int] | None = None,
    group_sizes: Mapping[str, Mapping[str, int]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (responses, catalogue, invited) for ``n_respondents`` respondents in total.

    ``sizes`` pins the number of respondents of some municipalities (the rest of
    ``n_respondents`` is split by population); ``group_sizes`` pins the number of
    respondents of a target group within a municipality, e.g.
    ``{"Norddjurs": {"Ressourceforløb": 3}}``. Pinned counts are totals over all periods.
    Answers are ints 1–5 (or the scale's labels with ``labels=True``), "Ved ikke" or None.
    """
    munis, pers = list(municipalities), [str(p) for p in periods]
    _check(n_respondents, munis, pers, ved_ikke_rate, blank_rate, sizes, group_sizes)
    rng = np.random.default_rng(seed)
    n_m, n_p, n_g, n_t = len(munis), len(pers), len(TARGET_GROUPS), len(THEMES)

    # Municipality- and group-level parameters.
    muni_level = rng.normal(0.0, _SD_MUNICIPALITY, n_m).astype(np.float32)
    muni_theme = rng.normal(0.0, 0.08, (n_m, n_t)).astype(np.float32)
    group_theme = rng.normal(0.0, 0.05, (n_g, n_t)).astype(np.float32)
    steps = np.zeros((n_m, n_p), dtype=np.float32)
    if n_p > 1:
        general = rng.normal(0.02, 0.03, n_p - 1)
        local = rng.normal(0.0, 0.05, (n_m, n_p - 1))
        steps[:, 1:] = general[None, :] + local
    drift = np.cumsum(steps, axis=1)

    counts = _municipality_sizes(rng, n_respondents, munis, sizes or {})
    muni_idx, group_idx = _target_groups(rng, munis, counts, group_sizes or {})
    n = n_respondents
    period_idx = rng.integers(0, n_p, n) if n_p > 1 else np.zeros(n, dtype=np.int64)
    # Rows ordered by period, then municipality; random order within.
    order = np.lexsort((rng.random(n), muni_idx, period_idx))
    muni_idx, group_idx, period_idx = muni_idx[order], group_idx[order], period_idx[order]

    female = rng.random(n) < _FEMALE_SHARE[group_idx]
    cum_age = np.cumsum(_AGE_PROBS, axis=1)[group_idx]
    age_idx = (rng.random(n)[:, None] > cum_age[:, :-1]).sum(axis=1)

    # Latent satisfaction → answers 1–5. Arrays are question-major (n_q, n) so that
    # every per-question operation works on contiguous memory.
    level = (_BASE_LEVEL + muni_level[muni_idx] + _GROUP_OFFSET[group_idx]
             + drift[muni_idx, period_idx] + _AGE_OFFSET[age_idx]
             + rng.standard_normal(n, dtype=np.float32) * _SD_RESPONDENT)
    eta = rng.standard_normal((n_t, n), dtype=np.float32)
    eta *= _SD_THEME
    eta += level
    eta += _THEME_OFFSET[:, None]
    eta += muni_theme.T[:, muni_idx]
    eta += group_theme.T[:, group_idx]
    latent = rng.standard_normal((len(CATALOGUE), n), dtype=np.float32)
    latent *= _SD_ITEM
    for j, q in enumerate(CATALOGUE):
        latent[j] += eta[THEMES.index(q["tema"])]
        latent[j] += _ITEM_OFFSET[q["id"]]
    np.rint(latent, out=latent)
    np.clip(latent, 1, 5, out=latent)
    codes = latent.astype(np.int8)
    del latent, eta
    for j, q in enumerate(CATALOGUE):
        if q["omvendt"]:
            codes[j] = 6 - codes[j]
    u = rng.random(codes.shape, dtype=np.float32)
    codes[u < ved_ikke_rate] = 6
    codes[(u >= ved_ikke_rate) & (u < ved_ikke_rate + blank_rate)] = 0
    del u

    width = max(6, len(str(n)))
    columns: dict[str, Any] = {
        "respondent_id": np.array([f"R{i:0{width}d}" for i in range(1, n + 1)], dtype=object),
        "kommune": np.array(munis, dtype=object)[muni_idx],
        "maalgruppe": np.array(TARGET_GROUPS, dtype=object)[group_idx],
        "koen": np.where(female, "Kvinde", "Mand").astype(object),
        "alder": np.array(AGE_GROUPS, dtype=object)[age_idx],
        "periode": np.array(pers, dtype=object)[period_idx],
        "kommentar": _comments(rng, n),
    }
    for j, q in enumerate(CATALOGUE):
        values: list[Any] = list(BUILTIN[q["skala"]].labels) if labels else [1, 2, 3, 4, 5]
        columns[q["id"]] = np.array([None, *values, VED_IKKE], dtype=object)[codes[j]]
    responses = pd.DataFrame(columns)

    rates = rng.uniform(0.35, 0.42, (n_p, n_m))
    per_cell = np.bincount(period_idx * n_m + muni_idx, minlength=n_p * n_m).reshape(n_p, n_m)
    invited_n = np.maximum(np.rint(per_cell / rates), 1).astype(np.int64)
    if n_p == 1:
        invited = pd.DataFrame({"kommune": munis, "inviterede": invited_n[0]})
    else:
        invited = pd.DataFrame({
            "kommune": [m for _ in pers for m in munis],
            "periode": [p for p in pers for _ in munis],
            "inviterede": invited_n.ravel(),
        })
    return responses, catalogue_frame(), invited


def catalogue_frame() -> pd.DataFrame:
    """The question catalogue as a DataFrame (``omvendt`` as "ja"/"nej")."""
    rows = [{**q, "omvendt": "ja" if q["omvendt"] else "nej"} for q in CATALOGUE]
    return pd.DataFrame(rows, columns=["id", "nummer", "tekst", "tema", "skala", "omvendt"])


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` as ``;``-separated UTF-8 with BOM, no index, ``\\n`` line endings."""
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\n")


def _check(n: int, munis: list[str], pers: list[str], ved_ikke: float, blank: float,
           sizes: Mapping[str, int] | None,
           group_sizes: Mapping[str, Mapping[str, int]] | None) -> None:
    if n < 0:
        raise ValueError("n_respondents must be >= 0")
    if not munis or len(set(munis)) != len(munis):
        raise ValueError("municipalities must be a non-empty list without duplicates")
    if not pers or len(set(pers)) != len(pers):
        raise ValueError("periods must be a non-empty list without duplicates")
    if not (0 <= ved_ikke and 0 <= blank and ved_ikke + blank <= 1):
        raise ValueError("ved_ikke_rate and blank_rate must be >= 0 and sum to at most 1")
    for name in [*(sizes or {}), *(group_sizes or {})]:
        if name not in munis:
            raise ValueError(f"unknown municipality in sizes/group_sizes: {name!r}")
    for name, groups in (group_sizes or {}).items():
        for group in groups:
            if group not in TARGET_GROUPS:
                raise ValueError(f"unknown target group in group_sizes: {group!r}")


def _municipality_sizes(rng: np.random.Generator, n: int, munis: list[str],
                        sizes: Mapping[str, int]) -> np.ndarray:
    """Respondents per municipality: pinned sizes, the rest split by population."""
    pop = np.array([_POPULATION.get(m, 0.0) for m in munis])
    unknown = pop == 0
    pop[unknown] = 40.0 * rng.lognormal(0.0, 0.5, int(unknown.sum()))
    weight = pop * rng.lognormal(0.0, 0.15, len(munis))
    pinned = np.array([m in sizes for m in munis])
    counts = np.array([int(sizes.get(m, 0)) for m in munis], dtype=np.int64)
    rest = n - int(counts.sum())
    if rest < 0 or (rest > 0 and pinned.all()):
        raise ValueError("sizes do not add up to n_respondents")
    if rest > 0:
        w = weight[~pinned]
        counts[~pinned] = rng.multinomial(rest, w / w.sum())
    return counts


def _target_groups(rng: np.random.Generator, munis: list[str], counts: np.ndarray,
                   group_sizes: Mapping[str, Mapping[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Municipality and target-group index per respondent (grouped by municipality)."""
    n_g = len(TARGET_GROUPS)
    shares = rng.dirichlet(60 * _GROUP_SHARE, len(munis))
    per_group = np.zeros((len(munis), n_g), dtype=np.int64)
    for i, m in enumerate(munis):
        fixed = group_sizes.get(m, {})
        free = np.array([g not in fixed for g in TARGET_GROUPS])
        for g, k in fixed.items():
            per_group[i, TARGET_GROUPS.index(g)] = int(k)
        rest = int(counts[i]) - int(per_group[i].sum())
        if rest < 0 or (rest > 0 and not free.any()):
            raise ValueError(f"group_sizes for {m!r} do not add up to its size")
        if rest > 0:
            p = shares[i, free]
            per_group[i, free] = rng.multinomial(rest, p / p.sum())
    flat = per_group.ravel()
    muni_idx = np.repeat(np.repeat(np.arange(len(munis)), n_g), flat)
    group_idx = np.repeat(np.tile(np.arange(n_g), len(munis)), flat)
    return muni_idx, group_idx


def _comments(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mostly None; ~5 % short comments, some with a fake CPR, phone number or e-mail."""
    plain = np.array(_COMMENTS, dtype=object)
    pii = np.array([t.format(cpr=_fake_cpr(rng), phone=_fake_phone(rng), email=_fake_email(rng))
                    for _ in range(8) for t in _PII_COMMENTS], dtype=object)
    out = np.full(n, None, dtype=object)
    has = rng.random(n) < _COMMENT_RATE
    k = int(has.sum())
    out[has] = np.where(rng.random(k) < _PII_SHARE, pii[rng.integers(0, len(pii), k)],
                        plain[rng.integers(0, len(plain), k)])
    return out


def _fake_cpr(rng: np.random.Generator) -> str:
    day, month, year = rng.integers(1, 29), rng.integers(1, 13), rng.integers(40, 100)
    return f"{day:02d}{month:02d}{year:02d}-{rng.integers(0, 10000):04d}"


def _fake_phone(rng: np.random.Generator) -> str:
    digits = f"{rng.integers(2, 10)}{rng.integers(0, 10_000_000):07d}"
    spaced = " ".join(digits[i:i + 2] for i in range(0, 8, 2))
    return [spaced, f"+45 {digits}", digits, f"+45 {spaced}"][int(rng.integers(0, 4))]


def _fake_email(rng: np.random.Generator) -> str:
    name = _EMAIL_NAMES[int(rng.integers(0, len(_EMAIL_NAMES)))]
    return f"{name}@{_EMAIL_DOMAINS[int(rng.integers(0, len(_EMAIL_DOMAINS)))]}"
