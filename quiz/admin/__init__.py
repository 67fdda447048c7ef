from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from quiz.admin import routes, roster_routes  # noqa: E402,F401
