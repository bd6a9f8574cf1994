"""A small project for the `swmlc test` tests: an agent with a data_map function, a webhook
function, and contexts with steps; its fixtures; test files written per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

AGENT = """\
prompt:
  text: You are the desk of ${global_data.shop}.
  contexts:
    default:
      steps:
        - name: greet
          text: Greet the caller.
          functions: [lookup]
          valid_steps: [order]
        - name: order
          text: "Take the order for ${global_data.customer}."
          functions: [lookup, place]
          valid_contexts: [billing]
        - name: never
          text: Nobody comes here.
    billing:
      steps:
        - {name: pay, text: Take payment., functions: [place], end: true}
global_data: {shop: Corner Shop}
functions:
  - function: lookup
    description: Look a customer up.
    parameters: {type: object, properties: {name: {type: string}}}
    data_map:
      expressions:
        - string: ${args.name}
          pattern: ^vip
          output:
            response: Welcome back, VIP.
            action: [{set_global_data: {customer: VIP}}, {change_step: order}]
      webhooks:
        - url: https://crm.test/customers?name=${enc:args.name}
          error_keys: [error]
          output:
            response: Found ${name}.
            action: [{set_global_data: {customer: "${name}"}}]
      output: {response: Unknown customer.}
  - function: place
    description: Place the order.
    parameters: {type: object, properties: {item: {type: string}}}
    webhook: /place
"""

PROJECT = {
    "swmlc.yaml": "swaig: {base_url: https://shop.test/swaig}\n",
    "agents/shop.yaml": AGENT,
    "tests/agents/fixtures/crm.yaml": """\
fixtures:
  - request: {method: GET, url: "https://crm.test/customers?name=Ann"}
    response: {json: {name: Ann Lee}}
  - request: {url: "https://crm.test/customers?name=Bob"}
    response: {status: 404, json: {error: not found}}
  - request: {method: POST, url: https://shop.test/swaig/place, json: {function: place}}
    response: {json: {response: Placed., action: [{hangup: true}]}}
""",
}


@pytest.fixture
def shop(project) -> Callable[[str], Path]:
    """The shop project with ``text`` as tests/agents/shop.test.yaml."""

    def make(text: str) -> Path:
        return project({**PROJECT, "tests/agents/shop.test.yaml": text})

    return make
