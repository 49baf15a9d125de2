"""HTML rendering with Jinja2 templates from coach/templates (autoescaped)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from coach.grading.models import GradeReport
from coach.grading.report import clock, phase_name


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("coach", "templates"), autoescape=select_autoescape(["html"]))
    env.filters.update(clock=clock, phase_name=phase_name)
    return env


def render_report_html(report: GradeReport) -> str:
    return environment().get_template("report.html").render(report=report)
