"""Report pages, JSON and XLSX workbooks."""
from __future__ import annotations

from quiz.reports import bp  # noqa: F401
