"""Generate a synthetic repo of mid-size agents for the swmlc benchmark (issue 7).

Why synthetic: the targets are stated per 1,000 and 10,000 agents, and no real repo that size
exists to measure. The agents are shaped like the ones teams write (a POM prompt, hints, SWAIG
functions, some run by SignalWire as ``data_map``), sized like the agents behind the "Measured
facts" in DESIGN.md (about 8 KB of YAML each once composed), and they use every composition
feature, so the benchmark times the compiler's real work rather than a best case.

Each agent ("mid-size"): 10 POM sections, 20 hints, 8 SWAIG functions of which 4 are
``data_map`` (two with ``foreach``), two languages, params, global_data, pronunciations,
post_prompt, native functions and internal fillers, and the verbs around ``ai``.

Two layouts of the same agents:

- composed (the default), shaped like a real composed repo: ``agents/team-NNN/agent-NNNNN.yaml``
  extends ``_base/team-NNN.yaml``, which extends ``_base/line-K.yaml``, which extends
  ``_base/region-R.yaml``, which extends ``_base/voice.yaml`` (a chain of four); it includes
  ``_shared/hints-K.yaml`` and ``_shared/desk-DDDD.yaml`` (one desk per 10 agents, which sets a
  variable and renders a loop); it sets ``vars`` used as ``{{ company }}`` etc., in Jinja
  conditionals (``{% if dept in [...] %}``), loops (``{% for day in open_days %}``, a list
  variable of the root base) and filters. Plus two fleets: ``agents/clinics.yaml`` with
  ``instances: _fleet/clinics.csv`` and ``agents/stores.yaml`` with ``instances:
  _fleet/stores.yaml`` (a YAML list), N/10 rows in all.
- plain (``--plain``): every agent with everything inlined and rendered (no
  extends/include/vars/fleet, no Jinja), the fleets as one file per row under
  ``agents/clinics/`` and ``agents/stores/``. It is what composition should resolve to.

Both layouts are made from the same parts: plain is ``merge(voice, region, line, team, hints,
desk, agent)`` with the templates rendered, where mappings merge key by key (base keys first) and
each list lives in exactly one part, so the shape never depends on how lists merge.

Speed: generating 10,000 agents must take seconds, not minutes. Each layout's text is dumped by
PyYAML once, with ``@@NAME@@`` markers where agents differ, and filled in per agent by one regex
substitution (in the plain layout, a string holding Jinja is a marker filled with that string
rendered by jinja2 for the agent). Per-agent values come from ``random.Random(f"{seed}:{index}")``,
so the same N and seed give the same repo byte for byte.

Usage::

    python benchmarks/generate.py OUT_DIR --agents 1000 [--seed 0] [--plain]
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import random
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Tree = dict[str, Any]

AGENTS_DIR = "agents"
TEAM_SIZE = 100  # leaf agents per folder, like teams in a real repo
LINES = 10  # distinct line bases (and hint fragments) shared by the agents
REGIONS = 3  # region bases: the line bases extend them, they extend voice.yaml
DESK_SIZE = 10  # agents per desk: each desk is an include these 10 agents share
FLEET_FILE = "clinics.yaml"
FLEET_CSV = "_fleet/clinics.csv"
FLEET_PLAIN_DIR = "clinics"
STORES_FILE = "stores.yaml"
STORES_ROWS = "_fleet/stores.yaml"
STORES_PLAIN_DIR = "stores"
# The phrase the runner edits for its one-file-change measurement; in every agent's text.
EDIT_ANCHOR = "Close every call"

# What differs between agents. Values are plain words, safe inside any YAML scalar style.
_COMPANY_A = ("Acme", "Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay",
              "Wonka", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Aperture")
_COMPANY_B = ("Dental", "Insurance", "Logistics", "Bank", "Clinic", "Realty", "Telecom",
              "Motors", "Energy", "Travel", "Pharmacy", "Fitness")
_DEPTS = ("Billing", "Support", "Sales", "Claims", "Scheduling", "Returns", "Onboarding",
          "Collections", "Renewals", "Dispatch")
_CITIES = ("Austin", "Denver", "Portland", "Chicago", "Boston", "Atlanta", "Phoenix",
           "Seattle", "Miami", "Detroit", "Omaha", "Tucson")
_TOPICS = ("warranty", "refund", "delivery", "upgrade", "invoice", "password", "appointment",
           "coverage", "installation", "membership", "roaming", "deductible", "pickup", "trial",
           "outage", "transfer")
_FLEET_DEPT = "Front Desk"
_STORES_DEPT = "Store Desk"
_LEADS = ("Morgan", "Riley", "Jordan", "Avery", "Quinn", "Casey", "Harper", "Rowan", "Emerson",
          "Sawyer", "Finley", "Reese")
_REGIONS = (("Central", "America/Chicago"), ("Mountain", "America/Denver"),
            ("Pacific", "America/Los_Angeles"))
_OPEN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
# Departments whose agents get the payment-escalation wording (a Jinja conditional).
_PAYMENT_DEPTS = "['Billing', 'Collections', 'Renewals', 'Claims']"

_MARKER = re.compile(r"@@([A-Z0-9_]+)@@")
_JINJA_VAR = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_SAFE_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .-]*")
_JINJA = ("{{", "{%")


# --------------------------------------------------------------------------------------------
# The parts of an agent


def voice_base() -> Tree:
    """``_base/voice.yaml``: the root of the extends chain, shared by every agent."""
    return {
        "vars": {"open_days": list(_OPEN_DAYS)},
        "languages": [
            {"name": "English", "code": "en-US", "voice": "rime.spore",
             "speech_fillers": ["Let me see.", "Good question.", "Okay."],
             "function_fillers": ["One moment, please.", "Let me check that for you.",
                                  "Just a second while I look that up."]},
            {"name": "Spanish", "code": "es-US", "voice": "gcloud.es-US-Neural2-A",
             "speech_fillers": ["A ver.", "Buena pregunta.", "Bueno."],
             "function_fillers": ["Un momento, por favor.", "Déjeme comprobarlo."]},
        ],
        "params": {
            "end_of_speech_timeout": 700,
            "attention_timeout": 20000,
            "inactivity_timeout": 300000,
            "barge_min_words": 2,
            "local_tz": "America/Chicago",
            "pom_format": "markdown",
            "save_conversation": True,
            "hold_music": "https://cdn.signalwire.com/default-music/welcome.mp3",
        },
        "post_prompt": {
            "text": "Summarize the call with {{ company }} as a JSON object with the keys "
                    "caller_name, reason, resolved (true or false), ticket_id (or null) and "
                    "follow_up_needed (true or false). Use null for anything the caller did "
                    "not say.",
            "temperature": 0.2,
        },
        "native_functions": ["check_time", "wait_for_user"],
        "internal_fillers": {
            "check_time": {"en-US": ["Let me check the clock."]},
            "wait_for_user": {"en-US": ["Take your time, I'm here."]},
        },
        "swml": {
            "before": [{"answer": {}}, {"record_call": {"format": "wav", "stereo": True}}],
            "after": [{"hangup": {}}],
        },
    }


def region_base(r: int) -> Tree:
    """``_base/region-R.yaml``: a time zone and a regional office; extends voice.yaml."""
    name, tz = _REGIONS[r]
    return {
        "extends": "voice.yaml",
        "params": {"local_tz": tz},
        "global_data": {"region": name, "region_office": f"{name} Operations"},
    }


def line_base(k: int) -> Tree:
    """``_base/line-K.yaml``: a business line; extends region-(K mod 3).yaml."""
    return {
        "extends": f"region-{k % REGIONS}.yaml",
        "params": {
            "static_greeting": "Thanks for calling {{ company }}. How can I help you today?",
            "digit_timeout": 3000,
            "speech_timeout": 60000,
        },
        "global_data": {
            "company": "{{ company }}",
            "line": f"line-{k}",
            "hours": "Monday to Friday 8 AM to 6 PM, Saturday 9 AM to 1 PM",
            "support_email": f"line{k}@support.example.com",
            "escalation_number": f"+1512555{k:04d}",
        },
        "pronounce": [
            {"replace": "SWAIG", "with": "swaig", "ignore_case": True},
            {"replace": "FAQ", "with": "F A Q", "ignore_case": False},
            {"replace": "ETA", "with": "E T A", "ignore_case": False},
        ],
        "post_prompt_url": f"https://hooks.example.com/line-{k}/summary",
    }


def team_base(team: str, k: int) -> Tree:
    """``_base/team-TTT.yaml``: a team of 100 agents; extends line-K.yaml (the chain is four
    files deep: team, line, region, voice). ``team`` is the team's number as text (a marker in
    the plain layout's template)."""
    return {
        "extends": f"line-{k}.yaml",
        "vars": {"team_name": f"Team {team}"},
        "global_data": {"team": f"team-{team}", "team_queue": f"queue-{team}"},
    }


