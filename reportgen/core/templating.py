"""The one Jinja2 environment: templates from ``templates/``, filters from ``fmt``.

Every template is rendered through :func:`environment`; nothing else creates a Jinja
environment. HTML templates (and anything not named ``*.txt.j2``/``*.md.j2``, strings
included) are autoescaped, so all text taken from the document model
comes out literally (``<script>`` and ``{{ 7*7 }}`` included: Jinja never evaluates
the *values* it inserts). Undefined variables raise instead of rendering as empty.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import jinja2
from markupsafe import Markup, escape

from reportgen.core import fmt
from reportgen.core.resources import templates_dir
from reportgen.errors import InputError, Problem


def nl2br(text: str) -> Markup:
    """Escape ``text`` and turn its line breaks into ``<br>``."""
    return Markup("<br>\n").join(escape(line) for line in str(text).split("\n"))


def keep_whole(text: str) -> Markup:
    """Escape ``text`` (already escaped Markup, e.g. from ``nl2br``, is kept) and wrap each
    age band or number range that must stay on one line ("18-29 år", ``fmt.keep_whole_parts``)
    in ``<span class="nobr">`` (CSS: ``white-space: nowrap``)."""
    if isinstance(text, Markup):  # the pattern's characters (digits, -, –, +, space, 'år') are never escaped
        parts = fmt.keep_whole_parts(str(text))
        return Markup("".join(f'<span class="nobr">{p}</span>' if keep else p for p, keep in parts))
    return Markup("").join(Markup('<span class="nobr">{}</span>').format(p) if keep else escape(p)
                           for p, keep in fmt.keep_whole_parts(str(text)))


def typst_string(text: object) -> str:
    """``text`` as a Typst string literal: the only way a value enters Typst source
    (``templates/typst``), so nothing in it is ever read as markup or code."""
    out = []
    for ch in str(text):
        if ch in _TYPST_ESCAPES:
            out.append(_TYPST_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_TYPST_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def typst_text(text: object) -> str:
    """``text`` as Typst markup that prints it literally: string literals, a
    ``#linebreak()`` for each line break, and each piece that must stay on one line
    (``fmt.keep_whole_parts``) in a ``#box``."""
    lines = []
    for line in str(text).split("\n"):
        parts = fmt.keep_whole_parts(line)
        lines.append("".join(f"#box({typst_string(p)})" if keep else f"#{typst_string(p)}" for p, keep in parts))
    return "#linebreak()".join(lines)


def typst_align(value: str) -> str:
    """A table column's alignment ("left", "right", "center") as a Typst alignment."""
    if value not in ("left", "right", "center"):
        raise ValueError(f"unknown alignment {value!r}")
    return value


def b64(data: bytes) -> str:
    """Base64 text of ``data`` (for ``data:`` URIs)."""
    return base64.b64encode(data).decode("ascii")


@cache
def _block_kinds() -> tuple[tuple[type, str], ...]:
    # Imported here, not at the top: the document model pulls in pandas (reportgen.models),
    # and message() is used by the command line, whose ``reportgen --help`` stays fast.
    from reportgen.models.document import Figure, Heading, ListBlock, Paragraph, Table

    return ((Paragraph, "paragraph"), (ListBlock, "list"), (Table, "table"), (Figure, "figure"),
            (Heading, "heading"))


def block_kind(block: object) -> str:
    """The template name of a document block's type; unknown types are an error."""
    for cls, kind in _block_kinds():
        if isinstance(block, cls):
            return kind
    raise TypeError(f"Unknown document block {type(block).__name__}: {block!r}")


