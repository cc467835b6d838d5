"""YAML text → plain Python values, leaving the typing of ambiguous scalars to the settings.

PyYAML's ``safe_load`` follows YAML 1.1 and converts many plain scalars on its own:
``2024-13-45`` raises before any validation can name the key, ``12:30`` becomes the
integer 750, ``0755`` the octal 493, ``yes``/``no``/``on``/``off`` booleans and ``.inf``
an infinite float. Case, theme, profile, run and scale files are read with ``load``
instead, whose loader converts only the unambiguous forms:

* ``null``, ``~`` and an empty value → ``None``;
* ``true``/``false`` (any case as YAML spells it) → ``bool``;
* plain decimal integers without a leading zero (``0``, ``-12``, ``706``) → ``int``;
* plain decimals with a point (``0.05``, ``-1.5``, ``2.0e3``) → ``float``.

Every other scalar stays the text the user wrote (dates, times, ``ja``/``yes``,
``0755``, ``.inf``, ``1_000``), and the typed pydantic settings parse it, so a bad value
is reported with the file, the key and the value. Explicit tags (``!!timestamp ...``)
that fail to construct, a key written twice in one mapping, nesting too deep and alias expansions too large (a "billion
laughs" file) are raised as ``yaml.YAMLError`` like any other malformed YAML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem

MAX_NODES = 200_000  # values after expanding aliases; a real case file has a few hundred


class _Loader(yaml.SafeLoader):
    """SafeLoader with only the implicit resolvers listed in the module docstring."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
                              ["~", "n", "N", ""])
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
                              list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float",
                              re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
                              list("-+0123456789."))


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    """A mapping whose plain keys are unique. YAML forbids a key twice in one mapping, but
    PyYAML keeps the last value silently, so a case file with two ``titel:`` lines would
    print the second without a word. Merge keys (``<<: *anker``) may still be overridden."""
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
            continue
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, message("core", "yaml_duplicate_key", name=key, first=seen[key],
                                    second=key_node.start_mark.line + 1), key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping_without_duplicates)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """An explicit ``!!timestamp`` is kept as text too; the settings parse it."""
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load(text: str) -> Any:
    """``text`` parsed as described in the module docstring; malformed input raises
    ``yaml.YAMLError`` (with ``problem_mark`` where PyYAML knows the position)."""
    try:
        value = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError:
        raise
    except RecursionError as exc:
        raise yaml.YAMLError(message("core", "yaml_too_deep")) from exc
    except (ValueError, TypeError, OverflowError) as exc:  # an explicit tag that does not fit its value
        raise yaml.YAMLError(message("core", "yaml_bad_tag", error=exc)) from exc
    _check_size(value)
    return value


def _check_size(value: Any) -> None:
    """Refuse values that expand (through aliases) to more than ``MAX_NODES`` items."""
    budget = MAX_NODES
    stack = [value]
    while stack:
        v = stack.pop()
        budget -= 1
        if budget < 0:
            raise yaml.YAMLError(message("core", "yaml_too_large", n=MAX_NODES))
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


def read_mapping(path: Path, noun: str, shape: str) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping (a case or profile file) with ``load``.

    A YAML syntax error (with its line), a file not saved as UTF-8 and a top level that is no
    mapping are Danish input errors naming the file; ``noun`` names the kind of file in them
    ("Sagsfilen") and ``shape`` what the mapping should hold ("'navn' og 'sektioner'").
    """
    try:
        raw = load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(Problem(message("core", "yaml_invalid", noun=noun, error=getattr(exc, "problem", exc)),
                                 file=str(path), row=mark.line + 1 if mark else None)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(Problem(message("core", "yaml_not_utf8", noun=noun), file=str(path))) from exc
    if not isinstance(raw, dict):
        raise InputError(Problem(message("core", "yaml_not_mapping", noun=noun, shape=shape), file=str(path),
                                 value=type(raw).__name__))
    return raw
