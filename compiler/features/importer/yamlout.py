"""Definitions written as clean YAML: block style, keys in the order given, multi-line text as
``|`` blocks, quotes only where a reader would otherwise take the text for something else.

ruamel.yaml writes it (it is the one emitter that honours per-scalar styles and start comments),
and every text is read back with swmlc's own YAML 1.2 reader and compared, strictly, with what
was meant: a value the emitter would change (a line with trailing tabs, an odd indentation) is
caught here and written double-quoted instead. Strings a YAML 1.1 reader would misread (``no``,
``on``, ``1:20``) are quoted too, so editors and other tools agree with swmlc.
"""

from __future__ import annotations

import io
import re
from typing import Any

from compiler.core.tree import value_at
from compiler.features.importer.compare import Path, first_difference

#: Plain scalars a YAML 1.1 reader (PyYAML, many editors) takes for a bool, number or null.
_YAML11 = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)"
    r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|=|<<)$")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 1 << 30  # never fold a line: a comment may then go above any line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.representer.add_representer(
        type(None), lambda rep, _v: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _key(key: str, quote_all: bool) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if quote_all or not key.isprintable():
        return DoubleQuotedScalarString(key)
    if _YAML11.match(key):
        return SingleQuotedScalarString(key)
    return key


def _styled(value: Any, quoted: set[Path], path: Path = (), quote_all: bool = False) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[_key(k, quote_all)] = _styled(v, quoted, (*path, k), quote_all)
        return m
    if isinstance(value, list):
        s = CommentedSeq()
        for i, v in enumerate(value):
            s.append(_styled(v, quoted, (*path, i), quote_all))
        return s
    if isinstance(value, str):
        if quote_all or path in quoted:
            return DoubleQuotedScalarString(value)
        if "\n" in value and not value.endswith("\n\n"):
            return LiteralScalarString(value)
        if _YAML11.match(value):
            return SingleQuotedScalarString(value)
    return value


def dump_yaml(data: Any, header: list[str]) -> str:
    """``data`` (a mapping, or a list for a function library) as YAML text that swmlc reads back
    as exactly ``data`` (types and key order).

    Example:
        >>> print(dump_yaml({"prompt": {"text": "Line one.\\nLine two.\\n"}, "hints": ["no"]},
        ...                 ["An example"]), end="")
        # An example
        prompt:
          text: |
            Line one.
            Line two.
        hints:
          - 'no'
    """
    from compiler.source.yaml_reader import read_yaml

    quoted: set[Path] = set()
    for _ in range(50):
        text = _dump(data, header, quoted, quote_all=False)
        back = read_yaml(text, "<import>")
        where = first_difference(back.value, data) if not back.diagnostics else ()
        if where is None:
            return text
        if not where or where in quoted or not isinstance(value_at(data, where)[1], str):
            break  # not a value quoting can fix (a key, the layout): quote everything
        quoted.add(where)
    return _dump(data, header, set(), quote_all=True)


def _dump(data: Any, header: list[str], quoted: set[Path], *, quote_all: bool
          ) -> str:
    root = _styled(data, quoted, quote_all=quote_all)
    if header:
        root.yaml_set_start_comment("\n".join(header))
    buf = io.StringIO()
    _yaml().dump(root, buf)
    return buf.getvalue()
