"""The ``swmlc`` command's entry point: a command whose answer is already known is answered
before the compiler is imported.

``swmlc build`` in a project where nothing changed since the last build, and ``swmlc check``
(with ``SWMLC_CACHE_DIR``) in a project checked since, print what they printed then, from the
record :mod:`compiler.core.records` keeps; anything else goes to :mod:`compiler.cli`. This
module imports only the standard library and :mod:`compiler.core` before it knows which.
"""

from __future__ import annotations

import sys

from compiler.core.records import TYPE_CHECKING, answer

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """The ``swmlc`` command: the answer from a record when there is one, else the CLI."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # what click's version option says, without importing click
        from compiler.core.version import __version__

        sys.stdout.write(f"swmlc {__version__}\n")
        return 0
    code = answer(args)
    if code is not None:
        return code
    from compiler.cli import main as cli_main

    return cli_main(args, record=True)
