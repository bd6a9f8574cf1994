"""Reading what a project is written in, with exact positions: the project's files (one cache
per run), YAML (strict, YAML 1.2), Jinja templates (sandboxed), paths (held inside the project
root), JSON Schema checks of positioned trees, and the rendering of diagnostics against the
source text they point at."""
