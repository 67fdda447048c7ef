"""reports: round_item_sums (a closed round's item statistics, stored once per results fingerprint)

Revision ID: 0006_report_indexes
Revises: 0005_merge
Create Date: 2026-11-23 02:00:00
"""
from alembic import op
import sqlalchemy as sa

import quiz.models.base

revision = '0006_report_indexes'
down_revision = '0005_merge'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'round_item_sums',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=120), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('revision_id', sa.Integer(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('pattern', sa.String(length=400), nullable=False),
        sa.Column('students', sa.Integer(), nullable=False),
        sa.Column('score_sum', sa.Float(), nullable=False),
        sa.Column('score_squares', sa.Float(), nullable=False),
        sa.Column('computed_at', quiz.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_item_sums_round_id_rounds'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_item_sums')),
        sa.UniqueConstraint('round_id', 'fingerprint', 'question_id', 'revision_id', 'pattern',
                            name='uq_round_item_sums_key'),
    )


def downgrade() -> None:
    op.drop_table('round_item_sums')
