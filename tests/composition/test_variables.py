"""Issue 3, point 3: variables.

Sources, lowest precedence first: swmlc.yaml ``vars``, each layer's ``vars`` in merge order, the
agent's own ``vars``, ``--vars-file FILE``, ``--var KEY=VALUE`` (VALUE read as YAML). A variable's
value may hold templates, rendered against the other variables; a cycle is an error.
"""

from __future__ import annotations

import pytest

from tests.composition.conftest import Build, related, where

LEVELS = ("project", "base", "include", "agent", "varsfile", "cli")


def five_sources(project):
    """Variable ``<level>`` is set at its own level and at every level below it, each time to
    the name of the level, so its value says which level won."""

    def at(level: str) -> str:
        upto = LEVELS.index(level)
        return "{" + ", ".join(f"{name}: {level}" for name in LEVELS[upto:]) + "}"

    text = " ".join(f"{name}={{{{ {name} }}}}" for name in LEVELS)
    return project({
        "swmlc.yaml": f"vars: {at('project')}\n",
        "agents/_base.yaml": f"vars: {at('base')}\n",
        "agents/_include.yaml": f"vars: {at('include')}\n",
        "agents/a.yaml": f"extends: _base.yaml\ninclude: [_include.yaml]\nvars: {at('agent')}\n"
                         f"prompt: {{text: '{text}'}}\n",
        "vars.yaml": "".join(f"{name}: varsfile\n" for name in LEVELS[LEVELS.index("varsfile"):]),
    })


def test_precedence_across_every_source(project, build: Build) -> None:
    root = five_sources(project)
    ai = build(root, "--vars-file", "vars.yaml", "--var", "cli=cli").ai("a")
    assert ai["prompt"]["text"] == ("project=project base=base include=include agent=agent "
                                    "varsfile=varsfile cli=cli")


def test_without_the_command_line_the_agent_wins(project, build: Build) -> None:
    root = five_sources(project)
    ai = build(root).ai("a")
    assert ai["prompt"]["text"] == ("project=project base=base include=include agent=agent "
                                    "varsfile=agent cli=agent")


def test_later_vars_files_and_vars_win(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: '{{ x }} {{ y }}'}\n",
                    "one.yaml": "x: one\ny: one\n", "two.yaml": "x: two\n"})
    ai = build(root, "--vars-file", "one.yaml", "--vars-file", "two.yaml",
               "--var", "y=first", "--var", "y=last").ai("a")
    assert ai["prompt"]["text"] == "two last"


@pytest.mark.parametrize(("raw", "value"), [
    ("17000", 17000), ("true", True), ("[a, b]", ["a", "b"]), ("{k: v}", {"k": "v"}),
    ("no", "no"),            # YAML 1.2: a string, not false
    ("0.5", 0.5), ("'17000'", "17000"),
    ("[1, 2", "[1, 2"),      # not YAML: kept as the text given
])
def test_var_values_are_read_as_yaml(project, build: Build, raw: str, value: object) -> None:
    root = project({"agents/a.yaml": "prompt: {text: hi}\nglobal_data: {v: '{{ v }}'}\n"})
    assert build(root, "--var", f"v={raw}").ai("a")["global_data"] == {"v": value}


@pytest.mark.parametrize(("arg", "words"), [
    ("novalue", "expected KEY=VALUE, got 'novalue'"),
    ("1x=3", "'1x' is not a valid variable name"),
])
def test_a_bad_var_is_a_usage_error(project, swmlc, arg: str, words: str) -> None:
    root = project({"agents/a.yaml": "prompt: {text: hi}\n"})
    result = swmlc("build", "--var", arg)
    assert result.exit_code == 2
    assert words in result.stderr
    assert not (root / "build").exists()


def test_a_variable_value_may_hold_templates(project, build: Build) -> None:
    root = project({
        "swmlc.yaml": "vars:\n  company: Acme\n  greeting: 'Hello from {{ company }}'\n",
        "agents/a.yaml": "vars:\n  welcome: '{{ greeting }}, this is {{ name }}.'\n  name: Riley\n"
                         "prompt: {text: '{{ welcome }}'}\n",
    })
    assert build(root).ai("a")["prompt"]["text"] == "Hello from Acme, this is Riley."


def test_a_template_in_a_variable_sees_the_winning_values(project, build: Build) -> None:
    """``greeting`` is defined in swmlc.yaml, but the ``company`` it names is the one that won,
    wherever that was set."""
    root = project({
        "swmlc.yaml": "vars:\n  company: Acme\n  greeting: 'Hello from {{ company }}'\n",
        "agents/_base.yaml": "vars: {company: Base Co}\n",
        "agents/a.yaml": "extends: _base.yaml\nprompt: {text: '{{ greeting }}'}\n",
    })
    assert build(root).ai("a")["prompt"]["text"] == "Hello from Base Co"
    assert build(root, "--var", "company=Zeta").ai("a")["prompt"]["text"] == "Hello from Zeta"


