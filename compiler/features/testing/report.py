"""A test run as people and CI read it: a line per case and the closing count (``3 passed, 1
failed in 0.21s``, the line pytest ends with), a coverage table with each unreached branch or
step at its file:line:col, one JSON object, or JUnit XML for CI's test reports (the schema
Jenkins, GitLab and GitHub's test reporters read: testsuites > testsuite per file > testcase,
with failure and skipped)."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from compiler.core.diagnostics import Diagnostic
from compiler.features.testing import CaseResult, TestRun

__all__ = ["render_cases", "render_coverage", "render_github_run", "render_json", "render_junit",
           "summary_line"]

_MARKS = {"passed": "✓", "failed": "✗", "skipped": "-"}


def summary_line(run: TestRun) -> str:
    """``N passed, N failed, N skipped in Xs`` (parts with no case left out)."""
    parts = [f"{run.count('passed')} passed"]
    if run.count("failed"):
        parts.append(f"{run.count('failed')} failed")
    if run.count("skipped"):
        parts.append(f"{run.count('skipped')} skipped")
    return f"{', '.join(parts)} in {run.seconds:.2f}s"


def render_cases(run: TestRun, *, plain: bool = False) -> str:
    """A block per test file, a line per case (``plain``: ASCII marks, for logs)."""
    marks = {"passed": "ok", "failed": "FAIL", "skipped": "skip"} if plain else _MARKS
    lines: list[str] = []
    current = None
    for result in run.results:
        if result.file != current:
            current = result.file
            lines.append(result.file)
        extra = f" ({result.skipped_because})" if result.status == "skipped" \
            and result.skipped_because not in (None, "skipped") else ""
        lines.append(f"  {marks[result.status]} {result.title}{extra}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_coverage(run: TestRun) -> str:
    """Per agent: branches and steps reached, the total, then what was not reached."""
    if not run.coverage:
        return ""
    width = max(len("coverage"), *(len(name) for name in run.coverage))
    lines = [f"{'coverage':<{width}}  branches  steps   total"]
    missing: list[str] = []
    for name, cov in run.coverage.items():
        b_hit, b_all = cov.of_kind("branch")
        s_hit, s_all = cov.of_kind("step")
        branches = f"{b_hit}/{b_all}" if b_all else "-"
        steps = f"{s_hit}/{s_all}" if s_all else "-"
        total = f"{cov.percent:.0f}%" if cov.items else "-"
        lines.append(f"{name:<{width}}  {branches:<8}  {steps:<6}  {total:>5}")
        missing += [f"  {item.span}: {name}: {item.label} not reached" for item in cov.missing()]
    return "\n".join(lines + missing) + "\n"


def _case(result: CaseResult) -> dict[str, Any]:
    return {
        "file": result.file, "name": result.name, "agent": result.agent,
        "status": result.status, "seconds": round(result.seconds, 4),
        "skipped_because": result.skipped_because,
        "failures": [{"code": d.code, "message": d.message, "at": str(d.span),
                      "notes": list(d.notes), "help": d.help} for d in result.diagnostics],
    }


def render_github_run(failures: list[Diagnostic]) -> str:
    """GitHub Actions annotations, one per failure at the line of the expectation (or the bad
    entry of a test file), what the run gave on the lines below the message."""
    from dataclasses import replace

    from compiler.source.render import render_github

    return render_github([replace(d, message="\n".join((d.message, *d.notes)))
                          for d in failures])


def render_json(run: TestRun) -> str:
    out = {
        "summary": {"passed": run.count("passed"), "failed": run.count("failed"),
                    "skipped": run.count("skipped"), "files": len(run.files),
                    "seconds": round(run.seconds, 4)},
        "cases": [_case(r) for r in run.results],
        "errors": [{"code": d.code, "message": d.message, "at": str(d.span),
                    "help": d.help} for d in run.diagnostics],
        "coverage": {name: {"percent": round(cov.percent, 2), "covered": cov.covered,
                            "total": len(cov.items),
                            "missing": [{"item": i.label, "at": str(i.span)}
                                        for i in cov.missing()]}
                     for name, cov in run.coverage.items()},
    }
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def _failure_text(result: CaseResult) -> str:
    lines: list[str] = []
    for d in result.diagnostics:
        lines.append(f"{d.span}: {d.message}")
        lines += [f"  {note}" for note in d.notes]
        if d.help:
            lines.append(f"  help: {d.help}")
    return "\n".join(lines)


def render_junit(run: TestRun) -> str:
    """JUnit XML: a testsuite per test file, a testcase per case and agent."""
    # testsuites takes no "skipped" in the Jenkins/Surefire schema: each testsuite says it
    suites = ET.Element("testsuites", name="swmlc test",
                        tests=str(len(run.results) + _errors(run)),
                        failures=str(run.count("failed")), errors=str(_errors(run)),
                        time=f"{run.seconds:.3f}")
    by_file: dict[str, list[CaseResult]] = {}
    for result in run.results:
        by_file.setdefault(result.file, []).append(result)
    for file, results in by_file.items():
        suite = ET.SubElement(
            suites, "testsuite", name=file, file=file, tests=str(len(results)),
            failures=str(sum(r.status == "failed" for r in results)), errors="0",
            skipped=str(sum(r.status == "skipped" for r in results)),
            time=f"{sum(r.seconds for r in results):.3f}")
        classname = file.removesuffix(".test.yaml").replace("/", ".")
        for result in results:
            case = ET.SubElement(suite, "testcase", name=result.title, classname=classname,
                                 time=f"{result.seconds:.3f}")
            if result.status == "failed":
                first = result.diagnostics[0]
                failure = ET.SubElement(case, "failure", message=first.message,
                                        type=first.code)
                failure.text = _failure_text(result)
            elif result.status == "skipped":
                ET.SubElement(case, "skipped", message=result.skipped_because or "skipped")
    if run.diagnostics:
        suite = ET.SubElement(suites, "testsuite", name="swmlc", tests="1", failures="0",
                              errors="1", skipped="0", time="0.000")
        case = ET.SubElement(suite, "testcase", name="test files", classname="swmlc",
                             time="0.000")
        error = ET.SubElement(case, "error", message=run.diagnostics[0].message,
                              type=run.diagnostics[0].code)
        error.text = "\n".join(f"{d.span}: {d.message}" for d in run.diagnostics)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _errors(run: TestRun) -> int:
    return 1 if run.diagnostics else 0
