"""One agent as the static checks see it: its tree, its symbol table and its runtime strings,
each computed once, and the way back from a value to the exact characters of the source file.

A rule receives an :class:`AgentModel` and only yields diagnostics. The model is typed per unit,
so two rules asking for the symbol table get the same one without a shared cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from compiler.analysis.strings import Path, Ref, Text, find_runtime_refs
from compiler.analysis.symbols import Function, Symbols, build_symbols
from compiler.core.tree import Map, Seq, Span
from compiler.signalwire.runtime_refs import RuntimeRef
from compiler.source.files import SourceFiles

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from compiler.analysis.flow import Flow


class AgentModel:
    """The composed, rendered tree of one agent and what the checks derive from it."""

    def __init__(self, tree: Map, files: SourceFiles) -> None:
        self.tree = tree
        self.files = files

    @cached_property
    def symbols(self) -> Symbols:
        return build_symbols(self.tree)

    @cached_property
    def flow(self) -> Flow:
        """The conversation graph of the agent's contexts and steps (its module loads here, for
        agents with contexts: the others never need it)."""
        from compiler.analysis.flow import build_flow

        return build_flow(self.symbols.contexts, self.tree.get("functions"))

    @cached_property
    def refs(self) -> tuple[Ref, ...]:
        """Every runtime reference in the agent's runtime strings."""
        return find_runtime_refs(self.tree)

    def function_refs(self) -> Iterator[tuple[Function, Ref]]:
        """Every runtime reference in a data_map field that is expanded, with the function whose
        data_map holds it. A ``use:`` entry is left out: its data_map is not known yet."""
        by_index = {fn.index: fn for fn in self.symbols.functions}
        for found in self.refs:
            index, field = found.place.function, found.place.field
            fn = by_index.get(index) if index is not None and field is not None else None
            if fn is not None and "use" not in fn.node:
                yield fn, found

    # -- source positions ---------------------------------------------------------------------

    def source_of(self, span: Span) -> tuple[str, int, int] | None:
        """The file text and the offsets ``span`` covers in it, when the file is known."""
        index = self.files.index(span.file)
        covered = index.covers(span) if index is not None else None
        if index is None or covered is None:
            return None
        return index.text, covered[0], covered[1]

    def sub_span(self, text: Text, start: int, end: int) -> Span:
        """The span of ``text.value[start:end]`` in the file, so the caret lands on just that
        part.

        A scalar's value is not its source text (quotes, escapes, folded lines), so the part is
        found by its characters inside the scalar's span: the n-th occurrence for the n-th in the
        value. When it cannot be found verbatim (split by folding), the whole scalar is the
        answer.
        """
        part = text.value[start:end]
        located = self.source_of(text.span)
        index = self.files.index(text.span.file)
        if located is None or index is None or not part:
            return text.span
        source, begin, finish = located
        nth = text.value[:start].count(part)
        pos, found = begin, -1
        for _ in range(nth + 1):
            found = source.find(part, pos, finish)
            if found < 0:
                return text.span
            pos = found + len(part)
        return index.span(text.span.file, found, found + len(part))

    def ref_span(self, text: Text, ref: RuntimeRef) -> Span:
        """The span of the reference itself in the file, so the caret lands on ``${args.x}``."""
        return self.sub_span(text, ref.start, ref.end)

    def fix_path(self, path: Path, span: Span) -> Path | None:
        """``path`` as a path inside the file ``span`` is in, or None when no fix can target it.

        A fix edits the user's own file, so it is offered only where the tree and that file
        agree: every container on the way is from the agent's own file (a value composed in from
        an include has a path of its own there, unknown here), and the scalar's source holds no
        Jinja, whose rendered value would otherwise overwrite the template.
        """
        file = self.tree.span.file
        if span.file != file:
            return None
        node: Any = self.tree
        for part in path[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
            if not isinstance(node, Map | Seq) or node.span.file != file:
                return None
        located = self.source_of(span)
        if located is None:
            return None
        source, start, end = located
        region = source[start:end]
        if "{{" in region or "{%" in region:
            return None
        return path