FILTERS = {
    "num": fmt.num,
    "integer": fmt.integer,
    "pct": fmt.pct,
    "pct_text": fmt.pct_text,
    "date_long": fmt.date_long,
    "date_with_weekday": fmt.date_with_weekday,
    "join_da": fmt.join_da,
    "nl2br": nl2br,
    "keep_whole": keep_whole,
    "b64": b64,
    "ts": typst_string,
    "tm": typst_text,
    "typst_align": typst_align,
    "block_kind": block_kind,
}


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between processes: Jinja's bytecode cache in its per-user
    folder (``/tmp/_jinja2-cache-<uid>``, mode 0700, refused if another user owns it).

    Compiling the ~45 templates of a build cost every process that renders (the command
    line, each web build, each test worker) the same work again: about 0,2 s of CPU in
    ``reportgen build``. An entry is found by the template's path
    and checked against its source (an edited template is compiled afresh); its file
    name also holds ``flavour``, a hash of the environment's settings and of the Jinja
    and reportgen versions, as the compiled code depends on them. The cache only ever
    saves time: an entry it cannot read or write is compiled as without it.
    REPORTGEN_TEMPLATE_CACHE=0 turns it off."""

    def __init__(self, flavour: str, directory: str | None = None) -> None:
        super().__init__(directory, pattern=f"reportgen-{flavour}-%s.cache")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable, cut short, garbled: compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled_templates(settings: dict[str, object], directory: str | None = None) -> jinja2.BytecodeCache | None:
    """The bytecode cache for an environment of ``settings`` (in ``directory``, default
    Jinja's per-user folder), or None (turned off, or no safe folder for it)."""
    import hashlib
    import os

    if os.environ.get("REPORTGEN_TEMPLATE_CACHE") == "0":
        return None
    from reportgen.core.version import __version__

    flavour = hashlib.sha1(repr((sorted(settings.items()), jinja2.__version__, __version__)).encode()).hexdigest()[:16]
    try:
        return _CompiledTemplates(flavour, directory)
    except (OSError, RuntimeError):  # Jinja refuses a cache folder another user could write
        return None


# What compiled code depends on (the loader, the autoescape choice and the filters are the same for all)
_SETTINGS: dict[str, object] = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
_PROSE_SETTINGS: dict[str, object] = {**_SETTINGS, "trim_blocks": False, "lstrip_blocks": False}


@cache
def environment() -> jinja2.Environment:
    """The shared, cached environment (loader rooted at the templates folder)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2", "xml.j2"),
            disabled_extensions=("txt", "txt.j2", "md", "md.j2", "typ", "typ.j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_compiled_templates(_SETTINGS),
        **_SETTINGS,  # type: ignore[arg-type]
    )
    env.filters.update(FILTERS)
    return env


def render_template(name: str, **context: object) -> str:
    """Render the template at ``name`` (relative to the templates folder)."""
    return environment().get_template(name).render(**context)


@cache
def prose_environment() -> jinja2.Environment:
    """The shared environment as an overlay that keeps every line break (no ``trim_blocks``):
    for sentence templates written over several lines, whose white space is collapsed to
    single spaces afterwards (``render_prose``)."""
    return environment().overlay(trim_blocks=False, lstrip_blocks=False,
                                 bytecode_cache=_compiled_templates(_PROSE_SETTINGS))


def _collapse(text: str) -> str:
    """Every run of spaces and line breaks becomes one space; none is left before
    punctuation or inside brackets."""
    import re

    text = " ".join(text.split())
    text = re.sub(r"\s+([.,;:)])", r"\1", text)
    return re.sub(r"\(\s+", "(", text)


@contextmanager
def _template_errors(name: str) -> Iterator[None]:
    """A text template an editor broke (syntax, an unknown value) is bad input: a Danish
    message naming the file and line (docs/tekster.md), not a traceback."""
    path = f"templates/{name}"
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(Problem(f"Fejl i tekstskabelonen i linje {exc.lineno} ({exc.message})", file=path,
                                 expected="gyldig skabelonkode, se docs/tekster.md")) from exc
    except jinja2.UndefinedError as exc:
        raise InputError(Problem(f"Ukendt værdi i tekstskabelonen ({exc.message})", file=path,
                                 expected="kun de værdier, som filens kommentar nævner")) from exc


def render_prose(name: str, **context: object) -> str:
    """Render a sentence template and collapse its white space: every run of spaces and
    line breaks becomes one space, none is left before punctuation or inside brackets."""
    with _template_errors(name):
        return _collapse(prose_environment().get_template(name).render(**context))


def render_text(name: str, part: str | None = None, **context: object) -> str:
    """A Danish phrase of the document from ``templates/text/<name>.txt.j2`` as one line
    (``render_prose``: written over several readable lines; see docs/tekster.md).

    With ``part``, only that ``{% block part %}`` of the file is rendered: a file holds a
    group of phrases (a table's caption, note and alt text; the short labels) side by side.
    """
    if part is None:
        return render_prose(f"text/{name}.txt.j2", **context)
    return _collapse(_render_block(prose_environment(), f"text/{name}.txt.j2", part, context,
                                   "Tekstskabelonen"))


def _render_block(env: jinja2.Environment, path: str, part: str, context: dict[str, object], what: str) -> str:
    """The ``{% block part %}`` of the template at ``path``; a missing block or a broken
    template is an input error naming the file (``what``: "Tekstskabelonen", "Beskedfilen")."""
    with _template_errors(path):
        template = env.get_template(path)
        block = template.blocks.get(part)
        if block is None:
            raise InputError(Problem(f"{what} mangler en blok", file=f"templates/{path}", value=part,
                                     expected="{% block " + part + " %} … {% endblock %}; se docs/tekster.md"))
        return "".join(block(template.new_context(dict(context))))


@cache
def label(part: str) -> str:
    """A short fixed label (a column heading, a verdict) from ``templates/text/etiketter.txt.j2``."""
    return render_text("etiketter", part)


def message(catalogue: str, key: str, **values: object) -> str:
    """A Danish message (an error, a warning, a line of a log) from the catalogue
    ``templates/messages/<catalogue>.txt.j2``: its ``{% block key %}``, rendered exactly as
    written (one line; white space is not collapsed, so a value comes out as it is)."""
    return _render_block(environment(), f"messages/{catalogue}.txt.j2", key, values, "Beskedfilen")
