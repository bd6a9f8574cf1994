"""A key or a token written into the definition: in a header, a URL's query or meta_data.

## What it does
Reports a credential written out where a secret belongs: an ``Authorization`` header's token
(after ``Bearer``/``Basic``...) or an API-key header (``X-Api-Key``...), a URL query parameter
that carries a key (``?apikey=``, ``key=``, ``token=``, ``access_token=``, ``__token=``...), a
``meta_data`` key named for a secret (``api_key``, ``token``, ``password``...). Only values
shaped like a real key are reported (``sk_live_...``, a JWT, a long random string): a word or
a placeholder a document was published with (``YOUR_API_KEY``, ``<token>``) is not. A secret
(``{{ secret('NAME') }}``) or a runtime template (``${global_data.token}``) is not a literal.
The same recogniser decides what ``swmlc import`` turns into secrets
(``compiler/core/credentials.py``). A password inside a URL (``user:pass@``) is SWC422.

## Why
A literal key ends up in git, in every build output, in CI logs and in the manifest. With a
secret, build/ holds only its name and the value is bound where the agent is deployed.

## Example (fails)
```yaml
functions:
  - function: weather
    description: The weather in a city
    data_map:
      webhooks:
        - url: https://api.example.com/weather?apikey=a8f5f167f44f4964e6c998dee827110c
          headers: {Authorization: Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc}
          output: {response: "${summary}"}
```

## Use instead (passes)
```yaml
# swmlc.yaml: secrets: [WEATHER_APIKEY, WEATHER_TOKEN]
functions:
  - function: weather
    description: The weather in a city
    data_map:
      webhooks:
        - url: "https://api.example.com/weather?apikey={{ secret('WEATHER_APIKEY') }}"
          headers: {Authorization: "Bearer {{ secret('WEATHER_TOKEN') }}"}
          output: {response: "${summary}"}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import Text
from compiler.core.credentials import Credential, find
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import span_at, value_at
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC424", "literal-token", Severity.WARNING,
    "A key or a token written out in a header, a URL's query or meta_data, where a secret "
    "belongs.",
)

_WHAT = {"query": "this URL's '{name}' parameter", "header": "the '{name}' header",
         "field": "meta_data '{name}'"}


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    for path, cred in find(tree):
        if cred.kind in ("user", "password") or not cred.literal or not cred.looks_secret:
            continue  # a password in a URL's user-info is SWC422's
        _, value = value_at(tree, path)
        span = span_at(tree, path)
        if not isinstance(value, str) or span is None:
            continue
        located = model.source_of(span)
        templated = located is not None and "{{" in located[0][located[1]:located[2]]
        what = _WHAT[cred.kind].format(name=cred.name)
        name = secret_name(_function_of(tree, path), cred)
        yield CODE.at(
            model.sub_span(Text(path, value, span), cred.start, cred.end),
            f"{what} holds a key a template wrote into it" if templated else
            f"{what} holds a key written as a literal",
            help=f"declare {name} under secrets: in swmlc.yaml and write "
                 f"{_written(value, cred, name)} (its value is bound where you deploy)")


def secret_name(function: str | None, cred: Credential) -> str:
    """A name for the secret: the function it is in (when it is in one) and what it is.

    Example:
        >>> from compiler.core.credentials import in_header
        >>> secret_name("weather", in_header("Authorization", "Bearer x")), secret_name(
        ...     None, in_header("X-Api-Key", "k"))
        ('WEATHER_TOKEN', 'X_API_KEY')
    """
    word = "TOKEN" if cred.kind == "header" and cred.scheme else cred.name
    parts = [function, word] if function else [word]
    return re.sub(r"[^A-Z0-9]+", "_", "_".join(parts).upper()).strip("_") or "API_KEY"


def _function_of(tree: Any, path: tuple[str | int, ...]) -> str | None:
    if len(path) >= 2 and path[0] == "functions":
        _, name = value_at(tree, (*path[:2], "function"))
        return name if isinstance(name, str) else None
    return None


def _written(value: str, cred: Credential, name: str) -> str:
    """How to write it instead: the key, header or parameter with the secret in place of the
    credential's characters."""
    secret = "{{ secret('" + name + "') }}"
    if cred.kind == "query":
        return f"{cred.name}={secret} in the URL"
    return f'{cred.name}: "{value[:cred.start]}{secret}{value[cred.end:]}"'
