"""The dependencies' bounds are honest: every runtime dependency (the core ones, and the `serve`
extra's, which `swmlc serve` runs on) has a lower and an upper bound, and
.ci/lowest-constraints.txt, which CI installs to run the quick suite at the lowest versions
allowed, pins exactly the lower bounds pyproject.toml states."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO

_REQ = re.compile(
    r"^([A-Za-z0-9_.\-]+)(?:\[[a-z,]+\])?\s*>=\s*([0-9][^,]*),\s*<\s*([0-9][^,;]*)$")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _bounds() -> dict[str, tuple[str, str]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found: dict[str, tuple[str, str]] = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["serve"]]:
        m = _REQ.match(requirement)
        assert m, f"{requirement!r}: give a lower and an upper bound (name>=X,<Y)"
        found[_canonical(m.group(1))] = (m.group(2), m.group(3))
    return found


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (REPO / ".ci" / "lowest-constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_canonical(name)] = version.strip()
    return pins


def _padded(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in version.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def test_every_runtime_dependency_is_pinned_at_its_lower_bound() -> None:
    bounds, pins = _bounds(), _pins()
    assert set(pins) == set(bounds)
    for name, (low, _) in bounds.items():
        assert _padded(pins[name]) == _padded(low), name


def test_upper_bounds_stop_at_the_next_major_version() -> None:
    for name, (low, high) in _bounds().items():
        lo, hi = _padded(low), _padded(high)
        assert hi > lo, name
        assert hi[1:] == (0, 0) or (lo[0] == 0 and hi == (1, 0, 0)), \
            f"{name}: the upper bound is a major version (<{lo[0] + 1}), got <{high}"
