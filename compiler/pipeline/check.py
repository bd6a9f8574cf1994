"""Pass: the static checks (compiler/lints), with configured severities and inline ignores."""

from __future__ import annotations

from compiler.analysis.model import AgentModel
from compiler.lints import rules
from compiler.pipeline.context import Context, Unit, pipeline_pass

#: Source-shape codes a rule may explain better (with a fix) at the same place.
SHAPE_CODES = frozenset({"SWC102", "SWC103", "SWC104"})


@pipeline_pass()
def check(unit: Unit, ctx: Context) -> Unit:
    """Run every rule over the unit's (composed, rendered) tree.

    This pass runs even when ``check_shape`` found errors (it keeps going), so that a rule with
    better words and a fix (a fillers object with two languages, ``purpose`` for
    ``description``, a string for a boolean) replaces the schema's generic refusal of the same
    place. Rules are written for misshapen trees too: a rule that raises is a bug in the rule.
    """
    assert unit.tree is not None
    configured = ctx.project.config.rules
    model = AgentModel(unit.tree, ctx.project.files)
    for rule in rules():
        if configured.get(rule.CODE.code) == "off":
            continue
        for diag in rule.check(model):
            ctx.report_configurable(diag, replaces=SHAPE_CODES)
    return unit
