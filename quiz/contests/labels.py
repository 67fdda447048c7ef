"""The words users see for contest statuses, scopes and settings (translated at render time)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from quiz.contests.eligibility import RoundState
from quiz.models import ContestScope, ContestStatus, PaperMode, ReviewPolicy, ScoringRule

CONTEST_STATUS = {
    ContestStatus.DRAFT: _l("Draft"),
    ContestStatus.SCHEDULED: _l("Scheduled"),
    ContestStatus.OPEN: _l("Open now"),
    ContestStatus.CLOSED: _l("Closed"),
    ContestStatus.PUBLISHED: _l("Results published"),
}

ROUND_STATE = {
    RoundState.DRAFT: _l("Draft"),
    RoundState.UPCOMING: _l("Opens later"),
    RoundState.OPEN: _l("Open now"),
    RoundState.CLOSED: _l("Closed"),
    RoundState.PUBLISHED: _l("Results published"),
}

# CSS badge class per status value (draft and closed stay grey).
STATUS_BADGE = {"draft": "", "scheduled": "info", "open": "ok", "closed": "", "published": "warn"}

SCOPE = {
    ContestScope.PROVINCE: _l("Province-wide contest"),
    ContestScope.SCHOOL: _l("School contest"),
    ContestScope.CLASS: _l("Class contest"),
}

REVIEW_POLICY = {
    ReviewPolicy.NEVER: _l("Never"),
    ReviewPolicy.AFTER_SUBMIT: _l("Right after submitting"),
    ReviewPolicy.AFTER_CLOSE: _l("After the round closes"),
}

SCORING_RULE = {
    ScoringRule.BEST: _l("The best attempt counts"),
    ScoringRule.LAST: _l("The last attempt counts"),
}

PAPER_MODE = {
    PaperMode.DRAW: _l("Stratified draw: each student gets their own draw"),
    PaperMode.FIXED: _l("Fixed list of questions"),
}

MONITOR_STATE = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "submitted": _l("Submitted"),
}
