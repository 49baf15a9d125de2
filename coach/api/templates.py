"""HTML rendering with Jinja2 templates from coach/templates (autoescaped)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from coach.grading.models import GradeReport


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("coach", "templates"), autoescape=select_autoescape(["html"]))


def render_report_html(report: GradeReport) -> str:
    return environment().get_template("report.html").render(report=report)
