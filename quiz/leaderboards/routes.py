"""Leaderboard pages and JSON."""
from __future__ import annotations

from quiz.leaderboards import bp  # noqa: F401
