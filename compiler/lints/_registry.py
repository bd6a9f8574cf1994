"""The list of rule modules. Add a new rule here, and nowhere else."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from compiler.lints import (
    bad_param_value,
    deprecated_function_field,
    duplicate_function,
    end_with_valid_steps,
    invalid_regex,
    literal_credentials,
    literal_tokens,
    missing_default_context,
    multi_language_fillers,
    output_key_before_built,
    param_as_string,
    step_named_next,
    unknown_action_target,
    unknown_function_arg,
    unknown_global_data,
    unknown_meta_data,
    unknown_native_function,
    unknown_param,
    unknown_step_function,
    unknown_template_helper,
    unknown_valid_context,
    unknown_valid_step,
    unreachable_step,
    wrong_datamap_scope,
)
from compiler.lints.rule import Rule

# In code order (SWC401, SWC402, ...): the order rules run and docs list them.
_MODULES = (
    unknown_global_data,        # SWC401
    unknown_function_arg,       # SWC402
    wrong_datamap_scope,        # SWC403
    output_key_before_built,    # SWC404
    unknown_meta_data,          # SWC405
    unknown_template_helper,    # SWC406
    missing_default_context,    # SWC407
    unknown_valid_step,         # SWC408
    unknown_valid_context,      # SWC409
    unknown_step_function,      # SWC410
    unreachable_step,           # SWC411
    end_with_valid_steps,       # SWC412
    step_named_next,            # SWC413
    duplicate_function,         # SWC414
    unknown_native_function,    # SWC415
    invalid_regex,              # SWC416
    multi_language_fillers,     # SWC417
    deprecated_function_field,  # SWC418
    unknown_param,              # SWC419
    bad_param_value,            # SWC420
    param_as_string,            # SWC421
    literal_credentials,        # SWC422
    unknown_action_target,      # SWC423
    literal_tokens,             # SWC424
)

#: The rule modules, each checked by mypy against the Rule protocol where it is used.
RULES: Sequence[Rule] = cast("Sequence[Rule]", _MODULES)
