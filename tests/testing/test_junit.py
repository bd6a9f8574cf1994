"""``swmlc test --junit FILE`` / ``--format junit``: JUnit XML that the schema CI servers read
accepts (Jenkins xUnit's junit-10.xsd, kept beside this test under its MIT licence), with a
testsuite per test file, a testcase per case and agent, failures carrying their file:line:col,
and skipped cases marked."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.testing.test_cases import HEAD, PASSING

XSD = Path(__file__).with_name("junit-10.xsd")


@pytest.fixture(scope="module")
def schema():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(XSD))


def test_a_run_with_passes_failures_and_skips_is_valid_junit(shop, swmlc, schema) -> None:
    root = shop(PASSING + "  - name: fails\n    function: lookup\n    args: {name: Ann}\n"
                "    expect: {response: Nope}\n")
    result = swmlc("test", "--junit", "reports/junit.xml")
    assert result.exit_code == 1
    text = (root / "reports/junit.xml").read_text(encoding="utf-8")
    schema.validate(text)
    tree = ET.fromstring(text)
    assert (tree.get("tests"), tree.get("failures"), tree.get("errors")) == ("5", "1", "0")
    [suite] = tree.findall("testsuite")
    assert (suite.get("name"), suite.get("tests"), suite.get("failures"),
            suite.get("skipped")) == ("tests/agents/shop.test.yaml", "5", "1", "1")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == ["a known customer [shop]", "an error key falls back to the output "
                           "[shop]", "a whole order [shop]", "skipped for now [shop]",
                           "fails [shop]"]
    assert cases["a whole order [shop]"].get("classname") == "tests.agents.shop"
    assert cases["skipped for now [shop]"].find("skipped").get("message") == \
        "the shop is closed"
    failure = cases["fails [shop]"].find("failure")
    assert (failure.get("type"), failure.get("message")) == (
        "SWC706", 'expect.response: the response is not "Nope"')
    assert failure.text.splitlines() == [
        'tests/agents/shop.test.yaml:35:24: expect.response: the response is not "Nope"',
        "  got: Found Ann Lee."]


def test_a_test_file_that_cannot_run_is_a_junit_error(shop, swmlc, schema) -> None:
    shop(HEAD + "  - name: x\n    fuction: lookup\n")
    result = swmlc("test", "--format", "junit")
    schema.validate(result.stdout)
    tree = ET.fromstring(result.stdout)
    assert tree.get("errors") == "1"
    error = tree.find("testsuite/testcase/error")
    assert error.get("type") == "SWC701"
    assert error.text.startswith("tests/agents/shop.test.yaml:5:5: unknown key 'fuction'")
