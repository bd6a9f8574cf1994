"""The pipeline: the passes in order (:mod:`.run`: ``PIPELINE`` and ``run_unit``), the state they
share (:mod:`.context`), and one module (or package) per pass.

Nothing is imported here, so that a module needing only :mod:`.context` (a no-op build, which
compiles nothing) does not load every pass and Jinja with it.
"""
