"""Notes said once per build, naming every agent they concern.

A note about something many agents share (the relay target leaving out the verbs a common base
puts around ``ai``) said once per agent is noise on every build, check and hook run; said once
per place, it names only the first agent. So the units hand these notes back apart
(:attr:`compiler.build.units.Compiled.notes`), with their agent's name, and the build says each
once, listing the agents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from compiler.core.diagnostics import Diagnostic, Label

#: Codes said once per build.
ONCE_PER_BUILD = frozenset({"SWC603"})
#: Other places shown as labels, at most.
MAX_LABELS = 5
_KEYS = re.compile(r"swml\.(?:before|after|sections)")


def said_once(notes: Iterable[tuple[str, Diagnostic]]) -> list[Diagnostic]:
    """One diagnostic per code of ``notes`` ((agent, diagnostic) pairs), naming every agent.

    Example:
        >>> from compiler.core.tree import Span
        >>> from compiler.core import codes
        >>> from compiler.targets.relay import relay_verbs_message
        >>> note = codes.RELAY_VERBS.at(Span("b.yaml", 3, 3, 3, 8),
        ...                             relay_verbs_message(["swml.after"]))
        >>> [d.message[:66] for d in said_once([("b", note), ("a", note)])]
        ['swml.after is not part of the relay target of 2 agents (a, b): cal']
    """
    by_code: dict[str, list[tuple[str, Diagnostic]]] = {}
    for agent, diag in notes:
        by_code.setdefault(diag.code, []).append((agent, diag))
    out = []
    for group in by_code.values():
        from compiler.targets.relay import relay_verbs_message  # only when there are notes

        group.sort(key=lambda pair: (pair[1].sort_key(), pair[0]))
        first = group[0][1]
        agents = sorted({agent for agent, _ in group})
        keys = sorted({k for _, d in group for k in _KEYS.findall(d.message)},
                      key=("swml.before", "swml.after", "swml.sections").index)
        spans = list(dict.fromkeys([first.span, *(d.span for _, d in group),
                                    *(lb.span for _, d in group for lb in d.labels
                                      if lb.message == "and here")]))
        out.append(Diagnostic(
            first.code, first.name, first.severity, relay_verbs_message(keys, agents),
            first.span, tuple(Label(s, "and here") for s in spans[1:1 + MAX_LABELS]),
            first.notes, first.help, None, first.pointer))
    return out
