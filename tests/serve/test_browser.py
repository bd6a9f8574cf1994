"""Issue 15, point 4: the /calls page, rendered by a real browser (headless Chromium, Debian's
package), shows the calls posted; the page of one call shows its parsed result and its
conversation. The browser is given a proxy that goes nowhere (loopback bypasses it), so a page
that fetched anything from the network (a CDN's script or font) would not get it: the pages
work offline, and the server's log shows the browser asked it for nothing but the pages.
Skipped, with the reason, when Chromium is not installed (apt-get install chromium)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.serve.conftest import AUTH, payload

pytestmark = pytest.mark.slow

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (Debian: apt-get install -y chromium)")


def render(browser: str, url: str, home: Path, screenshot: Path | None = None) -> str:
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
            "--no-first-run", f"--user-data-dir={home}", "--proxy-server=127.0.0.1:9",
            "--window-size=1200,900"]
    if screenshot is not None:
        subprocess.run([*args, f"--screenshot={screenshot}", url], capture_output=True,
                       timeout=120, check=True)
    out = subprocess.run([*args, "--dump-dom", url], capture_output=True, text=True,
                         timeout=120, check=True)
    return out.stdout


def test_the_calls_page_in_a_real_browser(start, tmp_path: Path) -> None:
    browser = _browser()
    server = start()
    with server.client(auth=AUTH) as http:
        for i, (name, number, reason) in enumerate([
                ("Ana Lima", "+15035550101", "vaccines"),
                ("Bo Chen", "+15035550102", "limping dog"),
                ("Cy <script>alert(1)</script>", "+15035550103", "billing")]):
            body = payload(f"call-{i}", caller_id_name=name, caller_id_number=number,
                           post_prompt_data={"raw": reason, "parsed": [{"reason": reason}]})
            assert http.post(f"/post_prompt/{'alpha' if i < 2 else 'beta'}",
                             json=body).status_code == 200
    base = server.url.replace("http://", f"http://{AUTH[0]}:{AUTH[1]}@")
    dom = render(browser, f"{base}/calls", tmp_path / "chromium", tmp_path / "calls.png")
    assert "<h2 id=\"agent-alpha\">alpha</h2>" in dom and "<h2 id=\"agent-beta\">beta</h2>" in dom
    for text in ("Ana Lima +15035550101", "Bo Chen +15035550102", "reason: vaccines",
                 "reason: limping dog", "reason: billing"):
        assert text in dom, text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown as text, never run
    assert (tmp_path / "calls.png").stat().st_size > 10_000  # it painted something
    detail = render(browser, f"{base}/calls/call-1", tmp_path / "chromium")
    assert "<th>reason</th><td>limping dog</td>" in detail.replace("\n", "")
    assert "My dog needs his shots." in detail and "Thank you for calling." in detail
    served = [(e["path"], e["status"]) for e in server.events("request")]
    assert served.count(("/calls", 200)) == 2 and ("/calls/call-1", 200) in served
    # the browser asked for nothing else (no stylesheet, script or font to fetch)
    assert {p for p, _ in served} <= {"/calls", "/calls/call-1", "/post_prompt/alpha",
                                      "/post_prompt/beta", "/favicon.ico"}
