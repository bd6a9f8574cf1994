"""Positioned values from composed YAML nodes: ``Map``/``Seq`` with a span on every key, value
and item, duplicate keys refused, YAML 1.2 scalars, aliases bounded before they are expanded."""

from __future__ import annotations

import math
from typing import Any

import yaml

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.tree import Map, Seq, Span, Tagged
from compiler.source.yaml_reader.loaders import (
    BOOL,
    CORE_FORMS,
    FLOAT,
    INT,
    MAP,
    MERGE,
    MERGE_TAGS,
    NULL,
    SEQ,
    STR,
)

#: Expanded nodes a single document may hold once its aliases are expanded. A large real agent
#: is a few thousand nodes; ten thousand agents' worth would still fit.
MAX_EXPANDED_NODES = 1_000_000
#: Nesting depth; real definitions stay under 15.
MAX_DEPTH = 200


class Fail(Exception):
    """A problem that stops the reading of one file."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


_new_tuple = tuple.__new__


def span_of(file: str, node: yaml.Node) -> Span:
    s, e = node.start_mark, node.end_mark
    # tuple.__new__ directly: NamedTuple's generated __new__ is a Python frame, and the reader
    # makes a span for every key and value (~600 per mid-size agent).
    span: Span = _new_tuple(Span, (file, s.line + 1, s.column + 1, e.line + 1, e.column + 1))
    return span


_TAG_WORDS = {INT: "an integer", FLOAT: "a number", BOOL: "true or false", NULL: "null"}


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    tag, text = node.tag, node.value
    if tag in (STR, MERGE):  # `<<` is a merge only as a key; as a value it is text
        return text
    if tag in CORE_FORMS and not CORE_FORMS[tag].match(text):  # only an explicit tag gets here
        short = "!!" + tag.rsplit(":", 1)[-1]
        raise Fail(codes.WRONG_TYPE.at(
            span_of(file, node), f"'{text}' is not {_TAG_WORDS[tag]}, as its tag {short} says",
            help=f"remove the {short} tag, or write the value as {_TAG_WORDS[tag]}"))
    if tag in MERGE_TAGS:
        return Tagged(tag, text, span_of(file, node))
    if tag == NULL:
        return None
    if tag == BOOL:
        return text.lower() == "true"
    if tag == INT:
        return _integer(text, node, file)
    if tag == FLOAT:
        t = text.lower()
        if t.endswith(("inf", "nan")) or math.isinf(float(text)):  # JSON has no inf or NaN
            raise Fail(codes.WRONG_TYPE.at(
                span_of(file, node), f"'{text}' is not a number JSON can hold",
                help="JSON has no infinity or NaN: write a number, or quote the value to keep "
                     "it as text"))
        return float(text)
    raise Fail(codes.UNKNOWN_TAG.at(
        span_of(file, node), f"unknown tag '{tag}'",
        help="swmlc reads plain YAML; its own tags are !append, !prepend, !replace and !delete"))


def expanded_size(root: yaml.Node, file: str) -> int:
    """Nodes the document holds once aliases are expanded, computed without expanding them."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise Fail(codes.TOO_DEEP.at(
                span_of(file, node), f"values are nested more than {MAX_DEPTH} levels deep"))
        if key in in_progress:
            raise Fail(codes.ALIAS_BOMB.at(
                span_of(file, node), "an alias refers to a node that contains it",
                help="a recursive alias cannot be written as JSON; copy the value instead"))
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        in_progress.discard(key)
        sizes[key] = total
        if total > MAX_EXPANDED_NODES:
            raise Fail(codes.ALIAS_BOMB.at(
                span_of(file, node),
                f"aliases here expand to more than {MAX_EXPANDED_NODES:,} values",
                help="this looks like a 'billion laughs' document; write the values out, or "
                     "share them with extends/include instead of nested aliases"))
        return total

    return size(root, 0)


class Shared(Exception):
    """A collection node reached twice: the document uses aliases (see read_yaml)."""


class Builder:
    def __init__(self, file: str, allow_shared: bool = False) -> None:
        self.file = file
        self.allow_shared = allow_shared
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:  # the first key or value deeper than the limit is reported
            raise Fail(codes.TOO_DEEP.at(
                span_of(self.file, node), f"values are nested more than {MAX_DEPTH} levels deep"))
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, self.file)
        if not self.allow_shared:
            if id(node) in self.seen:
                raise Shared
            self.seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            return self.seq(node, depth)
        assert isinstance(node, yaml.MappingNode)
        return self.map(node, depth)

    def _tag(self, node: yaml.Node, default: str) -> str | None:
        if node.tag == default:
            return None
        if node.tag in MERGE_TAGS:
            return str(node.tag)
        raise Fail(codes.UNKNOWN_TAG.at(
            span_of(self.file, node), f"unknown tag '{node.tag}'",
            help="swmlc's own tags are !append, !prepend, !replace and !delete"))

    def seq(self, node: yaml.SequenceNode, depth: int) -> Seq:
        out = Seq(span_of(self.file, node), self._tag(node, SEQ))
        for child in node.value:
            out.push(self.build(child, depth + 1), span_of(self.file, child))
        return out

    def map(self, node: yaml.MappingNode, depth: int) -> Map:
        out = Map(span_of(self.file, node), self._tag(node, MAP))
        merged: list[Map] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                merged.extend(self._merge_sources(value_node, depth))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise Fail(codes.WRONG_TYPE.at(
                    span_of(self.file, key_node), "a mapping key must be a plain scalar",
                    help="JSON object keys are strings; write the key as text"))
            key = key_node.value
            key_span = span_of(self.file, key_node)
            if depth + 1 > MAX_DEPTH:
                raise Fail(codes.TOO_DEEP.at(
                    key_span, f"values are nested more than {MAX_DEPTH} levels deep"))
            if key in out:
                raise Fail(codes.DUPLICATE_KEY.at(
                    key_span, f"duplicate key '{key}'",
                    labels=(Label(out.key_spans[key], "first defined here"),),
                    help="remove one of them; YAML tools disagree on which one would win"))
            value = self.build(value_node, depth + 1)
            out.put(key, value, span_of(self.file, value_node), key_span)
        for source in merged:  # `<<: *base`: keys written here win over merged ones
            for key in source:
                if key not in out:
                    out.copy_entry(source, key)
        return out

    def _merge_sources(self, node: yaml.Node, depth: int) -> list[Map]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        found: list[Map] = []
        for n in nodes:
            value = self.build(n, depth + 1)
            if not isinstance(value, Map):
                raise Fail(codes.WRONG_TYPE.at(
                    span_of(self.file, n),
                    "a '<<' merge key takes a mapping or a list of mappings"))
            found.append(value)
        return found


#: The largest integer a document may hold: 64 bits, as JSON readers and orjson take them.
MAX_INT = 2**63 - 1


def _integer(text: str, node: yaml.ScalarNode, file: str) -> int:
    sign = -1 if text.startswith("-") else 1
    t = text.lstrip("+-")
    base, digits = (8, t[2:]) if t.startswith("0o") else (16, t[2:]) if t.startswith("0x") \
        else (10, t)
    # the length first: int() of thousands of digits is slow, and refused past 4,300
    value = int(digits, base) if len(digits.lstrip("0")) <= 64 else MAX_INT + 1
    if value > MAX_INT:
        raise Fail(codes.WRONG_TYPE.at(
            span_of(file, node), f"the integer {text[:20]}{'...' if len(text) > 20 else ''} "
            "does not fit in 64 bits", help="JSON readers lose such numbers: write it as a "
            "string (quoted) if it is an identifier"))
    return sign * value
