import pytest
from jinja2 import UndefinedError

from coach.prompts import render


def test_grade_prompts_render():
    assert "senior interviewer" in render("grade.v1.system", kind_label="system-design")
    assert "<<<ANSWER-abc" in render("grade.v1.user", question="Q", key_points=[], answer="A", nonce="abc")


def test_missing_variables_fail_loudly():
    with pytest.raises(UndefinedError):
        render("grade.v1.system")
