"""The ``ai.params`` the platform knows (:mod:`.catalogue`), and a checker for one name/value
pair (:mod:`.check`); :mod:`.regenerate` rebuilds the catalogue from the official schema.

Why a catalogue of our own: the official schema leaves ``params`` open (unknown names pass), so a
typo such as ``barge_confidance`` validates and the platform silently ignores it. swmlc checks
names and values itself, and must do so without the SDK (a second to import) on the hot path.

The data lives in ``compiler/data/params.json``, generated once from the SDK's ``schema.json``
(``site-packages/signalwire/schema.json``) and committed::

    python -m compiler.signalwire.params --regenerate path/to/signalwire/schema.json

Params that SignalWire's documentation names but the schema lacks are merged in from
``DOCS_ONLY_PARAMS`` with a ``source`` saying where they come from, so that regenerating never
loses them. Checks follow the schema, not the laxer docs, because the schema is what judges every
compiled document; where the docs disagree, the spec carries a note for that kind of problem, so
the diagnostic can say why the docs seemed to allow the value.
"""
from __future__ import annotations

from compiler.signalwire.params.catalogue import (
    DATA_PATH,
    DOC_NOTES,
    DOCS_ONLY_PARAMS,
    PARAMS,
    PATTERN_HINTS,
    ParamProblem,
    ParamSpec,
    load_params,
)
from compiler.signalwire.params.check import check_param, check_params, is_template, json_type

__all__ = [
    "DATA_PATH", "DOCS_ONLY_PARAMS", "DOC_NOTES", "PARAMS", "PATTERN_HINTS", "ParamProblem",
    "ParamSpec", "check_param", "check_params", "is_template", "json_type", "load_params",
]