def desk_fragment(desk: str, lead: str) -> Tree:
    """``_shared/desk-DDDD.yaml``: what the 10 agents of one desk share; included by them.

    It sets a variable and renders a loop in the including agent's scope."""
    return {
        "vars": {"desk_lead": lead},
        "global_data": {
            "desk": f"desk-{desk}",
            "desk_extension": f"ext-{desk}",
            "desk_days": "{% for day in open_days %}{{ day[:3] }}"
                         "{% if not loop.last %} {% endif %}{% endfor %}",
        },
    }


def hints_fragment(k: int) -> Tree:
    """``_shared/hints-K.yaml``: 14 word hints and 6 pattern hints, included by the agents."""
    words: list[Any] = [f"{word}" for word in (
        "account", "balance", "invoice", "refund", "warranty", "technician", "voicemail",
        "callback", "escalate", "supervisor", "deductible", "premium", "itinerary", "tracking")]
    patterns = [
        {"hint": "SignalWire", "pattern": "signal ?wire", "replace": "SignalWire",
         "ignore_case": True},
        {"hint": "swimmel", "pattern": "swimmel", "replace": "SWML"},
        {"hint": "ticket", "pattern": "tick(et|it) number", "replace": "ticket number",
         "ignore_case": True},
        {"hint": "order", "pattern": "order ?(num|number|no)", "replace": "order number",
         "ignore_case": True},
        {"hint": "e-mail", "pattern": "e ?mail", "replace": "email", "ignore_case": True},
        {"hint": f"line {k}", "pattern": f"line ?{k}", "replace": f"line {k}"},
    ]
    return {"hints": words + patterns}


