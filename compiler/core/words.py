"""Counts said in words: one place decides "1 agent" and "2 agents", so no summary says
"1 error in 1 agents"."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word``, the word in the plural unless ``n`` is 1 (``many`` when the plural is
    not the word and an ``s``).

    Example:
        >>> plural(1, "agent"), plural(2, "agent"), plural(0, "file")
        ('1 agent', '2 agents', '0 files')
        >>> plural(1, "library", "libraries"), plural(3, "library", "libraries")
        ('1 library', '3 libraries')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"
