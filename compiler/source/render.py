"""Diagnostics to text: human (snippet and caret), json, and GitHub workflow annotations.

Every renderer works from the same sorted list, so the formats never disagree. Rendering is
the only place where line text is looked up, and it needs only the files that have diagnostics.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Literal

from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import Span
from compiler.source.text import LineIndex

ErrorFormat = Literal["human", "json", "github"]
Style = Callable[[str, str], str]

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan", "help": "green",
            "location": "blue", "bold": "bold"}


def _plain(text: str, _kind: str) -> str:
    return text


def ansi_style(text: str, kind: str) -> str:
    codes = {"red": "31", "yellow": "33", "cyan": "36", "green": "32", "blue": "34", "bold": "1"}
    return f"\x1b[{codes[_COLOURS[kind]]};1m{text}\x1b[0m"


class _Lines:
    """Line text for snippets, each file indexed once per rendering."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = texts
        self.indexes: dict[str, LineIndex] = {}

    def __call__(self, file: str, line: int) -> str | None:
        text = self.texts.get(file)
        if text is None or line < 1:
            return None
        index = self.indexes.get(file)
        if index is None:
            index = self.indexes[file] = LineIndex(text)
        return index.line(line)


def _untab(text: str) -> str:
    return _visible(text.replace("\t", "    "))


#: Control characters shown as their Unicode pictures (one column each, so carets stay aligned):
#: a raw ESC from a user's file or key name must not reach the terminal as an escape sequence.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20)} | {0x7F: "\u2421"}


def _visible(text: str) -> str:
    return text.translate(_PICTURES)


def _text(text: str, indent: int) -> str:
    """A message, help or note: control characters made visible; its own line breaks kept, each
    continuation line indented under the first."""
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return ("\n" + " " * indent).join(_visible(line) for line in lines)


#: The most characters of one source line a snippet shows.
SNIPPET_WIDTH = 200


def _snippet(span: Span, lines: _Lines, style: Style, marker: str,
             message: str = "", kind: str = "error") -> list[str]:
    src = lines(span.file, span.line)
    if src is None:
        return []
    gutter = " " * len(str(span.line))
    start = max(span.col, 1)
    if span.end_line == span.line and span.end_col > start:
        width = span.end_col - start
    else:
        width = max(len(src) - start + 1, 1)
    width = max(1, min(width, max(len(src) - start + 1, 1), SNIPPET_WIDTH))
    if len(src) > SNIPPET_WIDTH:  # a 50 MB one-line JSON shows the part around its column
        left = max(0, min(start - 1 - SNIPPET_WIDTH // 3, len(src) - SNIPPET_WIDTH))
        src = ("…" if left else "") + src[left:left + SNIPPET_WIDTH] + \
            ("…" if left + SNIPPET_WIDTH < len(src) else "")
        start = start - left + (1 if left else 0)
    # A tab would show as up to 8 columns and push the text away from the caret: show tabs as
    # four spaces, and measure the caret's offset and width in shown columns.
    shown_start = len(_untab(src[:start - 1])) + max(start - 1 - len(src), 0)
    shown_width = max(len(_untab(src[start - 1:start - 1 + width])), 1)
    src = _untab(src)
    caret = " " * shown_start + marker * shown_width
    if message:
        caret += " " + _text(message, len(gutter) + 3 + len(caret) + 1)
    return [
        f"{gutter} {style('|', 'location')}",
        f"{style(str(span.line), 'location')} {style('|', 'location')} {src}",
        f"{gutter} {style('|', 'location')} {style(caret, kind)}",
    ]


def render_human(diagnostics: list[Diagnostic], texts: Mapping[str, str], *,
                 colour: bool = False) -> str:
    style: Style = ansi_style if colour else _plain
    source = _Lines(texts)
    blocks: list[str] = []
    for d in diagnostics:
        sev = d.severity.label
        prefix = f"{sev}[{d.code}]"
        head = style(prefix, sev) + style(f": {_text(d.message, len(prefix) + 2)}", "bold")
        lines = [head]
        if d.span.line > 0:
            lines.append(f"  {style('-->', 'location')} {d.span}")
            lines += _snippet(d.span, source, style, "^", kind=sev)
        elif d.span.file and d.span.file != "<unknown>":
            lines.append(f"  {style('-->', 'location')} {d.span.file}")
        for label in d.labels:
            lines.append(f"  {style(':::', 'location')} {label.span}")
            lines += _snippet(label.span, source, style, "-", label.message, kind="info")
        if d.pointer:
            lines.append(f"   = at: {_visible(d.pointer)}")
        for note in d.notes:
            lines.append(f"   = note: {_text(note, 11)}")
        if d.help:
            lines.append(f"   = {style('help', 'help')}: {_text(d.help, 11)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def render_json(diagnostics: list[Diagnostic]) -> str:
    def span_obj(s: Span) -> dict[str, object]:
        return {"file": s.file, "line": s.line, "column": s.col,
                "end_line": s.end_line, "end_column": s.end_col}

    items = []
    for d in diagnostics:
        item: dict[str, object] = {
            "code": d.code, "name": d.name, "severity": d.severity.label,
            "message": d.message, **span_obj(d.span),
        }
        if d.pointer:
            item["pointer"] = d.pointer
        if d.help:
            item["help"] = d.help
        if d.notes:
            item["notes"] = list(d.notes)
        if d.labels:
            item["related"] = [{"message": lb.message, **span_obj(lb.span)} for lb in d.labels]
        if d.fix:
            item["fix"] = {"message": d.fix.message, "safe": d.fix.safe}
        items.append(item)
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each diagnostic lands on its line of the pull request."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for d in diagnostics:
        s = d.span
        props = [f"file={_gh_escape(s.file, True)}"]
        if s.line > 0:
            props += [f"line={s.line}", f"col={s.col}"]
            if s.end_line >= s.line:
                props += [f"endLine={s.end_line}"]
        props.append(f"title={_gh_escape(f'{d.code} {d.name}', True)}")
        message = d.message + (f" (help: {d.help})" if d.help else "")
        out.append(f"::{level[d.severity]} {','.join(props)}::{_gh_escape(message)}")
    return "\n".join(out) + ("\n" if out else "")


def render(diagnostics: list[Diagnostic], fmt: ErrorFormat, texts: Mapping[str, str], *,
           colour: bool = False) -> str:
    if fmt == "json":
        return render_json(diagnostics)
    if fmt == "github":
        return render_github(diagnostics)
    return render_human(diagnostics, texts, colour=colour)


def summary(diagnostics: list[Diagnostic]) -> str:
    counts = {sev: sum(d.severity is sev for d in diagnostics) for sev in Severity}
    parts = []
    for sev, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning")):
        n = counts[sev]
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    return ", ".join(parts)
