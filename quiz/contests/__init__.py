"""Contests and rounds: organisers' pages and services."""
from flask import Blueprint

bp = Blueprint("contests", __name__, url_prefix="/contests")

from quiz.contests import routes  # noqa: E402,F401
