"""``swmlc merge``: join the folders of ``swmlc build --shard K/N`` into one build."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli._common import Exit, error_handler, options, plural


@click.command(epilog="Example: swmlc merge shards/shard-*")
@click.argument("shard_dirs", nargs=-1, required=True,
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help="Output folder (default: the build folder of the profile the shards were "
                   "built with).")
def merge(*, shard_dirs: tuple[Path, ...], out_dir: str | None) -> None:
    """Join shard folders into one build/, byte for byte what one machine would build.

    Refuses shards built by another swmlc, with other options, or that do not make one
    whole build (a shard missing or given twice)."""
    with error_handler():
        from compiler.features.merge import merge_shards

        result = merge_shards(options(out_dir=out_dir),
                              [p.resolve() for p in shard_dirs])
        detail = [f"{len(result.written)} written", f"{len(result.unchanged)} unchanged"]
        if result.removed:
            detail.append(f"{len(result.removed)} removed")
        click.echo(f"{plural(result.agents, 'agent')} from {plural(result.shards, 'shard')} "
                   f"in {result.folder.name}/ ({', '.join(detail)})", err=True)
        raise Exit(0)
