"""Leaderboards and unit rankings."""
