"""Issue 12, point 16: ``validate`` called ``{"a": NaN}`` valid and ``import`` turned NaN and
Infinity into strings; both now read JSON strictly (RFC 8259) with one reader and one verdict,
at the place of the fault."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DOC = '{{"version": "1.0.0", "sections": {{"main": [{{"ai": {{"prompt": {{"text": "hi"}}, ' \
    '"params": {{"attention_timeout": {value}}}}}}}]}}}}\n'


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1" * 400])
def test_validate_and_import_refuse_what_json_does_not_allow(
        tmp_path: Path, swmlc: Callable[..., Any], monkeypatch: pytest.MonkeyPatch,
        value: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.json").write_text(DOC.format(value=value))
    column = DOC.format(value=value).index(value) + 1
    for args in (["validate", "doc.json"], ["import", "doc.json", "-o", "out"]):
        result = swmlc(*args, "--error-format", "json")
        assert result.exit_code == 1, args
        errors = [d for d in json.loads(result.stdout) if d["severity"] == "error"]
        assert [(d["code"], d["file"], d["line"], d["column"]) for d in errors] == [
            ("SWC008", "doc.json", 1, column)], (args, errors)
    assert not (tmp_path / "out").exists()
