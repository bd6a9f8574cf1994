"""Documents to bytes, deterministically: same tree, same bytes, on any machine."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from compiler.core.tree import to_plain


def to_json(doc: Any) -> bytes:
    """2-space JSON, keys in tree (source) order, UTF-8, one trailing newline.

    orjson writes it about 25 times faster than the json module (whose indenting encoder is pure
    Python); its bytes are the same as ``json.dumps(indent=2, ensure_ascii=False)`` for every
    bundled and benchmark document, except that floats with an exponent are spelt the short way
    (``1e-7`` for ``1e-07``), equally valid JSON. Integers beyond 64 bits, which orjson refuses,
    fall back to the json module. NaN and Infinity never get here: the reader refuses them.
    """
    import orjson

    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
        return (text + "\n").encode("utf-8")


class _QuotingDumper(yaml.SafeDumper):
    """Quotes every string that a YAML 1.1 *or* 1.2 reader would take for something else.

    PyYAML's dumper already quotes what its own YAML 1.1 resolver would misread (``no``, ``on``,
    ``1_000``); adding the 1.2 core resolvers covers what a 1.2 reader would misread (``0o17``).
    """


for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:int", r"^(?:0o[0-7]+|[-+]?[0-9]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$",
     list("-+0123456789.")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    # YAML 1.1's spec (not PyYAML) also reads y/n as booleans, and go-yaml v2 does.
    ("tag:yaml.org,2002:bool", r"^(?:y|Y|n|N)$", list("yYnN")),
):
    _QuotingDumper.add_implicit_resolver(_tag, re.compile(_regexp), _first)


def to_yaml(doc: Any) -> bytes:
    text = yaml.dump(
        to_plain(doc), Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True,
        default_flow_style=False, width=1_000_000, indent=2,
    )
    return text.encode("utf-8")
