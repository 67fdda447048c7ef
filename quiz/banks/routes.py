"""Pages of the question banks (list, edit, import, export)."""
from __future__ import annotations

from quiz.banks import bp  # noqa: F401
