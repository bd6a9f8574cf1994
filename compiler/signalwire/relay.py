"""The RELAY ``Call.ai()`` keyword arguments, as signalwire-sdk defines them.

A RELAY app does not fetch SWML: it calls ``await call.ai(**kwargs)`` and the SDK sends the ``ai``
verb's fields itself. Two names differ from SWML, and both are the SDK's choice, not ours:
``params`` travels as the keyword ``ai_params`` (``params`` would shadow the SDK's own request
parameters), and the post-prompt webhook's basic-auth credentials are keywords of their own
(``post_prompt_auth_user``/``post_prompt_auth_password``) instead of ``user:pass@`` inside the URL.

Standard library only: :mod:`compiler.runtime` imports it inside RELAY apps.
"""

from __future__ import annotations

#: Every keyword ``Call.ai()`` takes besides ``control_id`` and ``on_completed`` (which belong to
#: the app, not to the agent), in the SDK's order. A test holds this against the real signature.
RELAY_KWARGS: tuple[str, ...] = (
    "agent", "prompt", "post_prompt", "post_prompt_url", "post_prompt_auth_user",
    "post_prompt_auth_password", "global_data", "pronounce", "hints", "languages", "SWAIG",
    "ai_params",
)
#: ``ai`` verb field -> ``Call.ai()`` keyword, where they differ.
AI_TO_KWARG: dict[str, str] = {"params": "ai_params"}
KWARG_TO_AI: dict[str, str] = {v: k for k, v in AI_TO_KWARG.items()}
AUTH_KWARGS = ("post_prompt_auth_user", "post_prompt_auth_password")
