"""End to end in a real browser: `jupyter lab` on 127.0.0.1 + Debian Chromium driven by Playwright.

Screenshots go to test-artifacts/ (git-ignored). Requires /usr/bin/chromium (scripts/test installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = Path(os.environ.get("REVIEWER_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "reviewer-e2e-token"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

DEMO_CELLS = [
    "import yaml",
    "total = add(1, 2)",
    "def add(a, b, seen=[]):\n    seen.append(a)\n    return a + b",
    "def load(path):\n    return yaml.load(open(path))  # TARGET",
    "%load_ext reviewer\n%review demo.ipynb",
]


def _notebook(path: Path, cells: list[str], markdown: bool = True) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC  # without it a modal "Select Kernel" dialog blocks clicks
    nb.cells = ([nbformat.v4.new_markdown_cell("# Demo")] if markdown else []) + [
        nbformat.v4.new_code_cell(c) for c in cells
    ]
    nbformat.write(nb, path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run ./scripts/test, which installs Debian's chromium")
    root = tmp_path_factory.mktemp("nbroot")
    home = tmp_path_factory.mktemp("jhome")
    (root / "pyproject.toml").write_text("[project]\nname='demo'\nversion='0'\ndependencies=['pyyaml']\n")
    _notebook(root / "demo.ipynb", DEMO_CELLS)
    _notebook(root / "broken.ipynb", ["def ok(x=[]):\n    return x", "for i in range(3)\n    print(i)"])
    (root / "unused.py").write_text("import os\n")
    (root / "tool.py").write_text("import subprocess\n\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n")
    _notebook(root / "unparsable.ipynb", ["for i in range(3)\n    print(i)"])
    _notebook(root / "cells.ipynb", ["import yaml", "def load(path):\n    return yaml.load(open(path))  # TARGET"],
              markdown=False)
    _notebook(root / "fix.ipynb", ["import collections\nimport yaml",
                                   "def is_map(x):\n    return isinstance(x, collections.Mapping)  # TARGET",
                                   "data = yaml.load(open('c.yml'))  # UNSAFE"], markdown=False)
    _notebook(root / "big.ipynb", [f"def f{i}(x=[]):\n    return x" for i in range(450)], markdown=False)
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "rt"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(home / "ws"),
               JUPYTER_PLATFORM_DIRS="1")
    port = _free_port()
    log = home / "lab.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--allow-root",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.25)
        else:
            pytest.fail(f"jupyter lab did not start:\n{log.read_text()[-3000:]}")
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited:\n{log.read_text()[-3000:]}")
        yield {"base": base, "root": root, "home": home}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1500, "height": 950})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def _open(page: Any, lab: dict[str, Any], name: str) -> Any:
    page.goto(f"{lab['base']}/lab/tree/{name}?reset&token={TOKEN}")
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    notebook.locator(".jp-Cell").first.wait_for(timeout=60_000)
    page.locator('.jp-SideBar.jp-mod-right li[data-id="jp-reviewer-sidebar"]').click()
    return notebook


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_sidebar_reviews_jumps_and_sees_unsaved_edits(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    notebook = _open(page, lab, "demo.ipynb")
    page.get_by_test_id("reviewer-run").click()
    findings = page.get_by_test_id("reviewer-finding")
    expect(findings.filter(has_text="RV401")).to_have_count(1, timeout=30_000)
    expect(findings.filter(has_text="RV201")).to_have_count(1)
    expect(page.get_by_test_id("reviewer-statusbar")).to_contain_text("error")
    expect(page.get_by_test_id("reviewer-llm")).to_be_hidden()  # no model configured on this server
    _shot(page, "sidebar.png")

    # Click the yaml.load finding: its cell becomes active and the cursor sits on its line.
    findings.filter(has_text="RV102").click()
    active = notebook.locator(".jp-Cell.jp-mod-active")
    expect(active).to_contain_text("TARGET")
    # JupyterLab's status bar shows the cursor of the active editor: line 2, at `yaml.load`.
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Ln 2, Col 12")
    expect(active).to_be_in_viewport()

    # Edit the first code cell without saving; the review sees the live model.
    first = notebook.locator(".jp-Cell").nth(1)
    first.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nanswer = eval(user_input)")
    page.get_by_test_id("reviewer-run").click()
    expect(findings.filter(has_text="RV104")).to_have_count(1, timeout=30_000)
    assert "eval" not in (lab["root"] / "demo.ipynb").read_text(), "the edit was never saved"
    # Filters narrow the list.
    page.get_by_test_id("reviewer-filter-severity").select_option("error")
    expect(findings.filter(has_text="RV104")).to_have_count(0)  # a warning
    expect(findings.filter(has_text="RV201")).to_have_count(0)
    expect(findings.filter(has_text="RV102")).to_have_count(1)
    # Explain renders the rule's documentation as Markdown (headings, not raw `##` text).
    findings.filter(has_text="RV102").get_by_test_id("reviewer-explain").click()
    docs = page.get_by_test_id("reviewer-docs").filter(has_text="What it does")
    expect(docs.locator(".jp-RenderedMarkdown h2").first).to_contain_text("What it does", timeout=15_000)
    expect(docs).not_to_contain_text("## What")
    _shot(page, "sidebar-filtered.png")


def test_widget_renders_from_a_cell(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    notebook = _open(page, lab, "demo.ipynb")
    expect(page.locator("#jp-main-statusbar")).to_contain_text("| Idle", timeout=60_000)
    notebook.locator(".jp-Cell").last.click()
    page.keyboard.press("Shift+Enter")
    widget = notebook.locator(".jp-OutputArea-output .widget-select select")
    expect(widget).to_be_visible(timeout=60_000)
    expect(widget).to_contain_text("RV401")
    _shot(page, "widget.png")


def test_errors_and_huge_notebooks_stay_usable(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    _open(page, lab, "broken.ipynb")
    page.get_by_test_id("reviewer-run").click()
    expect(page.get_by_test_id("reviewer-error")).to_contain_text("syntax error", timeout=30_000)
    expect(page.get_by_test_id("reviewer-finding").filter(has_text="RV201")).to_have_count(1)
    expect(page.get_by_test_id("reviewer-status")).to_contain_text("not reviewed")

    _open(page, lab, "unparsable.ipynb")
    page.get_by_test_id("reviewer-run").click()
    expect(page.get_by_test_id("reviewer-error")).to_contain_text("syntax error", timeout=30_000)
    # An error and no findings is not an all-clear.
    expect(page.get_by_test_id("reviewer-status")).to_contain_text("Not fully reviewed")
    expect(page.get_by_test_id("reviewer-status")).not_to_contain_text("No findings")

    _open(page, lab, "big.ipynb")
    page.get_by_test_id("reviewer-run").click()
    more = page.get_by_test_id("reviewer-more")
    expect(more).to_contain_text("of 250", timeout=60_000)  # 450 findings, 200 rendered
    expect(page.get_by_test_id("reviewer-finding")).to_have_count(200)
    more.click()
    expect(page.get_by_test_id("reviewer-finding")).to_have_count(400)


def test_python_file_without_a_kernel(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{lab['base']}/lab/tree/tool.py?reset&token={TOKEN}")
    editor = page.locator(".jp-FileEditor:not(.lm-mod-hidden)")
    editor.locator(".cm-content").wait_for(timeout=60_000)
    page.locator('.jp-SideBar.jp-mod-right li[data-id="jp-reviewer-sidebar"]').click()
    page.get_by_test_id("reviewer-run").click()
    finding = page.get_by_test_id("reviewer-finding").filter(has_text="RV103")
    expect(finding).to_have_count(1, timeout=30_000)
    expect(page.locator(".jp-reviewer-group-title")).to_contain_text("tool.py")
    finding.click()
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Ln 5, Col 12")


def test_dark_theme_uses_jupyterlab_colours(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    themes = lab["home"] / "settings" / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    themes.write_text(json.dumps({"theme": "JupyterLab Dark"}))
    try:
        _open(page, lab, "demo.ipynb")
        page.get_by_test_id("reviewer-run").click()
        expect(page.get_by_test_id("reviewer-finding").first).to_be_visible(timeout=30_000)
        background = page.locator("#jp-reviewer-sidebar").evaluate("n => getComputedStyle(n).backgroundColor")
        channels = [int(c) for c in background[background.index("(") + 1 : background.index(")")].split(",")[:3]]
        assert sum(channels) / 3 < 90, background
        _shot(page, "sidebar-dark.png")
    finally:
        themes.unlink()


def test_results_follow_cells_and_documents_and_show_in_the_editor(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    notebook = _open(page, lab, "cells.ipynb")
    expect(page.get_by_test_id("reviewer-empty")).to_contain_text("Review this document")
    expect(page.get_by_test_id("reviewer-document")).to_contain_text("cells.ipynb")
    # Ctrl+Alt+R in the notebook reviews it; the toolbar and the command palette offer the same.
    notebook.locator(".jp-Cell").first.click()
    page.keyboard.press("Control+Alt+r")
    finding = page.get_by_test_id("reviewer-finding").filter(has_text="RV102")
    expect(finding).to_have_count(1, timeout=30_000)
    expect(notebook.get_by_test_id("reviewer-toolbar")).to_have_count(1)
    # Backticked names in messages are rendered as code, not as literal backticks.
    expect(finding.locator(".jp-reviewer-message code").first).to_be_visible()
    # Inline: the yaml.load call is underlined in its cell, with a gutter marker.
    target = notebook.locator(".jp-Cell").filter(has_text="TARGET")
    # (CodeMirror splits one underline into a span per highlighted token.)
    expect(target.locator(".cm-lintRange-error").first).to_be_visible(timeout=15_000)
    expect(target.locator(".cm-lint-marker-error")).to_have_count(1)
    _shot(page, "inline.png")

    # Insert a cell above the first one (Esc, A): the finding still leads to its own cell (by id).
    notebook.locator(".jp-Cell").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    expect(notebook.locator(".jp-Cell")).to_have_count(3)
    expect(page.get_by_test_id("reviewer-stale")).to_be_visible()  # edited since the review
    expect(target.locator(".cm-lintRange-error")).to_have_count(0)  # stale marks are removed
    finding.focus()
    page.keyboard.press("Enter")  # the list works from the keyboard
    expect(notebook.locator(".jp-Cell.jp-mod-active")).to_contain_text("TARGET")
    expect(page.locator("#jp-main-statusbar")).to_contain_text("Ln 2, Col 12")

    # Another document (opened from the file browser, same page): its own, empty state; back
    # again: the notebook's findings.
    browser_tab = page.locator('.jp-SideBar.jp-mod-left li[data-id="filebrowser"]')
    if browser_tab.get_attribute("aria-selected") != "true":
        browser_tab.click()
    page.locator(".jp-DirListing-item").filter(has_text="tool.py").dblclick()
    page.locator(".jp-FileEditor:not(.lm-mod-hidden) .cm-content").wait_for(timeout=60_000)
    expect(page.get_by_test_id("reviewer-document")).to_contain_text("tool.py")
    expect(page.get_by_test_id("reviewer-finding")).to_have_count(0)
    page.locator(".lm-TabBar-tab").filter(has_text="cells.ipynb").click()
    expect(page.get_by_test_id("reviewer-document")).to_contain_text("cells.ipynb")
    expect(page.get_by_test_id("reviewer-finding").filter(has_text="RV102")).to_have_count(1)


def test_a_finding_whose_cell_was_deleted_says_so(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    notebook = _open(page, lab, "cells.ipynb")
    page.get_by_test_id("reviewer-run").click()
    finding = page.get_by_test_id("reviewer-finding").filter(has_text="RV102")
    expect(finding).to_have_count(1, timeout=30_000)
    notebook.locator(".jp-Cell").filter(has_text="TARGET").locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("d")
    page.keyboard.press("d")
    expect(notebook.locator(".jp-Cell").filter(has_text="TARGET")).to_have_count(0)
    finding.click()
    expect(page.get_by_test_id("reviewer-status")).to_contain_text("was deleted since the review")


def test_review_as_you_type_refreshes_after_a_pause(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    settings = lab["home"] / "settings" / "jupyterlab-reviewer" / "plugin.jupyterlab-settings"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"reviewAsYouType": True}))
    try:
        notebook = _open(page, lab, "cells.ipynb")
        page.get_by_test_id("reviewer-run").click()
        findings = page.get_by_test_id("reviewer-finding")
        expect(findings.filter(has_text="RV102")).to_have_count(1, timeout=30_000)
        first = notebook.locator(".jp-Cell").first
        first.locator(".cm-content").click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\nanswer = eval(user_input)")
        # No click on Review: the pause in typing triggers it, and the stale badge goes away.
        expect(findings.filter(has_text="RV104")).to_have_count(1, timeout=30_000)
        expect(page.get_by_test_id("reviewer-stale")).to_be_hidden()
    finally:
        settings.unlink()


def test_palette_tool_code_docs_and_accessible_names(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    _open(page, lab, "demo.ipynb")
    page.locator(".lm-MenuBar-itemLabel", has_text="View").click()
    page.locator(".lm-Menu-itemLabel", has_text="Activate Command Palette").click()
    search = page.locator(".lm-CommandPalette-input")
    expect(search).to_be_focused()
    search.fill("reviewer")
    palette = page.locator(".lm-CommandPalette-item")
    expect(palette.filter(has_text="Review the active notebook or file")).to_have_count(1)
    expect(palette.filter(has_text="Show the reviewer panel")).to_have_count(1)
    palette.filter(has_text="Review the active notebook or file").click()
    expect(page.get_by_test_id("reviewer-finding").first).to_be_visible(timeout=30_000)
    # Every finding has an accessible name; the list says what it holds.
    named = page.get_by_role("button", name="error RV102 on line 2")
    expect(named).to_have_count(1)
    expect(page.get_by_role("list", name="Findings in Cell 5")).to_have_count(1)
    # A ruff code's documentation comes from ruff itself, rendered, with a link to the full page.
    page.goto(f"{lab['base']}/lab/tree/unused.py?reset&token={TOKEN}")
    page.locator(".jp-FileEditor:not(.lm-mod-hidden) .cm-content").wait_for(timeout=60_000)
    page.locator('.jp-SideBar.jp-mod-right li[data-id="jp-reviewer-sidebar"]').click()
    page.get_by_test_id("reviewer-run").click()
    unused = page.get_by_test_id("reviewer-finding").filter(has_text="F401")
    expect(unused).to_have_count(1, timeout=30_000)
    unused.get_by_test_id("reviewer-explain").click()
    docs = unused.get_by_test_id("reviewer-docs")
    expect(docs).to_contain_text("documented by ruff", timeout=15_000)
    expect(docs.locator(".jp-RenderedMarkdown h2").first).to_be_visible()
    expect(docs.get_by_role("link", name="Full documentation")).to_have_count(1)


def test_fix_edits_the_live_cell_undoably_and_fix_all_applies_the_safe_ones(lab: dict[str, Any], page: Any) -> None:
    from playwright.sync_api import expect

    saved = (lab["root"] / "fix.ipynb").read_text()
    notebook = _open(page, lab, "fix.ipynb")
    page.get_by_test_id("reviewer-run").click()
    findings = page.get_by_test_id("reviewer-finding")
    removed = findings.filter(has_text="RV305")
    expect(removed).to_have_count(1, timeout=30_000)
    expect(findings.filter(has_text="RV102").get_by_test_id("reviewer-fix")).to_have_text("fix (unsafe)")
    target = notebook.locator(".jp-Cell").filter(has_text="TARGET")
    removed.get_by_test_id("reviewer-fix").click()
    # The cell changed in the editor (the import the fix needs came with it); the review that
    # follows no longer lists the finding; nothing was written to disk.
    expect(target.locator(".cm-content")).to_contain_text("collections.abc.Mapping", timeout=15_000)
    expect(target.locator(".cm-content")).to_contain_text("import collections.abc")
    expect(removed).to_have_count(0, timeout=30_000)
    assert (lab["root"] / "fix.ipynb").read_text() == saved
    _shot(page, "fixed.png")
    # Ctrl+Z in the cell undoes the fix.
    target.locator(".cm-content").click()
    page.keyboard.press("Control+z")
    expect(target.locator(".cm-content")).not_to_contain_text("collections.abc", timeout=15_000)
    expect(page.get_by_test_id("reviewer-stale")).to_be_visible()
    # Review again, then fix every safe finding at once: the unsafe yaml fix is left alone.
    page.get_by_test_id("reviewer-run").click()
    expect(removed).to_have_count(1, timeout=30_000)
    page.get_by_test_id("reviewer-fix-all").click()
    expect(target.locator(".cm-content")).to_contain_text("collections.abc.Mapping", timeout=15_000)
    expect(removed).to_have_count(0, timeout=30_000)
    expect(notebook.locator(".jp-Cell").filter(has_text="UNSAFE")).to_contain_text("yaml.load(")
    assert (lab["root"] / "fix.ipynb").read_text() == saved