def _param(kind: str, description: str, **extra: Any) -> Tree:
    return {"type": kind, "description": description, **extra}


def _webhook_function(name: str, description: str, props: Tree, required: list[str],
                      fillers: list[str], meta: Tree | None = None) -> Tree:
    fn: Tree = {
        "function": name,
        "description": description,
        "parameters": {"type": "object", "properties": props, "required": required},
        "web_hook_url": f"https://hooks.example.com/agents/{{{{ agent_no }}}}/{name}",
        "fillers": {"en-US": fillers},
    }
    if meta is not None:
        fn["meta_data"] = meta
    return fn


def agent_body() -> Tree:
    """The part each agent file writes itself: prompt, global_data and functions.

    ``{{ var }}`` are compile-time variables (the agent's ``vars``, or a fleet row's columns);
    ``@@T0@@``..``@@T4@@`` mark topic words that the generator varies per agent.
    """
    sections: list[Tree] = [
        {"title": "Role",
         "body": "You are the {{ dept }} assistant for {{ company }} in {{ city }}. You answer "
                 "the phone, solve what you can on the first call, and hand over cleanly when "
                 "you cannot. The caller reached ${global_data.line}."},
        {"title": "Voice and tone",
         "body": "Sound warm, calm and efficient. Callers are often in a hurry.",
         "bullets": ["Keep each answer to two short sentences unless asked for more.",
                     "Use the caller's name once you know it.",
                     "Never read out URLs; offer to send them by email instead.",
                     "Spell back names, numbers and email addresses to confirm them."]},
        {"title": "Opening hours",
         "body": "The {{ dept }} team works ${global_data.hours}, {{ city }} time: "
                 "{% for day in open_days %}{{ day }}{% if not loop.last %}, {% endif %}"
                 "{% endfor %}. Outside those hours, offer a callback with schedule_callback."},
        {"title": "What {{ company }} offers",
         "body": "Only describe what is listed here. If you are unsure, offer a transfer.",
         "bullets": ["@@T0@@ questions and changes", "@@T1@@ requests and status checks",
                     "@@T2@@ help for existing customers", "Order status and delivery dates",
                     "Store and branch opening hours", "Answers from the FAQ"]},
        {"title": "@@T3@@ questions",
         "body": "Callers ask about @@T3@@ more than anything else. Work through it in order.",
         "subsections": [
             {"title": "Identify the caller",
              "body": "Ask for the account number and the ZIP code, then call lookup_account."},
             {"title": "Solve or ticket",
              "body": "If the answer is in the account, give it. Otherwise open a ticket with "
                      "create_ticket and read the ticket number back."}]},
        {"title": "Policies",
         "numberedBullets": True,
         "bullets": ["Refunds go back to the original payment method within 10 days.",
                     "@@T4@@ changes need the account holder on the line.",
                     "Never promise a date the system did not give you.",
                     "Do not discuss other customers' accounts.",
                     "Quote prices only from the tools, never from memory."]},
        {"title": "Escalation",
         "body": "{% if dept in " + _PAYMENT_DEPTS + " %}Payments over 500 dollars go to "
                 "{{ desk_lead }} first; then escalate in this order.{% else %}Escalate in "
                 "this order; {{ desk_lead }} leads the desk.{% endif %}",
         "numbered": True,
         "subsections": [
             {"title": "Offer a ticket", "body": "Most problems are solved by a ticket."},
             {"title": "Offer a callback",
              "body": "If the caller wants a person, book a callback with schedule_callback."},
             {"title": "Transfer",
              "body": "If the caller insists, or it is urgent, use transfer_call. The "
                      "escalation number is ${global_data.escalation_number}."}]},
        {"title": "Privacy",
         "body": "Do not read out full account numbers, card numbers or dates of birth. Confirm "
                 "only the last four digits. Agent {{ agent_no }} of {{ team_name }} follows "
                 "the {{ company | upper }} privacy policy{% if city in ['Boston', 'Seattle'] "
                 "%}, and the state rules too{% endif %}."},
        {"title": "Tools",
         "body": "Use the tools instead of guessing.",
         "bullets": ["lookup_account: find the caller's account.",
                     "create_ticket: open a ticket for anything not solved now.",
                     "schedule_callback: book a call back from a person.",
                     "transfer_call: connect the caller with a team.",
                     "order_status: the status of an order.",
                     "store_hours: when a store is open.",
                     "product_search: find products by keyword.",
                     "faq_answer: answers to common questions."]},
        {"title": "Closing",
         "body": f"{EDIT_ANCHOR} by asking whether there is anything else, then thank the "
                 "caller for choosing {{ company }} and say goodbye."},
    ]
    functions: list[Tree] = [
        _webhook_function(
            "lookup_account", "Find the caller's account by number and ZIP code.",
            {"account_number": _param("string", "The account number, digits only."),
             "zip_code": _param("string", "The ZIP code on the account.")},
            ["account_number"], ["Let me pull up your account."]),
        _webhook_function(
            "create_ticket", "Open a ticket for a problem not solved now.",
            {"summary": _param("string", "One sentence describing the problem."),
             "priority": _param("string", "How urgent it is.", enum=["low", "normal", "urgent"]),
             "category": _param("string", "The topic, for routing.")},
            ["summary", "priority"], ["I'm opening a ticket for you."]),
        _webhook_function(
            "schedule_callback", "Book a callback from a person.",
            {"phone": _param("string", "The number to call back, in E.164."),
             "preferred_time": _param("string", "When to call, in the caller's words."),
             "reason": _param("string", "Why the caller wants a callback.")},
            ["phone", "preferred_time"], ["Let me book that callback."]),
        _webhook_function(
            "transfer_call", "Connect the caller with a team.",
            {"department": _param("string", "The team.",
                                  enum=["billing", "support", "sales", "emergency"]),
             "reason": _param("string", "One sentence for the person taking the call.")},
            ["department"], ["Connecting you now."],
            meta={"extensions": {"billing": "+15125550101", "support": "+15125550102",
                                 "sales": "+15125550103", "emergency": "+15125550109"}}),
        {"function": "order_status",
         "description": "Get the status of an order.",
         "parameters": {"type": "object",
                        "properties": {"order_id": _param("string", "The order number.")},
                        "required": ["order_id"]},
         "data_map": {
             "webhooks": [{
                 "url": "https://api.example.com/{{ agent_no }}/orders/${enc:args.order_id}",
                 "method": "GET",
                 "headers": {"Accept": "application/json"},
                 "require_args": ["order_id"],
                 "error_keys": ["error"],
                 "foreach": {"input_key": "items", "output_key": "item_list", "max": 5,
                             "append": "${this.quantity} x ${this.name}. "},
                 "output": {"response": "Order ${input.args.order_id} is ${status}; expected "
                                        "delivery ${eta}. Carrier: ${carrier}. Items: "
                                        "${item_list}"}}],
             "output": {"response": "The order lookup failed. Offer to open a ticket."}}},
        {"function": "store_hours",
         "description": "When a store is open on a given day{% if city in ['Miami', 'Phoenix'] "
                        "%} (summer hours from June){% endif %}.",
         "parameters": {"type": "object",
                        "properties": {"day": _param("string", "The day of the week.")},
                        "required": ["day"]},
         "data_map": {
             "expressions": [
                 {"string": "${args.day}", "pattern": "sat",
                  "output": {"response": "On Saturday stores open 9 AM to 1 PM."}},
                 {"string": "${args.day}", "pattern": "sun",
                  "output": {"response": "Stores are closed on Sunday."}},
                 {"string": "${args.day}", "pattern": "mon|tue|wed|thu|fri",
                  "output": {"response": "On weekdays stores open 8 AM to 6 PM."}}],
             "output": {"response": "Ask which day of the week the caller means."}}},
        {"function": "product_search",
         "description": "Search the catalogue by keyword.",
         "parameters": {"type": "object",
                        "properties": {"query": _param("string", "What the caller wants."),
                                       "limit": _param("integer", "How many results.")},
                        "required": ["query"]},
         "data_map": {
             "webhooks": [{
                 "url": "https://api.example.com/{{ agent_no }}/search",
                 "method": "POST",
                 "params": {"q": "${args.query}", "limit": "${args.limit}"},
                 "foreach": {"input_key": "results", "output_key": "found", "max": 3,
                             "append": "${this.name} at ${this.price} dollars. "},
                 "output": {"response": "Found for ${input.args.query}: ${found}"}}],
             "output": {"response": "The catalogue is unavailable. Apologise."}}},
        {"function": "faq_answer",
         "description": "Answer a frequent question about @@T0@@, @@T1@@ or @@T2@@.",
         "parameters": {"type": "object",
                        "properties": {"topic": _param("string", "The question's topic.")},
                        "required": ["topic"]},
         "data_map": {
             "expressions": [
                 {"string": "${args.topic}", "pattern": "@@T0@@",
                  "output": {"response": "For @@T0@@, see the account page or open a ticket."}},
                 {"string": "${args.topic}", "pattern": "@@T1@@",
                  "output": {"response": "@@T1@@ requests take two business days."}},
                 {"string": "${args.topic}", "pattern": "@@T2@@",
                  "output": {"response": "@@T2@@ help is free for existing customers."}}],
             "output": {"response": "There is no FAQ entry for ${args.topic}."}}},
    ]
    return {
        "global_data": {"agent_id": "{{ agent_no }}", "department": "{{ dept }}",
                        "city": "{{ city }}"},
        "prompt": {"temperature": 0.4, "sections": sections},
        "functions": functions,
    }


