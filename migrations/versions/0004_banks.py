"""questions: index for keyset paging of a bank's questions (bank, updated_at, id)

Revision ID: 0004_banks
Revises: 0002_banks_contests
Create Date: 2026-11-22 10:00:00
"""
from alembic import op

revision = '0004_banks'
down_revision = '0002_banks_contests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index('ix_questions_bank_updated', ['bank_id', 'updated_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('ix_questions_bank_updated')
