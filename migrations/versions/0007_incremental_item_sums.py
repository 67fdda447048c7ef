"""reports: incremental item sums (round_item_attempts, round_item_state; round_item_sums without fingerprint)

The stored item sums of a round are no longer replaced per results fingerprint: they are kept up to date by
folding in the attempts submitted since (``quiz/reports/stored.py``). ``round_item_sums`` only holds derived
figures, so it is rebuilt empty (the next report or ``flask reports refresh`` fills it again).

Revision ID: 0007_incremental_item_sums
Revises: 0006_report_indexes
Create Date: 2026-11-24 01:00:00
"""
from alembic import op
import sqlalchemy as sa

import quiz.models.base

revision = '0007_incremental_item_sums'
down_revision = '0006_report_indexes'
branch_labels = None
depends_on = None


def _sums_table(with_fingerprint: bool) -> None:
    key = ['round_id', 'fingerprint'] if with_fingerprint else ['round_id']
    op.create_table(
        'round_item_sums',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        *([sa.Column('fingerprint', sa.String(length=120), nullable=False)] if with_fingerprint else []),
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
        sa.UniqueConstraint(*key, 'question_id', 'revision_id', 'pattern', name='uq_round_item_sums_key'),
    )


def upgrade() -> None:
    op.drop_table('round_item_sums')
    _sums_table(with_fingerprint=False)
    op.create_table(
        'round_item_attempts',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('attempt_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('submitted_at', quiz.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('score', sa.Numeric(precision=10, scale=4), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_item_attempts_round_id_rounds'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', 'attempt_id', name=op.f('pk_round_item_attempts')),
    )
    op.create_table(
        'round_item_state',
        sa.Column('round_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('refreshed_at', quiz.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('rebuilt_at', quiz.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_item_state_round_id_rounds'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', name=op.f('pk_round_item_state')),
    )


def downgrade() -> None:
    op.drop_table('round_item_state')
    op.drop_table('round_item_attempts')
    op.drop_table('round_item_sums')
    _sums_table(with_fingerprint=True)
