"""The fuzzer of issue 12: mutations of the bundled agents and swmlc.yaml, compiled as a build
compiles them, each checked for what a hostile repository must never get: an exception (exit 3
in the CLI), a hang, or a diagnostic without a place inside a file.

Run it at length with ``python -m tests.security.fuzz CASES`` (it prints its figures);
``tests/security/test_fuzz.py`` runs it in the suite, derandomised.
"""

from __future__ import annotations

import random
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from compiler.core.diagnostics import Diagnostic
from tests.conftest import REPO

#: What a mutation may insert: YAML syntax, Jinja, runtime templates, placeholders, huge
#: numbers, characters YAML forbids or reads two ways, and values the platform refuses.
TOKENS = [
    ":", "- ", "[", "]", "{", "}", ",", "'", '"', "#", "&a ", "*a", "!delete ", "!append ",
    "!!int ", "<<: *a\n", "|\n", ">\n", "\t", "\n", "  ", "{{ ", " }}", "{% if x %}",
    "{% endif %}", "{{ company }}", "{{ nope }}", "{{ 'a' * 99999999 }}", "{{ 10**5000 }}",
    "{{ range(100000)|list }}", "${global_data.x}", "${args.", "%{", "@{expr 1+}",
    "<<secret:AWS_SECRET_ACCESS_KEY>>", "9" * 400, "1e400", ".nan", "\u2028", "\x85", "\x07",
    "\ufeff", "é", "null", "true", "no", "0o17", "extends: _base/clinic-voice.yaml\n",
    "include: [x.yaml]\n", "use: _functions/clinic.yaml#nope", "instances: x.csv\n",
    "agent: a b\n", "webhook: /x", "functions: []\n", "prompt: 3\n", "valid_steps: [nowhere]",
    "change_step: nowhere", "params: {barge_confidance: 1}\n",
]


@dataclass
class Findings:
    cases: int = 0
    diagnostics: int = 0
    exceptions: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return not (self.exceptions or self.hangs or self.unlocated)


def _files(root: Path) -> list[str]:
    found = sorted(p.relative_to(root).as_posix() for p in (root / "agents").rglob("*")
                   if p.is_file())
    return ["swmlc.yaml", *found]


def mutate(text: str, rng: random.Random) -> str:
    """One to three edits: insert a token, delete a stretch, duplicate or swap lines."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        at = rng.randint(0, len(text))
        if kind < 0.5:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif kind < 0.75:
            text = text[:at] + text[at + rng.randint(1, 40):]
        else:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines.insert(i, lines[i])
            elif i + 1 < len(lines):
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
            text = "\n".join(lines)
    return text


def _located(diag: Diagnostic, root: Path) -> str | None:
    """Why ``diag`` is not placed inside a file of the project, or None."""
    spans = [diag.span, *(label.span for label in diag.labels)]
    for span in spans:
        path = root / span.file
        if not path.is_file():
            return f"{diag.code} at {span}: not a file of the project"
        lines = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff").split("\n")
        if not 1 <= span.line <= len(lines):
            return f"{diag.code} at {span}: line outside the file ({len(lines)} lines)"
        if not 1 <= span.col <= len(lines[span.line - 1]) + 2:
            return f"{diag.code} at {span}: column outside line {span.line}"
    return None


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Hang


class Fuzzer:
    """One copy of the bundled project, compiled again after each mutation. The project's
    schemas and compiled templates are kept between cases (as in one long build); the mutated
    file is read anew, and swmlc.yaml's mutations load the project anew."""

    def __init__(self, root: Path, seconds: int) -> None:
        self.root = root
        self.seconds = seconds
        self.findings = Findings()
        self.session = self._session()
        self.definitions = [f for f in _files(root)
                            if f.startswith("agents/") and "/_" not in f and f.endswith(".yaml")]

    def _session(self) -> Any:
        from compiler.pipeline.context import Session
        from compiler.project.load import load_project
        from compiler.project.options import Options

        project, said = load_project(Options(root=self.root, env={}))
        return Session(project), said

    def compile(self, rel: str) -> list[Diagnostic]:
        from compiler.build.units import compile_files

        if rel == "swmlc.yaml":
            session, said = self._session()
            if said:
                return list(said)
        else:
            session, _ = self.session
            for name in list(session.project.files.texts):
                session.project.files.forget(name)
            session.libraries.clear()
        files = [rel] if rel in self.definitions else self.definitions
        return compile_files(session, files).diagnostics

    def case(self, rel: str, text: str) -> None:
        """Compile the project with ``rel`` holding ``text``; record what went wrong."""
        path = self.root / rel
        original = path.read_bytes()
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        label = f"{rel}: {text[:2000]!r}"
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(self.seconds)
        try:
            diagnostics = self.compile(rel)
            signal.alarm(0)
            self.findings.diagnostics += len(diagnostics)
            for diag in diagnostics:
                why = _located(diag, self.root)
                if why is not None:
                    self.findings.unlocated.append(f"{why} ({diag.message}) in {label}")
        except _Hang:
            self.findings.hangs.append(label)
        except Exception as exc:
            signal.alarm(0)
            self.findings.exceptions.append(f"{type(exc).__name__}: {exc} in {label}")
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
            path.write_bytes(original)
        self.findings.cases += 1


def fuzz(cases: int, seed: int = 0, seconds: int = 30) -> Findings:
    """``cases`` mutations of the bundled project, from ``seed`` (the same cases every run)."""
    rng = random.Random(seed)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="swmlc-fuzz-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "agents", root / "agents")
        shutil.copy(REPO / "swmlc.yaml", root / "swmlc.yaml")
        files = _files(root)
        originals = {rel: (root / rel).read_bytes().decode("utf-8") for rel in files}
        fuzzer = Fuzzer(root, seconds)
        for _ in range(cases):
            rel = rng.choice(files)
            fuzzer.case(rel, mutate(originals[rel], rng))
    findings = fuzzer.findings
    findings.seconds = time.perf_counter() - start
    return findings


def main(argv: list[str]) -> int:
    cases = int(argv[0]) if argv else 10_000
    seed = int(argv[1]) if len(argv) > 1 else 0
    found = fuzz(cases, seed)
    print(f"{found.cases} cases (seed {seed}) in {found.seconds:.0f} s: "
          f"{found.diagnostics} diagnostics; {len(found.exceptions)} exceptions, "
          f"{len(found.hangs)} hangs, {len(found.unlocated)} unlocated or out-of-file")
    for line in [*found.exceptions, *found.hangs, *found.unlocated][:20]:
        print("  " + line[:400])
    return 0 if found.clean else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


__all__ = ["Findings", "Fuzzer", "fuzz", "mutate"]
