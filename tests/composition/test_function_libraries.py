"""Issue 3, point 6: SWAIG function libraries (``use: file#name``) and the project's SWAIG base
URL (``swaig: {base_url, auth_user, auth_password}`` in swmlc.yaml)."""

from __future__ import annotations

from tests.composition.conftest import Build, related, where

PROMPT = "prompt: {text: You take orders.}\n"
LIBRARY = """# the team's toolbox
- function: lookup_order
  description: Look up an order
  parameters:
    type: object
    properties:
      order_id: {type: string, description: The order number}
    required: [order_id]
  web_hook_url: https://orders.example.com/lookup
  fillers:
    en-US: [One moment.]
- function: cancel_order
  description: Cancel an order
  web_hook_url: https://orders.example.com/cancel
- function: refund_order
  description: Refund an order
  web_hook_url: https://orders.example.com/refund
"""


def test_use_takes_the_function_and_only_the_used_ones(project, build: Build) -> None:
    root = project({"agents/_functions/orders.yaml": LIBRARY,
                    "agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: _functions/orders.yaml#cancel_order\n"})
    built = build(root)
    assert built.ai("a")["SWAIG"]["functions"] == [
        {"function": "cancel_order", "description": "Cancel an order",
         "web_hook_url": "https://orders.example.com/cancel"}]
    assert "lookup_order" not in built.text("a") and "refund_order" not in built.text("a")
    assert "agents/_functions/orders.yaml" in built.manifest()["agents"]["a"]["inputs"]


def test_overrides_merge_on_top_with_the_merge_rules(project, build: Build) -> None:
    root = project({"agents/_functions/orders.yaml": LIBRARY,
                    "agents/a.yaml": PROMPT + """functions:
  - use: _functions/orders.yaml#lookup_order
    description: Find the caller's order
    parameters:
      properties:
        email: {type: string, description: The buyer's email}
      required: [email]
    fillers:
      en-US: !append [Still looking.]
    meta_data: {store: north}
  - function: transfer
    description: Transfer the caller
    web_hook_url: https://orders.example.com/transfer
"""})
    fns = build(root).ai("a")["SWAIG"]["functions"]
    assert fns[0] == {
        "function": "lookup_order",
        "description": "Find the caller's order",
        "parameters": {"type": "object",
                       "properties": {
                           "order_id": {"type": "string", "description": "The order number"},
                           "email": {"type": "string", "description": "The buyer's email"}},
                       "required": ["email"]},           # a plain list: replaced
        "web_hook_url": "https://orders.example.com/lookup",
        "fillers": {"en-US": ["One moment.", "Still looking."]},
        "meta_data": {"store": "north"},
    }
    assert [f["function"] for f in fns] == ["lookup_order", "transfer"]


def test_use_paths_are_relative_to_the_file_naming_them(project, build: Build) -> None:
    root = project({
        "agents/_functions/orders.yaml": LIBRARY,
        "agents/_base/shop.yaml": "functions:\n  - use: ../_functions/orders.yaml#lookup_order\n",
        "agents/a.yaml": "extends: _base/shop.yaml\n" + PROMPT
                         + "functions:\n  - use: _functions/orders.yaml#refund_order\n",
    })
    names = [f["function"] for f in build(root).ai("a")["SWAIG"]["functions"]]
    assert names == ["lookup_order", "refund_order"]


def test_two_agents_share_a_library(project, build: Build) -> None:
    root = project({
        "agents/_functions/orders.yaml": LIBRARY,
        "agents/a.yaml": PROMPT + "functions: [{use: _functions/orders.yaml#lookup_order}]\n",
        "agents/b.yaml": PROMPT + "functions: [{use: _functions/orders.yaml#lookup_order, "
                                  "description: B's lookup}]\n",
    })
    built = build(root)
    assert built.ai("a")["SWAIG"]["functions"][0]["description"] == "Look up an order"
    assert built.ai("b")["SWAIG"]["functions"][0]["description"] == "B's lookup"


