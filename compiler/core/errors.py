"""The one exception type for expected failures that are not about a particular source line."""

from __future__ import annotations


class SwmlcError(Exception):
    """An expected failure (bad command-line input, a held lock). The CLI prints its message and
    exits 1; anything else escaping the library is a bug and exits 3."""
