"""A URL with a password written into it as a literal.

## What it does
Reports any URL in the definition whose user-info holds a password (``https://user:pass@host``)
that is not a secret (``{{ secret('NAME') }}``, which becomes a ``<<secret:NAME>>`` placeholder)
nor a runtime template.

## Why
A literal password ends up in git, in every build output, in CI logs and in the manifest. With
a secret, build/ holds only its name and the value is bound at deploy time.

## Example (fails)
```yaml
post_prompt_url: https://summary:hunter2@hooks.example.com/summary
```

## Use instead (passes)
```yaml
post_prompt_url: https://{{ secret('PP_USER') }}:{{ secret('PP_PASS') }}@hooks.example.com/summary
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import may_hold, texts
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.secrets import PLACEHOLDER
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC422", "literal-credentials", Severity.ERROR,
    "A URL carries a literal password (user:pass@host) instead of a secret.",
)

# scheme://userinfo@ — the user-info stops at the first '/', '?', '#' or space.
_USERINFO = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://([^/?#\s]*)@")
# What _USERINFO finds, as it appears in the JSON of the tree (see may_hold): wider, never
# narrower, so a tree where it finds nothing has no user-info to look at.
_MAYBE_USERINFO = re.compile(rb"://[^/?#\s]*@")
# Placeholders for a value bound later: a secret, Jinja, a runtime template.
_STAND_IN = re.compile(PLACEHOLDER.pattern + r"|\{\{.*?\}\}|\{%.*?%\}|[$%]\{[^}]*\}")


def literal_password(userinfo: str) -> bool:
    """Does ``user:password`` hold a password written out (not a placeholder)?

    Example:
        >>> literal_password("summary:hunter2"), literal_password("summary:<<secret:PP>>")
        (True, False)
        >>> literal_password("<<secret:U>>:<<secret:P>>"), literal_password("user")
        (False, False)
    """
    masked = _STAND_IN.sub("\0", userinfo)
    _, colon, password = masked.partition(":")
    return bool(colon) and bool(password.replace("\0", ""))


def _may_hold_userinfo(value: str) -> bool:
    return "@" in value and "://" in value


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    if not may_hold(tree, _MAYBE_USERINFO):
        return
    for text in texts(tree, skip=frozenset(), want=_may_hold_userinfo):
        for match in _USERINFO.finditer(text.value):
            if not literal_password(match.group(1)):
                continue
            yield CODE.at(
                model.sub_span(text, match.start(1), match.end(1)),
                "this URL holds a password written as a literal",
                help="use a secret: https://{{ secret('USER') }}:{{ secret('PASSWORD') }}@host/... "
                "(declared under secrets: in swmlc.yaml)",
            )