# --------------------------------------------------------------------------------------------
# Composition, done by the generator for the plain layout


_SOURCE_ONLY = ("agent", "extends", "include", "vars", "instances")


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> Tree:
    """Deep-merge ``over`` onto ``base``: mappings key by key (base order first), else replace."""
    out: Tree = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def line_of_team(team: int, lines: int) -> int:
    return team % lines


def desk_lead(seed: int, desk: int) -> str:
    return random.Random(f"{seed}:desk:{desk}").choice(_LEADS)


def agent_parts(k: int, team: str, desk: str, lead: str, body: Tree) -> list[Tree]:
    """The layers of a leaf agent, lowest first, as composition applies them: the extends chain
    (voice, region, line, team), the includes (hints, desk), the agent's own file."""
    return [voice_base(), region_base(k % REGIONS), line_base(k), team_base(team, k),
            hints_fragment(k), desk_fragment(desk, lead), body]


def fleet_parts(kind: str, body: Tree) -> list[Tree]:
    """The layers of a fleet: clinics extend line-0 and include hints-0; stores extend
    team-000 and include hints-0."""
    chain = [voice_base(), region_base(0), line_base(0)]
    if kind == "stores":
        chain.append(team_base("000", 0))
    return [*chain, hints_fragment(0), body]


def resolve(parts: list[Tree]) -> tuple[Tree, Tree]:
    """(the tree composition resolves to, without source-only keys; the merged vars)."""
    tree: Tree = {}
    for part in parts:
        tree = merge(tree, part)
    variables = tree.get("vars", {})
    for key in _SOURCE_ONLY:
        tree.pop(key, None)
    return tree, variables