def test_library_strings_are_templated_with_the_agents_variables(project, build) -> None:
    root = project({
        "agents/_functions/lib.yaml": "- function: transfer\n"
                                      "  description: Transfer to the {{ city }} desk\n"
                                      "  web_hook_url: https://t.example.com/{{ city | lower }}\n",
        "agents/a.yaml": "vars: {city: Sellwood}\n" + PROMPT
                         + "functions: [{use: _functions/lib.yaml#transfer}]\n",
    })
    assert build(root).ai("a")["SWAIG"]["functions"] == [
        {"function": "transfer", "description": "Transfer to the Sellwood desk",
         "web_hook_url": "https://t.example.com/sellwood"}]


def test_a_name_missing_from_the_library_with_did_you_mean(project, build: Build) -> None:
    root = project({"agents/_functions/orders.yaml": LIBRARY,
                    "agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: _functions/orders.yaml#lookup_ordr\n"})
    err = build(root, ok=False).error("SWC205")
    assert where(err) == "agents/a.yaml:3:10"
    assert err["message"] == "agents/_functions/orders.yaml has no function 'lookup_ordr'"
    assert err["help"] == "did you mean 'lookup_order'?"


def test_a_name_missing_from_the_library_lists_what_it_has(project, build: Build) -> None:
    root = project({"agents/_functions/orders.yaml": LIBRARY,
                    "agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: _functions/orders.yaml#weather\n"})
    err = build(root, ok=False).error("SWC205")
    assert err["help"] == "it defines: lookup_order, cancel_order, refund_order"


def test_use_needs_a_function_name(project, build: Build) -> None:
    root = project({"agents/_functions/orders.yaml": LIBRARY,
                    "agents/a.yaml": PROMPT + "functions:\n  - use: _functions/orders.yaml\n"})
    err = build(root, ok=False).error("SWC102")
    assert where(err) == "agents/a.yaml:3:10"
    assert err["message"] == "use takes 'path#function'"
    assert err["help"] == "e.g. use: _functions/orders.yaml#lookup_order"


def test_a_library_must_be_a_list(project, build: Build) -> None:
    root = project({"agents/_functions/orders.yaml": "lookup_order: {description: x}\n",
                    "agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: _functions/orders.yaml#lookup_order\n"})
    err = build(root, ok=False).error("SWC206")
    assert where(err) == "agents/_functions/orders.yaml:1:1"
    assert err["message"] == "a function library must be a list of functions"
    assert ("agents/a.yaml:3:10", "used here") in related(err)


def test_each_library_entry_needs_a_name(project, build: Build) -> None:
    root = project({"agents/_functions/orders.yaml": "- description: nameless\n",
                    "agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: _functions/orders.yaml#x\n"})
    err = build(root, ok=False).error("SWC206")
    assert where(err) == "agents/_functions/orders.yaml:1:3"
    assert err["message"] == "each library entry needs a 'function' name"


def test_a_missing_library(project, build: Build) -> None:
    root = project({"agents/_functions/orders.yaml": LIBRARY,
                    "agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: _functions/order.yaml#lookup_order\n"})
    err = build(root, ok=False).error("SWC204")
    assert err["message"] == "file not found: agents/_functions/order.yaml"
    assert err["help"] == "did you mean 'orders.yaml'?"


