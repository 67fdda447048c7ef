"""Awards and PDF certificates with QR verification."""
from flask import Blueprint

bp = Blueprint("certificates", __name__)

from quiz.certificates import routes  # noqa: E402,F401