def map_strings(tree: Any, fn: Callable[[str], str]) -> Any:
    """Apply ``fn`` to every string (keys too) in a YAML tree."""
    if isinstance(tree, str):
        return fn(tree)
    if isinstance(tree, Mapping):
        return {map_strings(k, fn): map_strings(v, fn) for k, v in tree.items()}
    if isinstance(tree, list):
        return [map_strings(v, fn) for v in tree]
    return tree


class PlainTemplate:
    """A resolved agent as text with ``@@MARKERS@@``: every string holding Jinja becomes a
    marker ``@@Jn@@``, filled per agent by rendering that string with the agent's variables
    (jinja2, compiled once), so that a plain repo of 10,000 agents takes seconds."""

    def __init__(self, tree: Tree, header: str) -> None:
        import jinja2

        self.sources: list[str] = []

        def mark(s: str) -> str:
            if not any(t in s for t in _JINJA):
                return s
            if s not in self.sources:
                self.sources.append(s)
            return f"@@J{self.sources.index(s)}@@"

        env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        self.text = dump(map_strings(tree, mark), header)
        self.templates = [env.from_string(s) for s in self.sources]

    def fill(self, values: Mapping[str, str], variables: Mapping[str, Any]) -> str:
        rendered = {}
        for i, template in enumerate(self.templates):
            out = template.render(**variables)
            assert "'" not in out and "\n" not in out and "@@" not in out, out
            rendered[f"J{i}"] = out
        return fill(self.text, {**values, **rendered})


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace every ``@@NAME@@`` marker; a marker without a value is a generator bug."""
    return _MARKER.sub(lambda m: values[m[1]], text)


def dump(tree: Tree, header: str = "") -> str:
    """Block-style YAML, source key order, deterministic (PyYAML's emitter has no randomness)."""
    text = yaml.dump(tree, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=100)
    return header + text


class _Dumper(yaml.SafeDumper):
    """SafeDumper whose lists are indented under their key, as people write YAML."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# --------------------------------------------------------------------------------------------
# Per-agent values and the repo


def agent_values(seed: int, index: int) -> dict[str, str]:
    """The words that differ between agents, drawn from a per-agent RNG (independent of N)."""
    rng = random.Random(f"{seed}:{index}")
    topics = rng.sample(_TOPICS, 5)
    values = {
        "COMPANY": f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)}",
        "DEPT": rng.choice(_DEPTS),
        "CITY": rng.choice(_CITIES),
        "AGENT_NO": f"A{index:05d}",
        **{f"T{j}": topic for j, topic in enumerate(topics)},
    }
    for value in values.values():
        assert _SAFE_VALUE.fullmatch(value), value
    return values


def _variables(values: Mapping[str, str], base_vars: Mapping[str, Any]) -> dict[str, Any]:
    """The template variables of an agent (what ``vars`` and a fleet row give it)."""
    return {**base_vars, "company": values["COMPANY"], "dept": values["DEPT"],
            "city": values["CITY"], "agent_no": values["AGENT_NO"]}


def agent_name(index: int) -> str:
    return f"agent-{index:05d}"


def agent_path(index: int) -> str:
    """Relative to the repo root: agents/team-NNN/agent-NNNNN.yaml."""
    return f"{AGENTS_DIR}/team-{index // TEAM_SIZE:03d}/{agent_name(index)}.yaml"


def fleet_rows(seed: int, rows: int, kind: str = "clinics") -> list[dict[str, str]]:
    """A fleet's rows: one clinic (or store) per row, its columns the template's variables."""
    out = []
    for j in range(rows):
        rng = random.Random(f"{seed}:{'fleet' if kind == 'clinics' else kind}:{j}")
        city = rng.choice(_CITIES)
        if kind == "clinics":
            out.append({"slug": f"{city.lower()}-{j:04d}", "company": f"{city} Family Clinic",
                        "city": city, "agent_no": f"C{j:05d}"})
        else:
            out.append({"slug": f"{city.lower()}-{j:04d}", "company": f"{city} Outlet Store",
                        "city": city, "agent_no": f"S{j:05d}"})
    return out


@dataclass(frozen=True)
class Repo:
    """What was generated, for the runner: where, how many, and the files it may edit."""

    root: Path
    agents: int
    fleet_rows: int
    plain: bool
    leaf_files: tuple[str, ...]
    #: Files each shared by exactly DESK_SIZE agents (composed layout): the desk includes.
    desk_files: tuple[str, ...] = ()

    @property
    def outputs(self) -> int:
        """How many SWML documents a build writes (agents plus fleet instances)."""
        return self.agents + self.fleet_rows


def _header(agents: int, seed: int) -> str:
    return (f"# Generated by benchmarks/generate.py (agents={agents}, seed={seed}); "
            "do not edit.\n")


def _lines_for(agents: int) -> int:
    return max(1, min(LINES, agents))


def _fleet_sizes(agents: int, fleet: bool) -> tuple[int, int]:
    """Rows of the clinics and the stores fleets: N/10 in all."""
    if not fleet:
        return 0, 0
    total = max(2, agents // 10)
    return total - total // 2, total // 2


def generate_repo(root: Path, agents: int, *, seed: int = 0, plain: bool = False,
                  fleet: bool = True) -> Repo:
    """Write the repo under ``root`` (created; must not hold an ``agents/`` folder already)."""
    if agents < 1:
        raise ValueError("agents must be at least 1")
    base = root / AGENTS_DIR
    base.mkdir(parents=True, exist_ok=False)
    header = _header(agents, seed)
    lines = _lines_for(agents)
    n_clinics, n_stores = _fleet_sizes(agents, fleet)
    clinics, stores = fleet_rows(seed, n_clinics), fleet_rows(seed, n_stores, "stores")
    body = agent_body()
    files = (_plain_files if plain else _composed_files)(agents, seed, header, lines, body,
                                                          clinics, stores)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    desks = () if plain else tuple(sorted({_desk_path(i // DESK_SIZE) for i in range(agents)}))
    return Repo(root=root, agents=agents, fleet_rows=len(clinics) + len(stores), plain=plain,
                leaf_files=tuple(agent_path(i) for i in range(agents)), desk_files=desks)


def _desk_path(desk: int) -> str:
    return f"{AGENTS_DIR}/_shared/desk-{desk:04d}.yaml"


def _composed_files(agents: int, seed: int, header: str, lines: int, body: Tree,
                    clinics: list[dict[str, str]], stores: list[dict[str, str]]
                    ) -> dict[str, str]:
    files: dict[str, str] = {f"{AGENTS_DIR}/_base/voice.yaml": dump(voice_base(), header)}
    for r in range(min(REGIONS, lines)):
        files[f"{AGENTS_DIR}/_base/region-{r}.yaml"] = dump(region_base(r), header)
    for k in range(lines):
        files[f"{AGENTS_DIR}/_base/line-{k}.yaml"] = dump(line_base(k), header)
        files[f"{AGENTS_DIR}/_shared/hints-{k}.yaml"] = dump(hints_fragment(k), header)
    teams = sorted({i // TEAM_SIZE for i in range(agents)} | ({0} if stores else set()))
    for t in teams:
        files[f"{AGENTS_DIR}/_base/team-{t:03d}.yaml"] = dump(
            team_base(f"{t:03d}", line_of_team(t, lines)), header)
    for d in sorted({i // DESK_SIZE for i in range(agents)}):
        files[_desk_path(d)] = dump(desk_fragment(f"{d:04d}", desk_lead(seed, d)), header)
    leaf = dump({
        "extends": "../_base/team-@@TEAM@@.yaml",
        "include": ["../_shared/hints-@@K@@.yaml", "../_shared/desk-@@DESK@@.yaml"],
        "vars": {"company": "@@COMPANY@@", "dept": "@@DEPT@@", "city": "@@CITY@@",
                 "agent_no": "@@AGENT_NO@@"},
        **body,
    }, header)
    for i in range(agents):
        team = i // TEAM_SIZE
        files[agent_path(i)] = fill(leaf, {
            **agent_values(seed, i), "TEAM": f"{team:03d}",
            "K": str(line_of_team(team, lines)), "DESK": f"{i // DESK_SIZE:04d}"})
    for kind, rows, data in (("clinics", clinics, FLEET_CSV), ("stores", stores, STORES_ROWS)):
        if not rows:
            continue
        tree: Tree = {"agent": f"{kind[:-1]}-{{{{ slug }}}}", "instances": data}
        if kind == "clinics":
            tree |= {"extends": "_base/line-0.yaml", "include": ["_shared/hints-0.yaml"],
                     "vars": {"dept": _FLEET_DEPT, "team_name": "Clinics",
                              "desk_lead": _LEADS[0]}}
        else:
            tree |= {"extends": "_base/team-000.yaml", "include": ["_shared/hints-0.yaml"],
                     "vars": {"dept": _STORES_DEPT, "desk_lead": _LEADS[1]}}
        name = FLEET_FILE if kind == "clinics" else STORES_FILE
        files[f"{AGENTS_DIR}/{name}"] = fill(dump({**tree, **body}, header),
                                             agent_values(seed, -1))
        files[f"{AGENTS_DIR}/{data}"] = _csv(rows) if kind == "clinics" else dump(rows, header)
    return files


def _plain_files(agents: int, seed: int, header: str, lines: int, body: Tree,
                 clinics: list[dict[str, str]], stores: list[dict[str, str]]
                 ) -> dict[str, str]:
    files: dict[str, str] = {}
    templates: dict[int, tuple[PlainTemplate, Tree]] = {}
    for k in range(lines):
        tree, variables = resolve(agent_parts(k, "@@TEAM@@", "@@DESK@@", "@@LEAD@@", body))
        templates[k] = (PlainTemplate(tree, header), variables)
    for i in range(agents):
        team, desk = i // TEAM_SIZE, i // DESK_SIZE
        template, variables = templates[line_of_team(team, lines)]
        values = {**agent_values(seed, i), "TEAM": f"{team:03d}", "DESK": f"{desk:04d}",
                  "LEAD": desk_lead(seed, desk)}
        files[agent_path(i)] = template.fill(values, _variables(values, {
            **variables, "team_name": f"Team {team:03d}", "desk_lead": values["LEAD"]}))
    topics = agent_values(seed, -1)
    for kind, rows, extra in (
            ("clinics", clinics, {"dept": _FLEET_DEPT, "team_name": "Clinics",
                                  "desk_lead": _LEADS[0]}),
            ("stores", stores, {"dept": _STORES_DEPT, "team_name": "Team 000",
                                "desk_lead": _LEADS[1]})):
        if not rows:
            continue
        tree, variables = resolve(fleet_parts(kind, body))
        template = PlainTemplate(tree, header)
        folder = FLEET_PLAIN_DIR if kind == "clinics" else STORES_PLAIN_DIR
        for row in rows:
            values = {**topics, "DEPT": extra["dept"],
                      **{key.upper(): value for key, value in row.items()}}
            files[f"{AGENTS_DIR}/{folder}/{kind[:-1]}-{row['slug']}.yaml"] = template.fill(
                values, {**variables, **extra, **_variables(values, {})})
    return files


def _csv(rows: Iterable[Mapping[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["slug", "company", "city", "agent_no"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# The same agent, written with signalwire-sdk


def resolved_agent(index: int, seed: int = 0, lines: int = LINES) -> Tree:
    """Agent ``index`` fully resolved (what a build compiles), with its values filled in, in a
    repo of ``lines`` line bases (10 from N = 10 on)."""
    team, desk = index // TEAM_SIZE, index // DESK_SIZE
    tree, variables = resolve(agent_parts(line_of_team(team, lines), f"{team:03d}",
                                          f"{desk:04d}", desk_lead(seed, desk), agent_body()))
    values = agent_values(seed, index)
    text = PlainTemplate(tree, "").fill(values, _variables(values, variables))
    loaded: Tree = yaml.safe_load(text)
    return loaded


def sdk_script(index: int = 0, seed: int = 0) -> str:
    """Python source that builds agent ``index`` with signalwire-sdk and prints its SWML.

    Written the way a user of the SDK writes an agent: one call per feature, ``define_tool``
    for webhook functions, the ``DataMap`` builder for data_map ones. Run it in a fresh
    interpreter to time what a cold process pays to produce the same document.
    """
    a = resolved_agent(index, seed)
    name = agent_name(index)
    out = [
        "import os",
        "os.environ.setdefault('SIGNALWIRE_LOG_MODE', 'off')",
        "from signalwire import AgentBase",
        "from signalwire.core.data_map import DataMap",
        "from signalwire.core.function_result import FunctionResult",
        "",
        "def _remote(args, raw):  # runs at web_hook_url, not here",
        "    return None",
        "",
        f"agent = AgentBase(name={name!r}, route={'/' + name!r})",
    ]
    for verb in a["swml"]["before"]:
        (verb_name, config), = verb.items()
        if verb_name != "answer":
            out.append(f"agent.add_post_answer_verb({verb_name!r}, {config!r})")
    for verb in a["swml"]["after"]:
        (verb_name, config), = verb.items()
        out.append(f"agent.add_post_ai_verb({verb_name!r}, {config!r})")
    for lang in a["languages"]:
        out.append(f"agent.add_language(name={lang['name']!r}, code={lang['code']!r}, "
                   f"voice={lang['voice']!r}, speech_fillers={lang['speech_fillers']!r}, "
                   f"function_fillers={lang['function_fillers']!r})")
    out.append(f"agent.set_params({a['params']!r})")
    pp = a["post_prompt"]
    out.append(f"agent.set_post_prompt({pp['text']!r})")
    out.append(f"agent.set_post_prompt_llm_params(temperature={pp['temperature']!r})")
    out.append(f"agent.set_post_prompt_url({a['post_prompt_url']!r})")
    out.append(f"agent.set_native_functions({a['native_functions']!r})")
    for fn_name, langs in a["internal_fillers"].items():
        for code, fillers in langs.items():
            out.append(f"agent.add_internal_filler({fn_name!r}, {code!r}, {fillers!r})")
    out.append(f"agent.set_global_data({a['global_data']!r})")
    for p in a["pronounce"]:
        out.append(f"agent.add_pronunciation({p['replace']!r}, {p['with']!r}, "
                   f"ignore_case={p['ignore_case']!r})")
    words = [h for h in a["hints"] if isinstance(h, str)]
    out.append(f"agent.add_hints({words!r})")
    for h in a["hints"]:
        if not isinstance(h, str):
            out.append(f"agent.add_pattern_hint({h['hint']!r}, {h['pattern']!r}, "
                       f"{h['replace']!r}, ignore_case={h.get('ignore_case', False)!r})")
    prompt = a["prompt"]
    for s in prompt["sections"]:
        args = [repr(s["title"])]
        if "body" in s:
            args.append(f"body={s['body']!r}")
        if "bullets" in s:
            args.append(f"bullets={s['bullets']!r}")
        if s.get("numbered"):
            args.append("numbered=True")
        if s.get("numberedBullets"):
            args.append("numbered_bullets=True")
        if "subsections" in s:
            args.append(f"subsections={s['subsections']!r}")
        out.append(f"agent.prompt_add_section({', '.join(args)})")
    out.append(f"agent.set_prompt_llm_params(temperature={prompt['temperature']!r})")
    for fn in a["functions"]:
        out.append(_sdk_function(fn))
    out.append("print(agent._render_swml())  # what `swaig-test --dump-swml` calls")
    return "\n".join(out) + "\n"


def _sdk_function(fn: Tree) -> str:
    params = fn["parameters"]
    if "data_map" not in fn:
        extra = f", meta_data={fn['meta_data']!r}" if "meta_data" in fn else ""
        return (f"agent.define_tool(name={fn['function']!r}, description={fn['description']!r}, "
                f"parameters={params['properties']!r}, handler=_remote, "
                f"webhook_url={fn['web_hook_url']!r}, required={params['required']!r}, "
                f"fillers={fn['fillers']!r}{extra})")
    chain = [f"DataMap({fn['function']!r})", f".description({fn['description']!r})"]
    for pname, p in params["properties"].items():
        enum = f", enum={p['enum']!r}" if "enum" in p else ""
        chain.append(f".parameter({pname!r}, {p['type']!r}, {p['description']!r}, "
                     f"required={pname in params.get('required', [])!r}{enum})")
    dm = fn["data_map"]
    for e in dm.get("expressions", []):
        chain.append(f".expression({e['string']!r}, {e['pattern']!r}, "
                     f"FunctionResult({e['output']['response']!r}))")
    for w in dm.get("webhooks", []):
        chain.append(f".webhook({w['method']!r}, {w['url']!r}, headers={w.get('headers')!r}"
                     + (f", require_args={w['require_args']!r}" if "require_args" in w else "")
                     + ")")
        if "params" in w:
            chain.append(f".params({w['params']!r})")
        if "foreach" in w:
            chain.append(f".foreach({w['foreach']!r})")
        chain.append(f".output(FunctionResult({w['output']['response']!r}))")
        if "error_keys" in w:
            chain.append(f".error_keys({w['error_keys']!r})")
    chain.append(f".fallback_output(FunctionResult({dm['output']['response']!r}))")
    return "agent.register_swaig_function(" + "\n    ".join(chain) + ".to_swaig_function())"


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to create the repo in")
    parser.add_argument("--agents", type=int, required=True, help="number of agents (N)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plain", action="store_true",
                        help="inline everything: no extends/include/vars/fleet")
    parser.add_argument("--no-fleet", action="store_true", help="leave out the fleet")
    parser.add_argument("--sdk-script", action="store_true",
                        help="also write sdk_agent.py: agent 0 built with signalwire-sdk")
    args = parser.parse_args(argv)
    repo = generate_repo(args.out, args.agents, seed=args.seed, plain=args.plain,
                         fleet=not args.no_fleet)
    if args.sdk_script:
        (args.out / "sdk_agent.py").write_text(sdk_script(0, args.seed), encoding="utf-8")
    print(f"generated {repo.agents} agents + {repo.fleet_rows} fleet rows "
          f"({'plain' if repo.plain else 'composed'}) in {repo.root}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
