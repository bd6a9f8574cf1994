"""compiler/analysis: the symbol table, runtime strings and positions the rules share."""

from __future__ import annotations

from pathlib import Path

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import Place, call_data_key, place_of
from compiler.analysis.symbols import step_entries, steps, webhooks
from compiler.pipeline.load_definition import load_definition
from compiler.pipeline.run import run_unit
from compiler.pipeline.testing import unit_for

AGENT = """\
prompt:
  text: |
    Line one.
      Hello ${global_data.name}, and ${global_data.name} again.
  contexts:
    default:
      steps:
        - {name: a, text: x}
        - {name: b, text: y}
global_data: {Name: Ann}
functions:
  - function: f
    description: d
    parameters: {type: object, properties: {City: {type: string}}}
    data_map:
      webhooks:
        - url: https://x.example
          foreach: {input_key: k, output_key: o, append: "${this.a}"}
          output: {response: ok, action: [{set_global_data: {seen: true}}]}
  - use: _lib.yaml#g
swaig_includes:
  - {url: "https://x.example/swaig", functions: [remote]}
"""


def _model(text: str) -> AgentModel:
    unit, ctx = unit_for(text)
    unit = load_definition(unit, ctx)
    assert unit.tree is not None
    return AgentModel(unit.tree, ctx.project.files)


def test_symbols() -> None:
    model = _model(AGENT)
    table = model.symbols
    assert model.symbols is table  # computed once per model
    assert [f.name for f in table.functions] == ["f", "g"]
    assert dict(table.functions[0].params) == {"city": "City"}
    assert [f.external for f in table.functions] == [False, True]
    assert dict(table.global_data) == {"name": "Name", "seen": "seen"}
    assert list(table.included) == ["remote"]
    assert [s.name for s in table.contexts["default"].steps] == ["a", "b"]
    assert table.external


def test_place_of() -> None:
    assert place_of(("prompt", "text")) == Place()
    assert place_of(("functions", 0, "description")) == Place(0)
    assert place_of(("functions", 0, "data_map", "output", "response")) == Place(0, "output")
    hook = ("functions", 1, "data_map", "webhooks", 2)
    assert place_of((*hook, "foreach", "append")) == Place(1, "webhooks.foreach", 2, True)
    assert place_of((*hook, "output", "response")) == Place(1, "webhooks.output", 2, False)
    assert place_of((*hook, "require_args", 0)) == Place(1, None, 2)


def test_ref_span_in_a_block_scalar_finds_each_occurrence() -> None:
    model = _model(AGENT)
    refs = [r for r in model.refs if r.text.path == ("prompt", "text")]
    spans = [model.ref_span(r.text, r.ref) for r in refs]
    assert [(s.line, s.col, s.end_col) for s in spans] == [(4, 13, 32), (4, 38, 57)]


def test_ref_span_falls_back_to_the_scalar_when_folding_splits_it() -> None:
    text = 'prompt:\n  text: "a ${global_data.\n    x}"\n'
    model = _model(text)
    found = model.refs
    assert found == () or model.ref_span(found[0].text, found[0].ref) == found[0].text.span


def test_fixes_target_only_the_agents_own_file(tmp_path: Path) -> None:
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "_base.yaml").write_text("params: {barge_confidance: 0.1}\n")
    text = "extends: _base.yaml\nprompt: {text: hi}\nparams: {ai_volme: 3}\n"
    (tmp_path / "agents" / "agent.yaml").write_text(text)
    unit, ctx = unit_for(text, root=tmp_path)
    run_unit(unit, ctx)
    by_file = {d.span.file: d for d in ctx.diagnostics if d.code == "SWC419"}
    assert by_file["agents/_base.yaml"].fix is None
    assert by_file["agents/_base.yaml"].labels[0].message == "included from here"
    fix = by_file["agents/agent.yaml"].fix
    assert fix is not None and (fix.file, fix.path) == ("agents/agent.yaml", ("params", "ai_volme"))


STEPS = """\
prompt:
  text: t
  contexts:
    default:
      steps:
        - {name: a, text: x, valid_steps: [b, 3, next], functions: [f]}
        - {text: unnamed, valid_steps: [a]}
        - {name: b, text: y, valid_contexts: other}
    other:
      steps:
        - {name: c, text: z, valid_contexts: [default]}
"""


def test_steps_and_step_entries() -> None:
    model = _model(STEPS)
    contexts = model.symbols.contexts
    assert [(c.name, s.name) for c, s in steps(contexts)] == \
        [("default", "a"), ("default", "b"), ("other", "c")]
    found = [(c.name, s.name, name, span.line, span.col)
             for c, s, name, span in step_entries(contexts, "valid_steps")]
    assert found == [("default", "a", "b", 6, 44), ("default", "a", "next", 6, 50)]
    assert [n for _, _, n, _ in step_entries(contexts, "valid_contexts")] == ["default"]
    assert [n for _, _, n, _ in step_entries(contexts, "functions")] == ["f"]


REFS = """\
functions:
  - function: f
    description: d ${args.desc}
    data_map:
      expressions: [{string: "${args.a}", pattern: x, output: {response: "${meta_data.m}"}}]
      webhooks:
        - url: "https://x.example/${args.b}"
          require_args: [b]
          output: {response: "${input.args.c} ${args.d} ${input.meta_data.n}"}
        - not a webhook
  - use: _lib.yaml#g
    data_map: {output: {response: "${args.e}"}}
"""


def test_function_refs_and_call_data_key() -> None:
    model = _model(REFS)
    found = [(fn.name, r.ref.raw, call_data_key(r, "args"), call_data_key(r, "meta_data"))
             for fn, r in model.function_refs()]
    assert found == [
        ("f", "${args.a}", 1, None),
        ("f", "${meta_data.m}", None, 1),
        ("f", "${args.b}", 1, None),
        ("f", "${input.args.c}", 2, None),
        ("f", "${args.d}", None, None),  # a webhook's response has no `args`
        ("f", "${input.meta_data.n}", None, 2),
    ]
    table = model.symbols
    assert [i for i, _ in webhooks(table.functions[0].node)] == [0]
    assert list(webhooks(table.functions[1].node)) == []
