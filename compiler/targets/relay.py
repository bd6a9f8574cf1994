"""The RELAY target: the keyword arguments of signalwire-sdk's ``Call.ai()``
(:mod:`compiler.signalwire.relay` says which, and why two names differ from SWML).

build/<agent>.relay.json is the lowered ``ai`` object with those two renames, written with the
same secret placeholders as the SWML document; :func:`compiler.runtime.ai_kwargs` loads it at run
time with the secrets bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.tree import Map, Seq, Span
from compiler.core.urls import join_credentials, split_credentials
from compiler.core.words import plural
from compiler.signalwire.relay import AI_TO_KWARG, AUTH_KWARGS, KWARG_TO_AI
from compiler.targets.swml import lower_ai


def lower_relay_target(tree: Map) -> tuple[Map, list[Diagnostic]]:
    """The relay document of an agent, and a note for the verbs around ``ai`` it leaves out."""
    return lower_relay(lower_ai(tree)), _verbs_left_out(tree)


def _verbs_left_out(tree: Map) -> list[Diagnostic]:
    """One note for the verbs around ``ai`` the relay target leaves out (the default answer
    before it is not worth a word). The build says it once for all its agents
    (:mod:`compiler.build.notes`)."""
    swml = tree.get("swml")
    if not isinstance(swml, Map):
        return []
    keys = [key for key in ("before", "after", "sections")
            if not (swml.get(key) is None or (key == "before" and _only_answer(swml[key]))
                    or (isinstance(swml[key], Seq | Map) and not swml[key]))]
    if not keys:
        return []
    return [codes.RELAY_VERBS.at(
        swml.key_span(keys[0]), relay_verbs_message(["swml." + k for k in keys]),
        labels=tuple(Label(swml.key_span(k), "and here") for k in keys[1:]),
        help="run these verbs from the RELAY app, e.g. await call.answer() before "
             "await call.ai(**ai_kwargs(...))")]


def relay_verbs_message(keys: list[str], agents: list[str] | None = None) -> str:
    """SWC603's words, for one agent or (``agents``) for all of a build's.

    Example:
        >>> relay_verbs_message(["swml.after"])
        'swml.after is not part of the relay target (call.ai() takes the ai verb only)'
        >>> relay_verbs_message(["swml.before", "swml.after"], ["a", "b"])[:78]
        'swml.before and swml.after are not part of the relay target of 2 agents (a, b)'
    """
    said = (", ".join(keys[:-1]) + " and " if len(keys) > 1 else "") + keys[-1] + \
        (" is" if len(keys) == 1 else " are")
    if agents is None:
        return f"{said} not part of the relay target (call.ai() takes the ai verb only)"
    shown = ", ".join(agents[:12]) + (f" and {len(agents) - 12} more" if len(agents) > 12
                                      else "")
    return f"{said} not part of the relay target of {plural(len(agents), 'agent')} ({shown}): " \
           "call.ai() takes the ai verb only"


def _only_answer(value: object) -> bool:
    return isinstance(value, list) and len(value) == 1 and value[0] == {"answer": {}}


def lower_relay(ai: Map) -> Map:
    """The ``Call.ai()`` keyword arguments for a lowered ``ai`` object, spans kept.

    Keys keep the ``ai`` object's order; the two auth keywords follow ``post_prompt_url``.
    """
    out = Map(ai.span)
    for key in ai:
        value = ai[key]
        if key == "post_prompt_url" and isinstance(value, str):
            clean, user, password = split_credentials(value)
            span, key_span = ai.value_spans[key], ai.key_spans[key]
            out.put(key, clean, span, key_span)
            if user is not None:
                out.put("post_prompt_auth_user", user, span, key_span)
            if password is not None:
                out.put("post_prompt_auth_password", password, span, key_span)
        else:
            out.copy_entry(ai, key, AI_TO_KWARG.get(key))
    return out


def relay_as_ai(kwargs: Mapping[str, Any]) -> Map:
    """The ``ai`` verb object the SDK sends for these keyword arguments (``ai_params`` back to
    ``params``, the auth keywords back into the URL), spans kept when ``kwargs`` is a Map.

    This is what the official schema judges: a RELAY agent is valid exactly when the ``ai`` verb
    the SDK sends on its behalf is.
    """
    span = kwargs.span if isinstance(kwargs, Map) else Span("<relay>", 0, 0, 0, 0)
    out = Map(span)

    def spans(key: str) -> tuple[Span, Span]:
        if isinstance(kwargs, Map):
            return kwargs.value_span(key), kwargs.key_span(key)
        return span, span

    for key, value in kwargs.items():
        if key in AUTH_KWARGS or key == "agent":
            continue
        if key == "post_prompt_url" and isinstance(value, str):
            value = join_credentials(value, kwargs.get("post_prompt_auth_user"),
                                     kwargs.get("post_prompt_auth_password"))
        out.put(KWARG_TO_AI.get(key, key), value, *spans(key))
    return out


def relay_as_swml(kwargs: Map) -> Map:
    """A one-verb SWML document around :func:`relay_as_ai`, for the official schema."""
    main = Seq(kwargs.span)
    verb = Map(kwargs.span)
    verb.put("ai", relay_as_ai(kwargs), kwargs.span)
    main.push(verb, kwargs.span)
    sections = Map(kwargs.span)
    sections.put("main", main, kwargs.span)
    doc = Map(kwargs.span)
    doc.put("version", "1.0.0", kwargs.span)
    doc.put("sections", sections, kwargs.span)
    return doc
