import pytest
from jinja2 import UndefinedError

from coach.prompts import render


def test_grade_prompts_render():
    assert "senior interviewer" in render("grade.v2.system", kind_label="system-design", pitfalls=[])
    assert "<<<ANSWER-abc" in render("grade.v2.user", question="Q", brief=[], key_points=[], pitfalls=[], answer="A", nonce="abc")


def test_missing_variables_fail_loudly():
    with pytest.raises(UndefinedError):
        render("grade.v2.system")
