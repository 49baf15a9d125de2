"""The question bank and pattern library, loaded from `seeds/`."""

from coach.bank.loader import QuestionBank, load_bank
from coach.bank.models import Dimension, Difficulty, KeyPoint, Kind, Pattern, Question

__all__ = ["Dimension", "Difficulty", "KeyPoint", "Kind", "Pattern", "Question", "QuestionBank", "load_bank"]
