"""What changed in a piece of prompt text, word by word, cut to what a reviewer reads.

"prompt section 'Role' changed" makes a reviewer open the YAML; the changed words, with a few
words around them, say it in the pull request. Each change is a hunk: the old and the new
excerpt (for a markdown ``diff`` block, one ``-`` and one ``+`` line) and both in one line with
git's word-diff marks (``[-old-]{+new+}``, for a terminal). Long texts are cut: a few words of
context, a bounded excerpt, at most a few hunks and a count of the rest.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: Words of context kept on each side of a change.
CONTEXT = 4
#: Hunks shown per text; the rest are counted.
MAX_HUNKS = 3
#: Characters of one excerpt, at most.
WIDTH = 160
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class WordHunk:
    """One change: the old and the new excerpt, and both marked in one line."""

    old: str
    new: str
    marked: str


def word_hunks(old: str, new: str) -> tuple[list[WordHunk], int]:
    """The hunks of changed words from ``old`` to ``new`` (at most :data:`MAX_HUNKS`), and how
    many more there are.

    Example:
        >>> hunks, more = word_hunks("You are Acme support. Be brief and kind.",
        ...                          "You are Acme support. Be short and kind.")
        >>> hunks[0].marked, more
        ('…are Acme support. Be [-brief-]{+short+} and kind.', 0)
        >>> word_hunks("one two three", "one two three four")[0][0].marked
        'one two three {+four+}'
    """
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    groups: list[list[tuple[str, int, int, int, int]]] = []
    for op in ops:
        tag, i1, _, _, _ = op
        if tag == "equal":
            continue
        if groups and _words(a[groups[-1][-1][2]:i1]) <= 2 * CONTEXT:
            groups[-1].append(op)
        else:
            groups.append([op])
    hunks = [_hunk(a, b, group) for group in groups[:MAX_HUNKS]]
    return hunks, max(0, len(groups) - MAX_HUNKS)


def _words(tokens: list[str]) -> int:
    return sum(1 for t in tokens if not t.isspace())


def _context(tokens: list[str], words: int, *, before: bool) -> tuple[str, bool]:
    """The last (``before``) or first ``words`` words of ``tokens``, and whether it was cut."""
    kept: list[str] = []
    count = 0
    seq = reversed(tokens) if before else iter(tokens)
    for token in seq:
        if not token.isspace():
            if count == words:
                break
            count += 1
        kept.append(token)
    else:
        return ("".join(reversed(kept)) if before else "".join(kept)), False
    return ("".join(reversed(kept)) if before else "".join(kept)), True


def _hunk(a: list[str], b: list[str], group: list[tuple[str, int, int, int, int]]) -> WordHunk:
    start_a, start_b = group[0][1], group[0][3]
    end_a, end_b = group[-1][2], group[-1][4]
    head, cut_head = _context(a[:start_a], CONTEXT, before=True)
    tail, cut_tail = _context(a[end_a:], CONTEXT, before=False)
    head = ("…" if cut_head else "") + head.lstrip()
    tail = tail.rstrip() + ("…" if cut_tail else "")
    marked: list[str] = []
    pos_a = start_a
    for _, i1, i2, j1, j2 in group:
        marked.append("".join(a[pos_a:i1]))
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        text = removed or added  # the space around the change stays outside the marks
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        marked.append(lead)
        if removed.strip():
            marked.append(f"[-{removed.strip()}-]")
        if added.strip():
            marked.append(f"{{+{added.strip()}+}}")
        marked.append(trail)
        pos_a = i2
    old = head + "".join(a[start_a:end_a]) + tail
    new = head + "".join(b[start_b:end_b]) + tail
    return WordHunk(_flat(old), _flat(new), _flat(head + "".join(marked) + tail))


def _flat(text: str) -> str:
    """One line: line breaks shown as spaces, cut to :data:`WIDTH` characters."""
    line = re.sub(r"\s*\n\s*", " ", text)
    return line if len(line) <= WIDTH else line[:WIDTH - 1] + "…"
