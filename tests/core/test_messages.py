"""The message catalogues (templates/messages/*.txt.j2): every message the code asks for
exists and renders with the values the code passes, no message is left unused, and the
wording is as it was when the messages were Python strings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reportgen.compat.argparse_text import ERRORS
from reportgen.core.resources import templates_dir
from reportgen.core.templating import environment, message
from reportgen.errors import InputError
from reportgen.run.runlog import EXIT_CODES

PACKAGE = Path(__file__).resolve().parents[2] / "reportgen"

# A sample value for each name the code passes to a message (lists for ``names``, numbers
# for counts: the templates run them through ``join`` and ``integer``).
SAMPLES = {"names": ["a", "b"], "n": 2, "rows": 1234, "total": 8, "unchanged": 1, "todo": 7, "processes": 2,
           "min_n": 5, "municipalities": 4, "interrupted": False, "built": 7, "failed": 0, "code": 0,
           "rows_read": 1234, "rows_used": 1200, "ratio": 150}


def calls() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(module, catalogue, key, keyword names) of every ``message("catalogue", "key", ...)``."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "message" and len(node.args) >= 2:
                cat, key = node.args[0], node.args[1]
                names = tuple(k.arg for k in node.keywords if k.arg)
                rel = str(path.relative_to(PACKAGE))
                if isinstance(key, ast.IfExp):  # message("run", "a" if c else "b")
                    out += [(rel, cat.value, k.value, names) for k in (key.body, key.orelse)]
                elif isinstance(key, ast.JoinedStr) and key.values[0].value == "argparse_":
                    # message("cli", f"argparse_{key}", **parts): compat.argparse_text.ERRORS, whose
                    # named groups are the parts
                    out += [(rel, cat.value, f"argparse_{k}", tuple(pattern.groupindex)) for k, pattern in ERRORS]
                elif isinstance(key, ast.JoinedStr):  # message("run", f"exit_{code}"): EXIT_CODES
                    out += [(rel, cat.value, f"exit_{c}", names) for c in EXIT_CODES]
                else:
                    out.append((rel, cat.value, key.value, names))
    return out


def blocks(catalogue: str) -> set[str]:
    return set(environment().get_template(f"messages/{catalogue}.txt.j2").blocks)


def test_every_message_the_code_asks_for_exists_and_renders():
    found = calls()
    assert len(found) > 50
    for module, catalogue, key, names in found:
        assert key in blocks(catalogue), f"{module}: no {{% block {key} %}} in templates/messages/{catalogue}.txt.j2"
        text = message(catalogue, key, **{n: SAMPLES.get(n, "x") for n in names})
        assert text.strip() and "\n" not in text, (module, key, text)


def test_no_message_is_unused():
    used: dict[str, set[str]] = {}
    for _, catalogue, key, _ in calls():
        used.setdefault(catalogue, set()).add(key)
    for path in sorted((templates_dir() / "messages").glob("*.txt.j2")):
        catalogue = path.name.removesuffix(".txt.j2")
        assert blocks(catalogue) == used.get(catalogue, set()), catalogue


def test_wording_as_before():
    run = lambda key, **v: message("run", key, **v)  # noqa: E731
    assert run("started", total=8, unchanged=0, todo=8, processes=1) == \
        "Kørsel startet: 8 sagsfremstillinger, heraf 0 uændrede og 8 at danne med 1 proces."
    assert run("started", total=8, unchanged=8, todo=0, processes=1) == \
        "Kørsel startet: 8 sagsfremstillinger, heraf 8 uændrede og 0 at danne."
    assert run("item_warnings", n=1) == "(1 advarsel, se manifestet)"
    assert run("item_warnings", n=3) == "(3 advarsler, se manifestet)"  # was "advarselr" in the Python string
    assert run("too_few_respondents", municipality="Favrskov", n=1234, where="i data", min_n=5) == (
        "Favrskov har kun 1.234 besvarelser i data; der dannes ingen sagsfremstilling, fordi ingen tal må vises "
        "for færre end 5 (analyse.min_n)")
    assert run("summary", interrupted=True, time="1,5 s", built=1, unchanged=2, failed=3) == \
        "Kørsel afbrudt på 1,5 s: 1 dannet, 2 uændrede, 3 fejlet."
    assert run("summary_failed_item", id="2024K1/Randers", kind="inputfejl", message="<fejl>") == \
        "  2024K1/Randers (inputfejl): <fejl>"  # as written: two spaces kept, nothing escaped
    assert run("did_you_mean", hint="Randers") + run("one_of", names=["Randers", "Favrskov"]) == \
        "mente du 'Randers'? en af Randers, Favrskov"


def test_a_missing_message_is_a_danish_input_error():
    with pytest.raises(InputError, match="Beskedfilen mangler en blok") as exc:
        message("run", "findes_ikke")
    assert exc.value.problems[0].file == "templates/messages/run.txt.j2"


def test_ingest_wording_as_before():
    """The ingest messages built from pieces (conditions, lists) read as the Python strings did."""
    ingest = lambda key, **v: message("ingest", key, **v)  # noqa: E731
    assert message("ingest_catalogue", "column_hint", hint="Q1", names=["a", "b"], more=True) == \
        "mente du 'Q1'? et af kolonnenavnene a, b …"
    assert message("ingest_catalogue", "column_hint", hint=None, names=["a"], more=False) == "et af kolonnenavnene a"
    assert message("ingest_catalogue", "invalid_pattern", pos=3) == \
        "Mønsteret er ikke et gyldigt regulært udtryk (fejl ved tegn nr. 3)"
    assert message("ingest_catalogue", "invalid_pattern", pos=None) == "Mønsteret er ikke et gyldigt regulært udtryk"
    assert message("ingest_scales", "suggest_scale", hint=None, names=["grad5", "janej"]) == \
        "en af grad5, janej eller en skala defineret under data.skalaer eller i data.skalafil"
    assert ingest("spss_case", case=4) == " (case nr. 4 i SPSS)"  # leading space: appended to a message
    assert ingest("also_in_rows", n=6, listed=[3, 4, 5, 6], more=True) == " (også i 6 andre rækker: 3, 4, 5, 6 …)"
    assert ingest("file_kind", kind="ole") == "et gammelt Office-dokument (fx xls eller doc)"
    assert ingest("file_kind", kind="ukendt") == "ukendt"
    assert ingest("read_as", kind="csv", encoding="utf-8", delimiter="\t", sheet=None, header_row=1) == \
        "CSV, tegnsæt utf-8, skilletegn tabulator, overskrift i række 1"
    assert ingest("read_as", kind="excel", encoding=None, delimiter=None, sheet="Data", header_row=4) == \
        "regneark, ark 'Data', overskrift i række 4"
    assert ingest("read_as", kind="spss", encoding=None, delimiter=None, sheet=None, header_row=None) == "SPSS"
    assert ingest("wrong_suffix_expected", wanted="et Excel-regneark (xlsx)", found="text") == \
        "et Excel-regneark (xlsx). Omdøb filen til .csv, eller gem den i Excel som .xlsx"
    assert ingest("wrong_suffix_expected", wanted="en SPSS-fil (sav)", found="pdf") == "en SPSS-fil (sav)"
    assert ingest("invited_twice_expected", by_group=True, by_period=False) == "én række pr. kommune og målgruppe"
    assert ingest("invited_municipality_missing", period=None) == "Kommunen mangler i filen med inviterede"
    assert ingest("focus_too_few_hidden", number="1.1", column="q1", n=1234, focus="Randers", period="2024") == \
        "Spørgsmål 1.1 (q1) har kun 1.234 gyldige svar i Randers i målingen 2024; resultatet vises ikke."
    assert ingest("role_title", role="koen") + ingest("role_title", role="ekstra1") == "Kønekstra1"
    assert ingest("unknown_answer_expected", hint=None, labels=("Ja", "Nej"), scale="janej", missing=("Ved ikke",),
                  looks_missing=True) == ("en af etiketterne Ja, Nej på skalaen 'janej' eller et manglende svar "
                                          "(Ved ikke); betyder værdien 'intet svar', så angiv den i "
                                          "data.manglende_etiketter")
