"""``swmlc graph`` and the conversation graph it draws (compiler/analysis/flow.py): Mermaid and
DOT text for the bundled agents and for a SWML document, the marks for unreachable steps and
dead ends, and the graph of a changed flow in ``swmlc diff --format markdown``."""

from __future__ import annotations

import subprocess

from compiler.analysis.flow import flow_of
from tests.conftest import REPO

FLOW = """\
prompt:
  text: You take orders.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet., valid_steps: [order, next], functions: []}
        - {name: "say \\"hi\\"", text: Quoted., functions: []}
        - {name: order, text: Order., valid_contexts: [pay], functions: [jump]}
        - {name: lost, text: Nowhere to go from here., functions: []}
    pay:
      steps:
        - {name: card, text: Card., functions: []}
        - {name: done, text: Done., end: true, functions: []}
        - {name: orphan, text: "Nothing comes here: done ends.", functions: []}
        - {name: stuck, text: "Only jump (and orphan) come here.", functions: []}
functions:
  - function: jump
    description: Jump.
    data_map:
      output: {response: ok, action: [{change_context: pay}, {change_step: stuck}]}
"""


def test_the_flow_analysis() -> None:
    import yaml

    tree = yaml.safe_load(FLOW)
    flow = flow_of(tree["prompt"], tree["functions"])
    assert flow.start == ("default", 0)
    assert sorted(flow.reachable) == [("default", 0), ("default", 1), ("default", 2),
                                      ("default", 3), ("pay", 0), ("pay", 1), ("pay", 3)]
    # jump's reply changes the context, then the step: a step of the new context, as swmlc
    # test moves a conversation and as SWC423 accepts it
    assert [(e.source, e.target, e.kind, e.label) for e in flow.out(("default", 2))] == [
        (("default", 2), ("default", 3), "next", ""),
        (("default", 2), ("pay", 0), "context", ""),
        (("default", 2), ("pay", 3), "action", "jump")]
    assert ("pay", 2) not in flow.reachable  # orphan
    # 'lost' and 'stuck': each the last of its context, with no end
    assert flow.dead_ends == (("default", 3), ("pay", 3))


def test_a_reply_s_actions_move_the_conversation_in_their_order() -> None:
    """The step first, then the context: the step is looked up where the conversation is
    (default has no 'stuck', so the platform ignores it), and the context change wins."""
    import yaml

    tree = yaml.safe_load(FLOW.replace("[{change_context: pay}, {change_step: stuck}]",
                                       "[{change_step: stuck}, {change_context: pay}]"))
    flow = flow_of(tree["prompt"], tree["functions"])
    actions = [e.target for e in flow.edges if e.kind == "action"]
    assert actions == [("pay", 0)]
    assert ("pay", 3) not in flow.reachable


def test_mermaid_of_a_definition(project, swmlc) -> None:
    project({"agents/shop.yaml": FLOW})
    result = swmlc("graph", "shop")
    assert result.exit_code == 0
    assert result.stdout == """\
flowchart TD
    start((start))
    subgraph c0["default"]
        s0["greet"]
        s1["say &quot;hi&quot;"]
        s2["order"]
        s3["lost"]
    end
    subgraph c1["pay"]
        s4["card"]
        s5(["done"])
        s6["orphan"]
        s7["stuck"]
    end
    start --> s0
    s0 --> s2
    s0 --> s1
    s1 --> s2
    s2 --> s3
    s2 ==> s4
    s4 --> s5
    s6 --> s7
    s2 -.->|"jump()"| s7
    classDef unreachable stroke-dasharray: 5 5,color:#888
    class s6 unreachable
    classDef deadEnd stroke:#c00,stroke-width:2px
    class s3,s7 deadEnd
"""


def test_dot_and_a_dead_end(project, swmlc) -> None:
    project({"agents/a.yaml": "prompt:\n  text: x\n  contexts:\n    default:\n      steps:\n"
             "        - {name: one, text: a, valid_contexts: [two]}\n"
             "    two:\n      steps:\n        - {name: stuck, text: b}\n"})
    result = swmlc("graph", "a", "--format", "dot")
    assert result.stdout.splitlines() == [
        'digraph "a" {', "    rankdir=TB;", "    node [shape=box, style=rounded];",
        '    start [shape=circle, style=filled, fillcolor=black, label="", width=0.2];',
        "    subgraph cluster_0 {", '        label="default";', '        s0 [label="one"];',
        "    }", "    subgraph cluster_1 {", '        label="two";',
        '        s1 [label="stuck", color=red3];', "    }", "    start -> s0;",
        "    s0 -> s1 [penwidth=2];", "}"]


def test_every_agent_with_contexts_or_a_document(swmlc, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    everything = swmlc("graph")
    assert everything.exit_code == 0
    assert everything.stdout.startswith("flowchart TD\n") and "%% " not in everything.stdout
    assert '        s4(["confirm"])' in everything.stdout          # intake's last step
    document = swmlc("graph", "build/intake.swml.json")
    assert document.stdout == everything.stdout
    none = swmlc("graph", "minimal")
    assert none.stdout == "" and "minimal: no contexts, so no steps to draw" in none.stderr
    assert "no agent named 'intak'" in swmlc("graph", "intak").stderr


def test_diff_markdown_shows_the_new_flow_of_a_changed_agent(project, swmlc) -> None:
    root = project({"agents/shop.yaml": FLOW, "agents/plain.yaml": "prompt: {text: hi}\n"})
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    (root / "agents/shop.yaml").write_text(FLOW.replace("valid_steps: [order, next]",
                                                        "valid_steps: [order]"))
    (root / "agents/plain.yaml").write_text("prompt: {text: hello}\n")
    result = swmlc("diff", "--format", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    assert "#### Conversation flow of `shop`" in text
    assert "#### Conversation flow of `plain`" not in text
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert "    s0 --> s1\n" not in block and "    s0 --> s2\n" in block
    assert "    class s1,s6 unreachable\n" in block
