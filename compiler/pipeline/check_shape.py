"""Pass: the definition against the source format (schemas/agent.schema.json) and the few shape
rules a JSON Schema cannot say well (both ``text`` and ``sections``, a reserved section name).

The schema is the single statement of the format: editors read it for completion and hover, and
this pass reads the same file, so the two can never disagree.
"""

from __future__ import annotations

import re

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Map, Seq, Span, pointer
from compiler.pipeline.context import Context, Unit, pipeline_pass
from compiler.source.schema.words import dotted

SOURCE_CODES = {"unknown": codes.UNKNOWN_KEY, "type": codes.WRONG_TYPE,
                "missing": codes.MISSING_KEY, "value": codes.BAD_VALUE}
AGENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
PROMPT_FORMS = ("text", "sections")
AGENT_SCHEMA = "agent.schema.json"


def _prompt_forms(ctx: Context, owner: Map, path: tuple[str | int, ...], required: bool,
                  covered: set[str]) -> None:
    present = [k for k in PROMPT_FORMS if k in owner]
    covered.add(pointer(path))
    if len(present) > 1:
        ctx.report(codes.ONE_OF.at(
            owner.key_spans[present[1]],
            f"{dotted(path) or 'this'} has both 'text' and 'sections'",
            help="keep one: 'text' is one string, 'sections' is a list of POM sections"))
    elif required and not present and not any(
            did_you_mean(k, PROMPT_FORMS) for k in owner):  # a typo is reported as unknown key
        ctx.report(codes.ONE_OF.at(
            owner.span, f"{dotted(path)} needs 'text' or 'sections'",
            help="SWML requires a base prompt, even when contexts carry the steps"))


def _semantic(tree: Map, ctx: Context) -> set[str]:
    """The rules said better here than by the schema; returns the pointers they cover, where the
    schema's own (vaguer) errors are dropped."""
    covered: set[str] = set()
    prompt = tree.get("prompt")
    if isinstance(prompt, Map):
        _prompt_forms(ctx, prompt, ("prompt",), required=True, covered=covered)
        contexts = prompt.get("contexts")
        if isinstance(contexts, Map):
            for name, value in contexts.items():
                if not isinstance(value, Map):
                    continue
                _prompt_forms(ctx, value, ("prompt", "contexts", name), required=False,
                              covered=covered)
                steps = value.get("steps")
                if isinstance(steps, Seq):
                    for i, step in enumerate(steps):
                        if isinstance(step, Map):
                            _prompt_forms(ctx, step, ("prompt", "contexts", name, "steps", i),
                                          required=True, covered=covered)
    post = tree.get("post_prompt")
    if isinstance(post, Map):
        _prompt_forms(ctx, post, ("post_prompt",), required=True, covered=covered)
    swml = tree.get("swml")
    if isinstance(swml, Map) and isinstance(swml.get("sections"), Map) \
            and "main" in swml["sections"]:
        ctx.report(codes.RESERVED_SECTION.at(
            swml["sections"].key_spans["main"], "swml.sections may not define 'main'",
            help="the ai verb lives in main; put verbs around it in swml.before / swml.after"))
        covered.add("/swml/sections")
    return covered


def _unknown_keys_only(unit: Unit, ctx: Context) -> None:
    """For a unit that failed before the shape check, only its unknown keys: a misspelt ``vars``
    or ``extends`` is usually why templating or composition failed."""
    if unit.tree is None:
        return
    for diag in ctx.project.schemas.bundled(AGENT_SCHEMA).problems(unit.tree, SOURCE_CODES,
                                                                   "the definition"):
        if diag.code == codes.UNKNOWN_KEY.code:
            ctx.report(diag)


@pipeline_pass(keep_going=True, when_skipped=_unknown_keys_only)
def check_shape(unit: Unit, ctx: Context) -> Unit:
    """Report every place the definition departs from the source format.

    Example:
        >>> from compiler.pipeline.testing import run_passes
        >>> _, diags = run_passes("prompt: {txt: hi}\\n")
        >>> [(d.code, d.message, d.help) for d in diags][:1]
        [('SWC101', "unknown key 'txt' in prompt", "did you mean 'text'?")]
    """
    tree = unit.tree
    assert tree is not None
    covered = _semantic(tree, ctx)
    if not AGENT_NAME.match(unit.name):
        covered.add("/agent")
        span = tree.value_span("agent") if "agent" in tree else Span(unit.file, 1, 1, 1, 1)
        ctx.report(codes.BAD_AGENT_NAME.at(
            span, f"agent name '{unit.name}' cannot be used as a file name",
            help="use letters, digits, '.', '_' and '-' (and start with a letter or digit)"))
    for diag in ctx.project.schemas.bundled(AGENT_SCHEMA).problems(tree, SOURCE_CODES,
                                                                   "the definition"):
        if not _said_better(diag, covered):
            ctx.report(diag)
    return unit


def _said_better(diag: Diagnostic, covered: set[str]) -> bool:
    """A schema error at a place a rule above already explained (a prompt with both or neither
    of text/sections, a section named main, a bad agent name): the rule's words are clearer."""
    if diag.pointer in covered and diag.code != codes.UNKNOWN_KEY.code:
        return True
    return diag.code == codes.MISSING_KEY.code and any(
        f"'{k}'" in diag.message for k in PROMPT_FORMS)
