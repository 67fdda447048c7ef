"""rounds: leaderboard_misses (live leaderboard updates that did not reach Redis; part of a live board's signature)

Revision ID: 0010_round_leaderboard_misses
Revises: 0009_attempt_key_shown_at
Create Date: 2026-12-07 23:50:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0010_round_leaderboard_misses'
down_revision = '0009_attempt_key_shown_at'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rounds') as batch:
        batch.add_column(sa.Column('leaderboard_misses', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('rounds') as batch:
        batch.drop_column('leaderboard_misses')
