"""How the rules report: the pieces several of them share.

:mod:`compiler.analysis` describes the tree; this module holds the reporting habits the rules have
in common, so that they say things the same way: the did-you-mean help for an unknown name, when
an unknown name is worth reporting at all, the fix that rewrites one value or key, and the
problems ``check_param`` finds in ``params``.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from typing import Any

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import Path
from compiler.core.diagnostics import Fix
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Map, Span
from compiler.signalwire.params import ParamProblem, check_param

#: did-you-mean cutoff for "certainly a typo" (``clinic_nam`` for ``clinic_name``, not
#: ``patient_name``), used where an unlisted name may still be legitimate.
TYPO = 0.75


def did_you_mean_help(guess: str | None, otherwise: str | None = None) -> str | None:
    """The help for an unknown name: "did you mean 'x'?" when there is a guess, else
    ``otherwise``.

    Example:
        >>> did_you_mean_help("check_time", "see the list"), did_you_mean_help(None, "see the list")
        ("did you mean 'check_time'?", 'see the list')
    """
    return f"did you mean '{guess}'?" if guess else otherwise


def typo_of(written: str, known: Iterable[str], *, external: bool) -> tuple[bool, str | None]:
    """(whether to report the unknown name ``written``, the known name it is likely a typo of).

    When something swmlc cannot see (a webhook's server) may define names at run time
    (``external``), only a near-certain typo is reported; otherwise every unknown name is, with
    the closest known one when there is one.

    Example:
        >>> typo_of("plna", ["plan"], external=True), typo_of("tier", ["plan"], external=True)
        ((True, 'plan'), (False, None))
        >>> typo_of("tier", ["plan"], external=False)
        (True, None)
    """
    guess = did_you_mean(written, known, cutoff=TYPO if external else 0.6)
    return guess is not None or not external, guess


def fix_at(
    model: AgentModel, path: Path, span: Span, message: str, action: str, value: Any,
    *, safe: bool,
) -> Fix | None:
    """A fix that sets (``action="set"``) or renames (``"rename"``) what ``path`` holds, in the
    file ``span`` is in; None where :meth:`AgentModel.fix_path` finds no fix can target it."""
    where = model.fix_path(path, span)
    return Fix(message, span.file, where, action, value, safe=safe) if where is not None else None


def param_problems(tree: Map, kinds: Container[str]) -> Iterator[tuple[Map, str, ParamProblem]]:
    """(params, name, problem) for each problem of a kind in ``kinds`` that ``check_param``
    finds in the agent's ``params``, in source order."""
    params = tree.get("params")
    if not isinstance(params, Map):
        return
    for name, value in params.items():
        for problem in check_param(name, value):
            if problem.kind in kinds:
                yield params, name, problem
