"""Browser tests: Debian's Chromium driven by Playwright, axe-core for accessibility.

The browser is never downloaded: Playwright is pointed at ``/usr/bin/chromium`` (or
``OSTAL_CHROMIUM``). Without it, these tests are skipped with a message naming the package.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

# Playwright's sync API keeps an event loop running in the test thread for the session;
# Django refuses ORM calls from such a thread unless told the test does so knowingly.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("OSTAL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="Debian package 'chromium' missing: apt-get install chromium")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# Contrast of the nodes axe could not decide (``incomplete``): axe files a 1:1 contrast (white
# on white) as incomplete, not as a violation, so a helper that reads only the violations let
# a dozen invisible buttons through. For each such node this computes the contrast itself:
# the text colour over the backgrounds of the node and its ancestors, composited from the
# page's white canvas up (alpha blended). A background image or gradient on the way makes
# the contrast undecidable, which fails too. Large text (24 px, or 18.66 px bold) needs 3:1,
# other text 4.5:1 (RGAA 3.2, WCAG 1.4.3).
_CONTRAST_JS = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) return {error: 'not found'};
  const rgba = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.backgroundImage !== 'none') return {error: 'background image on ' + node.tagName};
    const bg = rgba(style.backgroundColor);
    if (bg && bg[3] > 0) layers.push(bg);
    if (bg && bg[3] === 1) break;
  }
  let background = [255, 255, 255, 1];
  for (const layer of layers.reverse()) background = over(layer, background);
  const style = getComputedStyle(el);
  const fg = over(rgba(style.color), background);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(fg), lum(background)].sort((a, b) => b - a);
  const size = parseFloat(style.fontSize);
  const bold = parseInt(style.fontWeight, 10) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  return {ratio: (hi + 0.05) / (lo + 0.05), required: large ? 3 : 4.5,
          fg: style.color, bg: 'rgb(' + background.slice(0, 3).map(Math.round).join(', ') + ')'};
}
"""


def contrast(page: Any, selector: str) -> dict[str, Any]:
    """The text contrast of the element ``selector`` as computed above: ``ratio``,
    ``required``, ``fg``, ``bg``; or ``error`` when it cannot be decided."""
    found: dict[str, Any] = page.evaluate(_CONTRAST_JS, selector)
    return found


def unreadable_contrasts(page: Any, incomplete: list[dict[str, Any]]) -> list[str]:
    """The nodes of axe's incomplete colour-contrast results whose text is not readable
    (or whose contrast cannot be decided), each described in one line."""
    failures = []
    for result in incomplete:
        if result["id"] != "color-contrast":
            continue
        for node in result["nodes"]:
            target = node["target"][-1] if node["target"] else ""
            if not isinstance(target, str):  # inside a shadow root: not used by Ostal
                failures.append(f"{node['target']}: contrast undecided")
                continue
            found = contrast(page, target)
            if "error" in found:
                failures.append(f"{target}: contrast undecided ({found['error']})")
            elif found["ratio"] < found["required"]:
                failures.append(
                    f"{target}: contrast {found['ratio']:.2f}:1 < {found['required']}:1 "
                    f"({found['fg']} on {found['bg']}) — {node['html'][:80]}"
                )
    return failures


@pytest.fixture
def axe_check() -> Any:
    """Run axe on the page and fail on serious or critical violations, and on text whose
    contrast axe left undecided (``incomplete``) and that is not readable, listing them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any) -> list[dict[str, Any]]:
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        assert not bad, "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        )
        unreadable = unreadable_contrasts(page, results.response["incomplete"])
        assert not unreadable, "Texte illisible (contraste) :\n" + "\n".join(unreadable)
        return results.response["violations"]

    return check
