"""Certificate pages, downloads and the public verification page."""
from __future__ import annotations

from quiz.certificates import bp  # noqa: F401
