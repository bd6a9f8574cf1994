"""PyYAML's two parsers with YAML 1.2 core-schema scalars, and the tags swmlc reads."""

from __future__ import annotations

import re
from typing import Any

import yaml

#: Tags swmlc understands besides YAML's own (merge directives, see docs/merging.md).
MERGE_TAGS = frozenset({"!append", "!prepend", "!replace", "!delete"})

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MERGE = "tag:yaml.org,2002:merge"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"


class _Memo:
    """Resolution of plain scalars, memoised: the same keys and words recur thousands of times
    across a repository, and PyYAML resolves each one with a list of regexes in Python. The memo
    belongs to whoever reads (one per :class:`compiler.source.files.SourceFiles`), not to the
    process."""

    _memo: dict[tuple[str, Any], str] | None = None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        base = super().resolve  # type: ignore[misc]  # PyYAML's stubs leave it untyped
        memo = self._memo
        if memo is not None and kind is yaml.ScalarNode and implicit[0]:
            key = (value, implicit)
            tag = memo.get(key)
            if tag is None:
                tag = base(kind, value, implicit)
                if len(value) < 64 and len(memo) < 50_000:
                    memo[key] = tag
            return tag
        return base(kind, value, implicit)


class Yaml12Loader(_Memo, yaml.CSafeLoader):
    """The C parser with YAML 1.2 core-schema implicit resolvers instead of YAML 1.1's."""


class PyYaml12Loader(_Memo, yaml.SafeLoader):
    """PyYAML's own pure-Python parser with the same resolvers: the second opinion on a file the
    C parser refused (see :func:`read_yaml`)."""


RESOLVERS: tuple[tuple[str, str, Any], ...] = (
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (FLOAT,
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
    (MERGE, r"^(?:<<)$", ["<"]),
)
for _loader in (Yaml12Loader, PyYaml12Loader):
    _loader.yaml_implicit_resolvers = {}
    for _tag, _regex, _first in RESOLVERS:
        _loader.add_implicit_resolver(_tag, re.compile(_regex), list(_first))


class NodeLoader(Yaml12Loader):
    """The C loader, used for its composed root node (swmlc builds values itself)."""

    def get_single_data(self) -> Any:
        return self.get_single_node()


#: What each core-schema tag accepts, also when the tag is written out (``!!int 12``).
CORE_FORMS = {tag: re.compile(regex) for tag, regex, _ in RESOLVERS if tag != MERGE}
