"""Fleets: one definition, one agent per row of its ``instances`` file.

``instances: _fleet/clinics.csv`` (a header row, then one row per agent) or a YAML list of
mappings. Each row's columns become variables of that agent (above the definition's own vars),
and ``agent: "clinic-{{ slug }}"`` names it. CSV values stay strings; a YAML list keeps types.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Seq, Span
from compiler.source.files import SourceFiles
from compiler.source.paths import resolve_path

Row = tuple[dict[str, Any], Span]


def read_instances(files: SourceFiles, definition: str, tree: Map) -> tuple[list[Row], list[str],
                                                                           list[Diagnostic]]:
    """The rows of a fleet definition, the instances file read, and any problems."""
    site = tree.value_span("instances")
    target = tree["instances"]
    if not isinstance(target, str):
        return [], [], [codes.BAD_INSTANCES.at(site, "instances takes a path to a .csv or .yaml")]
    rel = resolve_path(files.root, definition, target, site, files.resolved)
    if isinstance(rel, Diagnostic):
        return [], [], [rel]
    if rel.endswith(".csv"):
        text = files.read_text(rel, site)
        if isinstance(text, Diagnostic):
            return [], [rel], [text]
        rows, diags = _csv_rows(text, rel, site)
        return rows, [rel], diags
    if rel.endswith((".yaml", ".yml")):
        loaded = files.load(rel, site)
        if loaded.diagnostics:
            return [], [rel], loaded.diagnostics
        value = loaded.value
        if not isinstance(value, Seq) or not all(isinstance(r, Map) for r in value):
            return [], [rel], [codes.BAD_INSTANCES.at(
                getattr(value, "span", Span(rel, 1, 1, 1, 1)),
                "an instances file in YAML must be a list of mappings")]
        return [(dict(r), value.item_span(i)) for i, r in enumerate(value)], [rel], []
    return [], [], [codes.BAD_INSTANCES.at(site, f"'{target}' is neither .csv nor .yaml",
                                           help="use a CSV with a header row, or a YAML list")]


def _csv_rows(text: str, rel: str, site: Span) -> tuple[list[Row], list[Diagnostic]]:
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        return [], [codes.BAD_INSTANCES.at(Span(rel, reader.line_num, 1, reader.line_num, 1),
                                           f"CSV: {exc}")]
    if not rows:
        return [], [codes.BAD_INSTANCES.at(Span(rel, 1, 1, 1, 1), "the CSV file is empty",
                                           help="the first row names the columns")]
    header = [h.strip() for h in rows[0]]
    bad = [h for h in header if not h.isidentifier()]
    if bad:
        return [], [codes.BAD_INSTANCES.at(
            Span(rel, 1, 1, 1, len(rows[0]) + 1),
            f"column name '{bad[0]}' cannot be a variable name",
            help="use letters, digits and '_' (not starting with a digit)")]
    out: list[Row] = []
    diags: list[Diagnostic] = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        span = Span(rel, n, 1, n, len(",".join(row)) + 1)
        if len(row) != len(header):
            diags.append(codes.BAD_INSTANCES.at(
                span, f"row has {len(row)} values for {len(header)} columns"))
            continue
        out.append((dict(zip(header, row, strict=True)), span))
    return out, diags
