"""Substitution-only templates are rendered without Jinja (compiler/source/templating/simple.py):
whatever the text and the values, the fast path gives Jinja's own result, or steps aside."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from compiler.core.limits import Limits
from compiler.core.tree import Span
from compiler.source.templating import simple
from compiler.source.templating.engine import Templates
from compiler.source.templating.scope import RenderScope

SPAN = Span("agents/a.yaml", 3, 7, 3, 30)
NAMES = ("name", "city", "n", "none", "True", "for", "env", "missing")
# Text around the variables, including what Jinja's lexer treats specially.
TEXT = st.lists(st.sampled_from([*"ab {}%#-\r\n\t'\"$", "{{", "}}", "${x}"]),
                max_size=8).map("".join)
PIECE = st.one_of(
    TEXT, st.builds(lambda sp, n, sp2: "{{" + sp + n + sp2 + "}}",
                    st.sampled_from(["", " ", "  ", "\n", "-", " -"]), st.sampled_from(NAMES),
                    st.sampled_from(["", " ", "\t", "-"])))
VALUES = st.fixed_dictionaries({
    "name": st.one_of(st.text(max_size=8), st.integers(-5, 5), st.none(), st.booleans()),
    "city": st.text(alphabet="xyz{}% ", max_size=6),
    "n": st.sampled_from(["", "7", "{{ city }}"]),
})


def _jinja(text: str, variables: dict[str, Any]) -> Any:
    """What Jinja makes of it (the slow path, called directly), or the error it reports."""
    from compiler.source.templating.scope import TemplateFailure

    templates = Templates()
    scope = RenderScope(SPAN.file, (), (), {}, lambda rel, site=None: "")
    try:
        return templates._render(text, SPAN, variables, scope)
    except TemplateFailure as fail:
        return ("failed", fail.diagnostic.code)


@given(st.lists(PIECE, max_size=6).map("".join), VALUES)
def test_the_fast_path_gives_jinjas_result_or_steps_aside(text: str, variables: dict[str, Any]
                                                          ) -> None:
    parts = simple.split(text)
    fast = None if parts is None else simple.render(parts, variables, Limits().template_value)
    if fast is not None:
        assert fast == _jinja(text, variables)
        assert simple.names(parts or ()) <= set(variables)


def test_substitution_renders_without_jinja() -> None:
    parts = simple.split("Hi {{ name }} in {{city}}, ${global_data.x} {}")
    assert parts == ("Hi ", ("name",), " in ", ("city",), ", ${global_data.x} {}")
    assert simple.render(parts, {"name": "Ann", "city": "Oslo"}, 100) == \
        "Hi Ann in Oslo, ${global_data.x} {}"


def test_jinja_decides_types_errors_and_the_size_limit() -> None:
    parts = simple.split("{{ t }}")
    assert parts is not None
    assert simple.render(parts, {"t": 700}, 100) is None  # a whole expression keeps its type
    assert simple.render(parts, {}, 100) is None  # undefined: Jinja names it, with did-you-mean
    assert simple.render(parts, {"t": "x" * 101}, 100) is None  # over the limit: Jinja refuses
    for text in ("{{ t|upper }}", "{{- t }}", "{% if t %}x{% endif %}", "{# c #}", "a\r{{ t }}",
                 "{{ true }}", "{{ secret }}", "{{{ t }}}"):
        assert simple.split(text) is None, text
