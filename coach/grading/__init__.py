"""Grading answers against a key-point rubric, offline or with an LLM."""
