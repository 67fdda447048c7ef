"""users: search_name (full name and username folded: no accents, lower case) for accent-insensitive pupil search

Existing accounts are filled in here; new and changed ones by the ORM (``quiz/models/users.py``).

Revision ID: 0008_user_search_name
Revises: 0007_incremental_item_sums
Create Date: 2026-12-04 18:45:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0008_user_search_name'
down_revision = '0007_incremental_item_sums'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from quiz.models.users import search_name_of

    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('search_name', sa.String(length=300), server_default='', nullable=False))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                     sa.column('username', sa.String), sa.column('search_name', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.full_name, users.c.username)).all()
    if rows:
        connection.execute(users.update().where(users.c.id == sa.bindparam('user_id'))
                           .values(search_name=sa.bindparam('folded')),
                           [{'user_id': r.id, 'folded': search_name_of(r.full_name, r.username)} for r in rows])


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('search_name')
