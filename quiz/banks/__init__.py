"""Question banks: the Department's shared banks and teachers' own banks."""
from flask import Blueprint

bp = Blueprint("banks", __name__, url_prefix="/banks")

from quiz.banks import routes  # noqa: E402,F401
