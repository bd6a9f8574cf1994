"""A SWAIG reply checked as the platform reads it (PLATFORM.md, "SWAIG replies and actions"):
``{response, action?, post_process?}``, ``response`` a string (or ``{tool_result,
tool_prompt}``), ``action`` one object or a list of them, each naming actions mod_openai knows.
What the platform would not understand is said, since a web_hook_url's answer is written by
hand in the team's own server and nothing else checks it before a call does."""

from __future__ import annotations

from typing import Any

__all__ = ["SWAIG_ACTIONS", "reply_problems"]

#: The actions of signalwire-sdk's ``core/swaig_actions_generated.py`` (mod_openai's actions.c).
SWAIG_ACTIONS = frozenset({
    "SWML", "say", "stop", "hangup", "hold", "change_context", "change_step", "context_switch",
    "toggle_functions", "set_global_data", "unset_global_data", "set_meta_data",
    "unset_meta_data", "back_to_back_functions", "user_input", "playback_bg",
    "stop_playback_bg", "transfer", "settings", "add_dynamic_hints", "clear_dynamic_hints",
    "end_of_speech_timeout", "speech_event_timeout", "replace_in_history", "user_event",
    "wait_for_user", "extensive_data", "functions_on_speaker_timeout"})
_TOP = ("response", "action", "post_process")


def _response_problem(reply: dict[str, Any]) -> str | None:
    if "response" not in reply:
        return "the reply has no 'response': the model gets nothing to say"
    response = reply["response"]
    if isinstance(response, str):
        return None
    if isinstance(response, dict) and isinstance(response.get("tool_result"), str):
        return None
    return ("'response' is neither text nor {tool_result, tool_prompt}, got "
            f"{type(response).__name__}")


def _action_problems(action: Any) -> list[str]:
    from compiler.core.suggest import did_you_mean  # difflib, only for a reply with problems

    items = action if isinstance(action, list) else [action]
    out: list[str] = []
    for index, item in enumerate(items):
        where = f"action[{index}]" if isinstance(action, list) else "action"
        if not isinstance(item, dict):
            out.append(f"{where} is not an object, got {type(item).__name__}")
            continue
        for name in item:
            if name not in SWAIG_ACTIONS:
                guess = did_you_mean(name, SWAIG_ACTIONS)
                out.append(f"{where}: '{name}' is not an action the platform knows"
                           + (f" (did you mean '{guess}'?)" if guess else ""))
        if "toggle_functions" in item and not (
                isinstance(item["toggle_functions"], list)
                and all(isinstance(t, dict) and "function" in t and "active" in t
                        for t in item["toggle_functions"])):
            out.append(f"{where}: toggle_functions is a list of {{function, active}}")
        if "SWML" in item and not isinstance(item["SWML"], dict | str):
            out.append(f"{where}: SWML is a document (an object, or its JSON text)")
    return out


def reply_problems(reply: Any) -> list[str]:
    """What in ``reply`` the platform would not read as a SWAIG reply; empty when all is well.

    Example:
        >>> print(*reply_problems({"response": "OK", "action": [{"set_global_dta": {}}]}))
        action[0]: 'set_global_dta' is not an action the platform knows (did you mean \
'set_global_data'?)
        >>> reply_problems({"response": "OK", "action": {"hangup": True}, "post_process": True})
        []
    """
    if not isinstance(reply, dict):
        return [f"the reply is not an object, got {type(reply).__name__}"]
    out = [p for p in [_response_problem(reply)] if p is not None]
    for key in reply:
        if key not in _TOP:
            from compiler.core.suggest import did_you_mean

            guess = did_you_mean(key, _TOP)
            out.append(f"'{key}' is not part of a SWAIG reply (response, action, post_process)"
                       + (f": did you mean '{guess}'?" if guess else ""))
    if "action" in reply:
        out += _action_problems(reply["action"])
    if "post_process" in reply and not isinstance(reply["post_process"], bool):
        out.append("post_process is true or false")
    return out
