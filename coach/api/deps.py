"""Dependency aliases, in one place."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from coach.interview.manager import Interviews
from coach.interview.services import Services


def get_services(request: Request) -> Services:
    return request.app.state.services


def get_interviews(request: Request) -> Interviews:
    return request.app.state.interviews


ServicesDep = Annotated[Services, Depends(get_services)]
InterviewsDep = Annotated[Interviews, Depends(get_interviews)]
