"""The frozen options every entry point builds once and passes down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

OutputFormat = Literal["json", "yaml"]
Target = Literal["swml", "relay", "bedrock"]


@dataclass(frozen=True)
class Options:
    """What a command was asked to do. Paths are relative to ``root`` unless absolute. A field
    left at None was not given: the project (its profile, swmlc.yaml) decides."""

    root: Path
    paths: tuple[str, ...] = ()
    out_dir: str | None = None
    #: None: as the profile, swmlc.yaml or the build being checked says (else json).
    output_format: OutputFormat | None = None
    targets: tuple[Target, ...] | None = None
    #: The profile of swmlc.yaml to use (None: ``default_profile``, else the top level).
    profile: str | None = None
    cli_vars: tuple[tuple[str, Any], ...] = ()
    vars_files: tuple[str, ...] = ()
    strict: bool = False
    jobs: int = 1
    source_map: bool = False
    bind_secrets: bool = False
    #: ``--shard K/N``: (K, N), this machine's part of the build (compiler/build/shards.py).
    shard: tuple[int, int] | None = None
    env: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    #: Texts that stand in for files of the project (root-relative path -> text): what
    #: ``lint --fix`` would write, compiled again before anything is written.
    overlay: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
