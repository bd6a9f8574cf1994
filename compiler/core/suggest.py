"""Did-you-mean: the closest known name to a misspelt one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The single best candidate, or None when nothing is close enough to be a likely typo.

    difflib's ratio is used rather than a raw edit distance because it scales with length: one
    wrong letter in ``barge_confidance`` is close, in ``ab`` it is not.
    """
    pool = [c for c in candidates if c != name]
    lowered = {c.lower(): c for c in pool}
    if name.lower() in lowered:  # a difference of case only
        return lowered[name.lower()]
    found = difflib.get_close_matches(name, pool, n=1, cutoff=cutoff)
    return found[0] if found else None
