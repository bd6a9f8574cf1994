"""Pass: the agent model to one document per requested target (:mod:`compiler.targets`)."""

from __future__ import annotations

from dataclasses import replace

from compiler.pipeline.context import Context, Unit, pipeline_pass
from compiler.targets import lower_targets


@pipeline_pass()
def lower(unit: Unit, ctx: Context) -> Unit:
    """Lower the unit's tree to every requested target.

    Example:
        >>> from compiler.pipeline.testing import run_passes
        >>> unit, _ = run_passes("prompt: {sections: [{title: Role, body: Be kind.}]}\\n")
        >>> unit.documents["swml"]["sections"]["main"][1]["ai"]["prompt"]
        {'pom': [{'title': 'Role', 'body': 'Be kind.'}]}
    """
    assert unit.tree is not None
    documents, said = lower_targets(unit.tree, ctx.project.targets)
    for diag in said:
        ctx.report_configurable(diag)
    return replace(unit, documents=documents)
