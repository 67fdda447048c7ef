"""Leaderboards and unit rankings."""
from flask import Blueprint

bp = Blueprint("leaderboards", __name__)

from quiz.leaderboards import routes  # noqa: E402,F401