def test_a_library_outside_the_root(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: ../../lib.yaml#lookup_order\n"})
    (root.parent / "lib.yaml").write_text(LIBRARY)
    err = build(root, ok=False).error("SWC202")
    assert where(err) == "agents/a.yaml:3:10"


# --- swaig: base_url and credentials ----------------------------------------------------------

SWAIG = """secrets: [SWAIG_USER, SWAIG_PASSWORD]
swaig:
  base_url: https://tools.example.com/swaig
  auth_user: "{{ secret('SWAIG_USER') }}"
  auth_password: "{{ secret('SWAIG_PASSWORD') }}"
"""
WEBHOOK_LIB = """- function: transfer
  description: Transfer the caller
  webhook: /transfer
- function: book
  description: Book a visit
  webhook: book/visit
"""


def test_webhook_paths_join_the_base_url_with_credentials(project, build: Build) -> None:
    root = project({"swmlc.yaml": SWAIG, "agents/_functions/lib.yaml": WEBHOOK_LIB,
                    "agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: _functions/lib.yaml#transfer\n"
                    "  - use: _functions/lib.yaml#book\n"})
    swaig = build(root).ai("a")["SWAIG"]
    auth = "https://<<secret:SWAIG_USER>>:<<secret:SWAIG_PASSWORD>>@tools.example.com/swaig"
    assert swaig["defaults"] == {"web_hook_url": auth}
    assert [f["web_hook_url"] for f in swaig["functions"]] == [f"{auth}/transfer",
                                                             f"{auth}/book/visit"]
    assert all("webhook" not in f for f in swaig["functions"])
    assert list(swaig) == ["defaults", "functions"]


def test_a_plain_base_url_without_credentials(project, build: Build) -> None:
    root = project({"swmlc.yaml": "swaig: {base_url: 'https://tools.example.com/swaig/'}\n",
                    "agents/a.yaml": PROMPT + "functions:\n  - function: f\n"
                                     "    description: d\n    webhook: /f\n"})
    swaig = build(root).ai("a")["SWAIG"]
    assert swaig["functions"][0]["web_hook_url"] == "https://tools.example.com/swaig/f"
    assert swaig["defaults"] == {"web_hook_url": "https://tools.example.com/swaig/"}


def test_an_agents_own_swaig_defaults_are_kept(project, build: Build) -> None:
    root = project({"swmlc.yaml": SWAIG, "agents/_functions/lib.yaml": WEBHOOK_LIB,
                    "agents/a.yaml": PROMPT + "swaig_defaults: "
                    "{web_hook_url: 'https://own.example.com/hook'}\n"
                    "functions: [{use: _functions/lib.yaml#transfer}]\n"})
    swaig = build(root).ai("a")["SWAIG"]
    assert swaig["defaults"] == {"web_hook_url": "https://own.example.com/hook"}
    assert swaig["functions"][0]["web_hook_url"].endswith("@tools.example.com/swaig/transfer")


def test_no_defaults_without_a_webhook(project, build: Build) -> None:
    root = project({"swmlc.yaml": SWAIG, "agents/_functions/orders.yaml": LIBRARY,
                    "agents/a.yaml": PROMPT + "functions:\n"
                    "  - use: _functions/orders.yaml#cancel_order\n"})
    assert "defaults" not in build(root).ai("a")["SWAIG"]


def test_a_webhook_without_a_base_url_is_an_error(project, build: Build) -> None:
    root = project({"agents/_functions/lib.yaml": WEBHOOK_LIB,
                    "agents/a.yaml": PROMPT + "functions: [{use: _functions/lib.yaml#transfer}]\n"})
    err = build(root, ok=False).error("SWC208")
    assert where(err) == "agents/_functions/lib.yaml:3:12"
    assert err["message"] == "webhook needs swaig.base_url in swmlc.yaml"
    assert ("agents/a.yaml:2:19", "included from here") in related(err)


def test_a_webhook_must_be_a_path(project, build: Build) -> None:
    root = project({"swmlc.yaml": SWAIG,
                    "agents/a.yaml": PROMPT + "functions:\n  - function: f\n    description: d\n"
                                     "    webhook: https://elsewhere.example.com/f\n"})
    err = build(root, ok=False).error("SWC102")
    assert where(err) == "agents/a.yaml:5:14"
    assert err["message"] == "webhook takes a path relative to swaig.base_url, e.g. /transfer"
    assert err["help"] == "for a full URL, use web_hook_url"
