"""attempts: key_shown_at, when the review with the answer key was first served to the student

A student who has seen the key may not answer the round again (no new attempt, no reopening or extension from the
monitor). Existing attempts stay NULL: the rule of ``quiz/attempts/review.py`` protects their rounds from now on.

Revision ID: 0009_attempt_key_shown_at
Revises: 0008_user_search_name
Create Date: 2026-12-07 23:50:00
"""
from alembic import op
import sqlalchemy as sa

from quiz.models.base import UTCDateTime

revision = '0009_attempt_key_shown_at'
down_revision = '0008_user_search_name'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attempts') as batch:
        batch.add_column(sa.Column('key_shown_at', UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('attempts') as batch:
        batch.drop_column('key_shown_at')
