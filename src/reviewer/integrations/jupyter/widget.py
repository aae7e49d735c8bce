"""`reviewer.show(report)`: an ipywidgets view of a report (filters, list, details) for classic
Notebook, VS Code and Colab users; `ReportView.findings` is the same JSON the other surfaces use."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from reviewer.model import Category, Report, Severity
from reviewer.report.text import summary_line

_GLYPH = {"error": "●", "warning": "▲", "note": "ℹ"}  # in every font, unlike emoji


def _where(finding: dict[str, Any]) -> str:
    loc = finding["location"]
    cell = f"cell {loc['cell'] + 1}, " if loc["cell"] is not None else ""
    return f"{cell}line {loc['line']}"


class ReportView(widgets.VBox):
    def __init__(self, report: Report) -> None:
        self.report = report
        #: The findings as JSON dicts: exactly what `--format json` and the sidebar receive.
        self.findings: list[dict[str, Any]] = [f.to_dict() for f in report.findings]
        self._severity = widgets.Dropdown(
            options=[("All severities", "all")] + [(s.value, s.value) for s in Severity],
            value="all", description="Severity", layout=widgets.Layout(width="auto"))
        self._category = widgets.Dropdown(
            options=[("All categories", "all")] + [(c.value, c.value) for c in Category],
            value="all", description="Category", layout=widgets.Layout(width="auto"))
        self._list = widgets.Select(options=[], rows=12, layout=widgets.Layout(width="100%"))
        self._details = widgets.HTML()
        header = widgets.HTML(f"<b>reviewer</b>: {html.escape(summary_line(report))}")
        errors = [
            widgets.HTML(f"<div style='color:var(--jp-error-color1,#c00)'>[{html.escape(e.tool)}] "
                         f"{html.escape(e.path or '')} {html.escape(e.message)}</div>")
            for e in report.errors
        ]
        for control in (self._severity, self._category):
            control.observe(lambda _change: self._refresh(), names="value")
        self._list.observe(lambda _change: self._show_details(), names="value")
        super().__init__([header, *errors, widgets.HBox([self._severity, self._category]),
                          self._list, self._details])
        self._refresh()

    def visible(self) -> list[dict[str, Any]]:
        severity, category = self._severity.value, self._category.value
        return [f for f in self.findings
                if severity in ("all", f["severity"]) and category in ("all", f["category"])]

    def _refresh(self) -> None:
        shown = self.visible()
        self._list.options = [
            (f"{_GLYPH[f['severity']]} {f['code']}  {_where(f)}: {f['message']}", index)
            for index, f in enumerate(shown)
        ]
        self._list.value = 0 if shown else None
        self._show_details()

    def _show_details(self) -> None:
        shown = self.visible()
        index = self._list.value
        if index is None or index >= len(shown):
            self._details.value = "<i>No findings match the filters.</i>" if not shown else ""
            return
        f = shown[index]
        parts = [
            (f"<b>{html.escape(f['code'])}</b> <code>{html.escape(f['name'])}</code> "
            f"({html.escape(f['severity'])}, {html.escape(f['category'])}, "
            f"confidence {html.escape(f['confidence'])})"),
            f"{html.escape(f['location']['path'])}, {_where(f)}",
            html.escape(f["message"]),
        ]
        if f["fix"]:
            parts.append(f"Fix: {html.escape(f['fix']['description'])}")
        if f["cwe"]:
            parts.append("CWE: " + ", ".join(f"CWE-{c}" for c in f["cwe"]))
        if f["url"]:
            parts.append(f"<a href='{html.escape(f['url'])}' target='_blank'>Documentation</a>")
        self._details.value = "<br>".join(parts)


def show(report: Report | dict[str, Any]) -> ReportView:
    """Accepts a Report or its JSON (e.g. loaded from `reviewer scan --format json`)."""
    if isinstance(report, dict):
        data = {k: v for k, v in report.items() if k != "summary"}
        report = Report.from_dict(data)
    if not isinstance(report, Report):
        raise TypeError(f"show() takes a reviewer Report or its JSON, not {type(report).__name__}")
    return ReportView(report)
