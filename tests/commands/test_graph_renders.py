"""The Mermaid ``swmlc graph`` writes is rendered by the real Mermaid library in a real browser
(headless Chromium), as GitHub renders it in a pull-request comment: every agent's flowchart of
the bundled project, and the hard cases (quotes, unreachable steps, dead ends, actions), give
an SVG holding each step's name, and a broken chart is told apart (so the check can fail).

Needs Debian's ``chromium`` and the ``mermaid`` npm package (its dist/mermaid.min.js): set
SWMLC_MERMAID_JS to that file, or install the version pinned in .ci/mermaid/package.json
(``npm install --prefix .ci/mermaid``, which .ci/run does). Without them the test is skipped
and says which is missing.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.commands.test_graph import FLOW
from tests.conftest import REPO

pytestmark = pytest.mark.slow

MERMAID = Path(os.environ.get("SWMLC_MERMAID_JS") or
               REPO / ".ci/mermaid/node_modules/mermaid/dist/mermaid.min.js")


def _browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium on PATH: apt-get install -y chromium")
    if not MERMAID.is_file():
        pytest.skip(f"no mermaid.min.js at {MERMAID}: npm install --prefix .ci/mermaid "
                    "(the version .ci/mermaid/package.json pins) or set SWMLC_MERMAID_JS")
    return found


def render(chart: str, folder: Path) -> tuple[str, list[str]]:
    """(the page's verdict, the node labels of the SVG) for one Mermaid chart."""
    page = folder / "page.html"
    page.write_text(f"""<!doctype html><html><body>
<pre class="mermaid">{html.escape(chart)}</pre>
<script src="{MERMAID.resolve().as_uri()}"></script>
<script>
mermaid.initialize({{startOnLoad: false}});
mermaid.run({{querySelector: ".mermaid"}})
  .then(() => document.body.setAttribute("data-verdict", "rendered"))
  .catch(e => document.body.setAttribute("data-verdict", "error: " + e.message));
</script></body></html>""", encoding="utf-8")
    done = subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu",
         "--allow-file-access-from-files", f"--user-data-dir={folder / 'profile'}",
         "--virtual-time-budget=15000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180)
    dom = done.stdout
    verdict = re.search(r'data-verdict="([^"]*)"', dom)
    labels = re.findall(r'<span[^>]*class="nodeLabel[^"]*"[^>]*>(?:<p>)?([^<]*)', dom)
    return (html.unescape(verdict.group(1)) if verdict else "no verdict"), \
        [html.unescape(label) for label in labels]


def test_the_bundled_agents_and_a_hard_chart_render(project, swmlc, tmp_path, monkeypatch
                                                    ) -> None:
    _browser()
    monkeypatch.chdir(REPO)
    intake = swmlc("graph", "intake").stdout
    verdict, labels = render(intake, tmp_path)
    assert verdict == "rendered"
    assert {"identify", "reason", "announce", "offer_times", "confirm", "scheduling"} <= \
        set(labels)
    project({"agents/shop.yaml": FLOW})
    verdict, labels = render(swmlc("graph", "shop").stdout, tmp_path)
    assert verdict == "rendered"
    assert {'say "hi"', "lost", "stuck", "card", "done"} <= set(labels)


def test_a_broken_chart_is_told_apart(tmp_path) -> None:
    _browser()
    verdict, _ = render("flowchart TD\n    a --> [oops\n", tmp_path)
    assert verdict.startswith("error: ")
