"""Pass: the static checks (compiler/lints), with configured severities and inline ignores."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.limits import Limits
from compiler.core.tree import Map, Seq, walk
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
    for diag in implausible_sizes(unit.tree, ctx.project.config.limits):
        ctx.report_configurable(diag)
    return unit


def implausible_sizes(tree: Map, limits: Limits) -> Iterator[Diagnostic]:
    """SWC914: more hints, or more prompt, than the project's ``limits:`` call plausible.

    SignalWire's reference documents no limit on either: the ``ai.hints`` page gives none
    (signalwire/docs ``website/docs/main/swml/methods/ai/ai_hints.mdx``) and the ``ai.prompt``
    page bounds only ``max_tokens``, the length of each answer, 0 to 4096
    (``fern/products/swml/pages/reference/methods/calling/ai/prompt/index.mdx``; the ``ai.params``
    page's ``max_tokens`` takes 1 to 16384), which the official schema and the params check
    enforce. So these are warnings, with thresholds a project may raise, not errors.
    """
    hints = tree.get("hints")
    if isinstance(hints, Seq) and len(hints) > limits.hints:
        yield codes.IMPLAUSIBLY_LARGE.at(
            tree.key_span("hints"),
            f"hints holds {len(hints):,} entries, more than limits.hints ({limits.hints:,})",
            help="keep the words the recognizer gets wrong (names, jargon); raise "
                 "limits.hints in swmlc.yaml if the list is meant to be this long")
    prompt = tree.get("prompt")
    size = prompt_chars(prompt)
    if size > limits.prompt_chars:
        yield codes.IMPLAUSIBLY_LARGE.at(
            tree.key_span("prompt"),
            f"the prompt holds {size:,} characters (about {size // 4:,} tokens), more than "
            f"limits.prompt_chars ({limits.prompt_chars:,})",
            help="the model reads it on every turn: move reference material behind a function "
                 "(DataMap or webhook), or raise limits.prompt_chars in swmlc.yaml")


def prompt_chars(prompt: object) -> int:
    """Characters of every string the model reads from ``prompt`` (text, POM titles, bodies
    and bullets, contexts' steps); the numbers and switches beside them do not count.

    Example:
        >>> prompt_chars({"sections": [{"title": "Role", "body": "Be kind.",
        ...                             "bullets": ["One", "Two"]}], "temperature": 0.3})
        18
    """
    return sum(len(value) for _, value in walk(prompt) if isinstance(value, str))
