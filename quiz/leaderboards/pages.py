"""Leaderboard HTML pages."""
from __future__ import annotations
