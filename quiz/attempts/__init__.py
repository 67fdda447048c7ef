from flask import Blueprint

bp = Blueprint("attempts", __name__)

from quiz.attempts import api, routes  # noqa: E402,F401