def test_a_whole_expression_variable_keeps_its_type(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars:\n  base: 12000\n  timeout: '{{ base + 3000 }}'\n"
                                     "prompt: {text: hi}\n"
                                     "params: {attention_timeout: '{{ timeout }}'}\n"})
    assert build(root).ai("a")["params"] == {"attention_timeout": 15000}


def test_an_overridden_value_is_never_rendered(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars: {x: '{{ undefined_name }}'}\n"
                                     "prompt: {text: '{{ x }}'}\n"})
    assert build(root, "--var", "x=fine").ai("a")["prompt"]["text"] == "fine"


def test_a_cycle_between_variables_is_an_error(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars:\n  a: '{{ b }}'\n  b: 'x {{ c }}'\n  c: '{{ a }}!'\n"
                                     "prompt: {text: '{{ a }}'}\n"})
    err = build(root, ok=False).error("SWC308")
    assert err["message"] == "variables refer to each other in a cycle: a -> b -> c -> a"
    assert where(err) == "agents/a.yaml:2:3"
    assert related(err) == [("agents/a.yaml:3:3", "'b' is defined here"),
                            ("agents/a.yaml:4:3", "'c' is defined here")]
    assert err["help"] == "give one of them a value that does not use the others"


def test_a_cycle_across_layers(project, build: Build) -> None:
    root = project({"swmlc.yaml": "vars: {greeting: 'Hello from {{ company }}'}\n",
                    "agents/a.yaml": "vars: {company: '{{ greeting }} Inc'}\n"
                                     "prompt: {text: '{{ company }}'}\n"})
    err = build(root, ok=False).error("SWC308")
    assert err["message"] == ("variables refer to each other in a cycle: "
                              "greeting -> company -> greeting")
    assert where(err) == "swmlc.yaml:1:8"
    assert related(err) == [("agents/a.yaml:1:8", "'company' is defined here")]


def test_a_variable_naming_itself_is_a_cycle(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars: {name: '{{ name }}'}\nprompt: {text: '{{ name }}'}\n"})
    err = build(root, ok=False).error("SWC308")
    assert err["message"] == "variables refer to each other in a cycle: name -> name"


def test_an_undefined_name_in_a_variable_points_at_the_variable(project, build: Build) -> None:
    root = project({"swmlc.yaml": "vars: {company: Acme}\n",
                    "agents/a.yaml": "vars:\n  greeting: 'Hi from {{ compnay }}'\n"
                                     "prompt: {text: '{{ greeting }}'}\n"})
    err = build(root, ok=False).error("SWC301")
    assert where(err) == "agents/a.yaml:2:25"
    assert err["message"] == "undefined variable 'compnay'"
    assert err["help"] == "did you mean 'company'?"


def test_vars_must_be_a_mapping(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars: [x]\nprompt: {text: hi}\n"})
    err = build(root, ok=False).error("SWC102")
    assert where(err) == "agents/a.yaml:1:7"
    assert err["message"] == "vars must be a mapping of names to values"


def test_a_vars_file_must_be_a_mapping(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: hi}\n", "vars.yaml": "- x\n"})
    err = build(root, "--vars-file", "vars.yaml", ok=False).error("SWC102")
    assert where(err) == "vars.yaml:1:1"
    assert err["message"] == "a vars file must be a mapping of names to values"


def test_a_missing_vars_file(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: hi}\n"})
    err = build(root, "--vars-file", "nope.yaml", ok=False).error("SWC007")
    assert err["message"] == "file not found: nope.yaml"


def test_a_vars_file_with_bad_yaml(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: hi}\n", "vars.yaml": "x: [1\n"})
    err = build(root, "--vars-file", "vars.yaml", ok=False).error("SWC001")
    assert err["file"] == "vars.yaml"


@pytest.mark.parametrize("name", ["env", "secret", "file"])
def test_the_template_functions_are_reserved_names(project, build: Build, name: str) -> None:
    root = project({"agents/a.yaml": f"vars:\n  {name}: x\nprompt: {{text: hi}}\n"})
    err = build(root, ok=False).error("SWC104")
    assert where(err) == "agents/a.yaml:2:3"
    assert err["message"] == f"'{name}' is reserved: templates call {name}(...)"
    assert err["help"] == "rename the variable; env, secret, file are template functions"


def test_a_reserved_name_from_the_command_line(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: hi}\n"})
    err = build(root, "--var", "secret=x", ok=False).error("SWC104")
    assert err["message"] == "'secret' is reserved: templates call secret(...)"
