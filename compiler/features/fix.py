"""``swmlc lint --fix``: apply safe fixes to the user's own YAML, changing only the fixed bytes.

Each fix names a file and a path inside it; the YAML reader's spans give the exact bytes of that
key or value, and only those bytes are replaced. This is stricter than a ruamel.yaml round trip,
which keeps comments and key order but re-indents sequences to one style per file (files often
mix ``- `` at column 0 and indented) and can refold long strings: measured on the bundled agents,
a ruamel round trip with guessed indentation changed 4 of 5 files before any fix was applied.
After editing, the file is parsed again and each fixed value is checked; a fix that does not read
back as intended is not written.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compiler.core.diagnostics import Diagnostic, Fix
from compiler.core.fs import write_atomic
from compiler.core.tree import span_at, value_at
from compiler.source.text import LineIndex
from compiler.source.yaml_reader import read_yaml

if TYPE_CHECKING:  # pragma: no cover
    from compiler.build.compile import CompileResult
    from compiler.project.options import Options

_PLAIN_SAFE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/ ]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def yaml_scalar(value: Any) -> str:
    """The YAML text of a scalar, quoted only where a plain scalar would be misread."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN_SAFE.match(text) and text.lower() not in _RESERVED and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass
class FixResult:
    applied: list[Fix] = field(default_factory=list)
    skipped: list[tuple[Fix, str]] = field(default_factory=list)
    new_texts: dict[str, str] = field(default_factory=dict)
    old_texts: dict[str, str] = field(default_factory=dict)

    def diff(self) -> str:
        out: list[str] = []
        for file in sorted(self.new_texts):
            out += difflib.unified_diff(
                self.old_texts[file].splitlines(keepends=True),
                self.new_texts[file].splitlines(keepends=True), f"a/{file}", f"b/{file}")
        return "".join(out)


def plan_fixes(diagnostics: list[Diagnostic], root: Path,
               texts: dict[str, str] | None = None) -> FixResult:
    """Compute the edited texts (nothing is written here); ``texts`` stand in for files
    already edited by an earlier round."""
    result = FixResult()
    by_file: dict[str, list[Fix]] = {}
    for d in diagnostics:
        if d.fix is not None and d.fix.safe:
            by_file.setdefault(d.fix.file, []).append(d.fix)
    for file, fixes in sorted(by_file.items()):
        path = root / file
        try:
            text = (texts or {}).get(file) or path.read_text(encoding="utf-8")
        except OSError as exc:
            result.skipped += [(f, f"cannot read {file}: {exc.strerror}") for f in fixes]
            continue
        tree = read_yaml(text, file).value
        edits: list[tuple[int, int, str, Fix]] = []
        index = LineIndex(text)
        for fix in fixes:
            span = span_at(tree, fix.path, key=fix.action == "rename")
            if span is None or not value_at(tree, fix.path)[0]:
                result.skipped.append((fix, "the value is not in this file any more"))
                continue
            new = str(fix.value) if fix.action == "rename" else yaml_scalar(fix.value)
            edits.append((index.offset(span.line, span.col),
                          index.offset(span.end_line, span.end_col), new, fix))
        edits.sort(key=lambda e: e[0], reverse=True)
        new_text, last = text, None
        for start, end, new, fix in edits:
            if last is not None and end > last:
                result.skipped.append((fix, "overlaps another fix"))
                continue
            new_text = new_text[:start] + new + new_text[end:]
            last = start
            result.applied.append(fix)
        check = read_yaml(new_text, file)
        if check.diagnostics or not all(_reads_back(check.value, f) for f in result.applied
                                        if f.file == file):
            result.applied = [f for f in result.applied if f.file != file]
            result.skipped += [(f, "the edited file did not read back as intended")
                               for f in fixes]
            continue
        if new_text != text:
            result.old_texts[file] = text
            result.new_texts[file] = new_text
    return result


def _reads_back(tree: Any, fix: Fix) -> bool:
    if fix.action == "rename":
        return value_at(tree, (*fix.path[:-1], fix.value))[0]
    found, node = value_at(tree, fix.path)
    return found and bool(node == fix.value and type(node) is type(fix.value))


#: Rounds of fixing before giving up: a fix may reveal one more (a param renamed from a typo
#: is then checked as that param, and its quoted number retyped), never a chain this long.
MAX_ROUNDS = 5


def fix_in_rounds(options: Options, result: CompileResult) -> tuple[FixResult, CompileResult]:
    """Every safe fix, composed: the edited files are compiled again in memory and the fixes
    that appear then (a value renamed into a known param, then retyped) join the first ones,
    so one ``lint --fix`` does what would otherwise take several runs. Returns the combined
    plan (the original texts, the final ones) and the compile of the final texts; nothing is
    written."""
    from compiler.build.compile import compile_project

    total = FixResult()
    for _ in range(MAX_ROUNDS):
        plan = plan_fixes(result.diagnostics, options.root, total.new_texts)
        total.skipped += plan.skipped
        if not plan.new_texts:
            break
        total.applied += plan.applied
        for file, text in plan.new_texts.items():
            total.old_texts.setdefault(file, plan.old_texts[file])
            total.new_texts[file] = text
        result = compile_project(replace(options, overlay=dict(total.new_texts)), write=False,
                                 reuse=False)
    return total, result


def write_fixes(result: FixResult, root: Path) -> None:
    """Each file written aside and renamed into place: an interrupted fix never truncates one,
    and the file keeps its permissions."""
    for file, text in result.new_texts.items():
        write_atomic(root / file, text.encode("utf-8"))
