"""Reports and item analysis after every round."""
from flask import Blueprint

bp = Blueprint("reports", __name__)

from quiz.reports import routes  # noqa: E402,F401
