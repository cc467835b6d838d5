"""The phrase templates of templates/text/: every block the code asks for exists, and a
template an editor broke is reported as bad input (file and line, exit code 2), not a traceback."""

from __future__ import annotations

import ast
from pathlib import Path

import jinja2
import pytest

from reportgen.core import templating
from reportgen.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def _requested() -> set[tuple[str, str]]:
    """(file, block) of every ``render_text("file", "block", …)`` and ``label("block")`` in the code."""
    found = set()
    for path in (ROOT / "reportgen").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name == "render_text" and len(args) == 2 == len(node.args):
                found.add((args[0], args[1]))
            elif name == "label" and len(args) == 1 == len(node.args):
                found.add(("etiketter", args[0]))
    return found


def test_every_requested_block_exists():
    requested = _requested()
    assert len(requested) > 40  # the scan sees the calls
    env = templating.prose_environment()
    missing = [(f, b) for f, b in sorted(requested) if b not in env.get_template(f"text/{f}.txt.j2").blocks]
    assert not missing


def test_labels_built_from_a_name_exist():
    """``label(f"vurdering_{verdict}")`` and ``label(f"aendring_{verdict}")``: one block per verdict."""
    blocks = templating.prose_environment().get_template("text/etiketter.txt.j2").blocks
    for verdict in ("over", "under", "paa_niveau"):
        assert f"vurdering_{verdict}" in blocks
    for verdict in ("steget", "faldet", "uaendret"):
        assert f"aendring_{verdict}" in blocks


def test_block_text_is_collapsed_to_one_line():
    assert templating.render_text("tematabel", "placering", rank=3, of=98) == "3 af 98"
    note = templating.render_text("gruppetabel", "note", total=1234, focus="Norddjurs", one_scale=True)
    assert note.startswith("Andel: gruppens andel af de 1.234 besvarelser fra Norddjurs. Samlet score")
    assert "\n" not in note and "  " not in note


@pytest.fixture
def broken(monkeypatch):
    sources = {
        "text/syntaks.txt.j2": "{#- kommentar -#}\n{% block titel %}Tabel {{ n }}{% endblok %}\n",
        "text/vaerdi.txt.j2": "{% block titel %}Tabel {{ nummer }}{% endblock %}\n",
    }
    env = templating.environment().overlay(loader=jinja2.DictLoader(sources), trim_blocks=False,
                                           lstrip_blocks=False)
    monkeypatch.setattr(templating, "prose_environment", lambda: env)


def test_syntax_error_names_file_and_line(broken):
    with pytest.raises(InputError) as err:
        templating.render_text("syntaks", "titel", n=1)
    assert "fil 'templates/text/syntaks.txt.j2'" in str(err.value)
    assert "linje 2" in str(err.value)


def test_unknown_value_and_missing_block_are_input_errors(broken):
    with pytest.raises(InputError, match="Ukendt værdi i tekstskabelonen.*'nummer'"):
        templating.render_text("vaerdi", "titel", n=1)
    with pytest.raises(InputError, match="mangler en blok: værdien 'note'"):
        templating.render_text("vaerdi", "note", n=1)


# ---------------------------------------------------------------- compiled templates kept between processes


def _folders(tmp_path, source):
    """A templates folder holding ``a.txt.j2`` (``source``) and an empty cache folder."""
    folder, cache = tmp_path / "t", tmp_path / "cache"
    folder.mkdir()
    cache.mkdir()
    (folder / "a.txt.j2").write_text(source, encoding="utf-8")
    return folder, cache


def _env(folder, cache_dir, settings=None):
    settings = settings or templating._SETTINGS
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                              bytecode_cache=templating._compiled_templates(settings, str(cache_dir)), **settings)


def test_a_cached_template_renders_as_a_compiled_one_and_an_edit_is_seen(tmp_path):
    folder, cache = _folders(tmp_path, "{% if x %}\n{{ x }} borgere\n{% endif %}\n")
    first = _env(folder, cache).get_template("a.txt.j2").render(x=3)
    assert len(list(cache.iterdir())) == 1  # compiled once, kept
    again = _env(folder, cache).get_template("a.txt.j2").render(x=3)  # a new environment: loaded from the cache
    assert again == first == "3 borgere\n"
    (folder / "a.txt.j2").write_text("{{ x }} svar\n", encoding="utf-8")
    assert _env(folder, cache).get_template("a.txt.j2").render(x=3) == "3 svar\n"  # the edit, not the old code


def test_environments_of_other_settings_keep_their_own_compiled_templates(tmp_path):
    folder, cache = _folders(tmp_path, "{% if x %}\n{{ x }}\n{% endif %}\n")
    trimmed = _env(folder, cache).get_template("a.txt.j2").render(x=1)
    kept = _env(folder, cache, templating._PROSE_SETTINGS).get_template("a.txt.j2").render(x=1)
    assert trimmed == "1\n" and kept == "\n1\n\n"  # trim_blocks differs, and so does the compiled code
    assert len(list(cache.iterdir())) == 2


def test_a_broken_or_unwritable_cache_only_costs_time(tmp_path):
    folder, cache = _folders(tmp_path, "{{ x }} borgere\n")
    _env(folder, cache).get_template("a.txt.j2").render(x=1)
    (entry,) = cache.iterdir()
    entry.write_bytes(entry.read_bytes()[:20])  # cut short, as by a full disk
    assert _env(folder, cache).get_template("a.txt.j2").render(x=2) == "2 borgere\n"
    blocked = tmp_path / "fil"
    blocked.write_text("x")  # the cache "folder" is a file: no entry can be written (also as root)
    assert _env(folder, blocked).get_template("a.txt.j2").render(x=4) == "4 borgere\n"


def test_the_cache_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("REPORTGEN_TEMPLATE_CACHE", "0")
    assert templating._compiled_templates(templating._SETTINGS) is None
