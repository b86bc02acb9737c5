"""axe-core in the browser tests: run it on the page shown and list what it finds.

axe-core comes from the npm registry into `.node/` (`make test` installs it: the Makefile's
`$(AXE)` target). It is evaluated in the page through the DevTools protocol, which the pages'
Content-Security-Policy does not govern (a `<script>` tag with the source inline would be
blocked, as it should be), and only on pages where it is not loaded yet.
"""

from functools import cache
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / ".node" / "node_modules" / "axe-core" / "axe.min.js"

# What fails a page: a violation of these impacts (axe's WCAG A/AA rules and best practices),
# and the rules issue 20 named whatever their impact (a header cell with no text).
FAILING_IMPACTS = ("serious", "critical")
FAILING_RULES = ("empty-table-header",)

RUN = """async ([impacts, rules]) => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations
    .filter((violation) => impacts.includes(violation.impact) || rules.includes(violation.id))
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(" "),
        html: node.html.slice(0, 200),
        summary: node.failureSummary,
      })),
    }));
}"""


@cache
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test` (or `make {AXE_JS.relative_to(AXE_JS.parents[3])}`)")
    return AXE_JS.read_text(encoding="utf-8")


def serious_violations(page):
    """The failing axe-core violations on the page (rule, impact, nodes), each as readable text."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found = page.evaluate(RUN, [list(FAILING_IMPACTS), list(FAILING_RULES)])
    return [describe(violation) for violation in found]


def describe(violation):
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        lines.append(f"    {node['target']}  {node['html']}")
        lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)
