"""one_time_passwords: a roster import's plain one-time passwords, kept only while they are valid

Until now every imported pupil's one-time password stayed in ``roster_imports.accounts`` in plain text for
ever, also after the pupil had chosen their own. The passwords move to ``one_time_passwords`` (deleted when the
password changes: ``quiz.auth.service.set_password``), and only those still valid move: the account still has
to change its password and no staff reset was made since the import (audit ``user.reset_password``). Every
``"password"`` is removed from ``roster_imports.accounts``. The downgrade puts the still-valid ones back.

Revision ID: 0011_one_time_passwords
Revises: 0010_round_leaderboard_misses
Create Date: 2026-12-07 23:50:00
"""
from alembic import op
import sqlalchemy as sa

from quiz.models.base import JSONType, UTCDateTime

revision = '0011_one_time_passwords'
down_revision = '0010_round_leaderboard_misses'
branch_labels = None
depends_on = None

imports = sa.table('roster_imports', sa.column('id', sa.Integer), sa.column('created_at', UTCDateTime()),
                   sa.column('accounts', JSONType))
users = sa.table('users', sa.column('id', sa.Integer), sa.column('must_change_password', sa.Boolean))
audit = sa.table('audit_log', sa.column('action', sa.String), sa.column('target_type', sa.String),
                 sa.column('target_id', sa.Integer), sa.column('at', UTCDateTime()))
otps = sa.table('one_time_passwords', sa.column('user_id', sa.Integer), sa.column('password', sa.String),
                sa.column('created_at', UTCDateTime()))


def _store_accounts(connection, changed: list[dict]) -> None:
    if changed:
        connection.execute(imports.update().where(imports.c.id == sa.bindparam('import_id'))
                           .values(accounts=sa.bindparam('new_accounts')), changed)


def upgrade() -> None:
    op.create_table('one_time_passwords',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('password', sa.String(length=32), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_one_time_passwords_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_one_time_passwords'))
    )
    connection = op.get_bind()
    waiting = set(connection.execute(sa.select(users.c.id).where(users.c.must_change_password.is_(True))).scalars())
    last_reset: dict[int, object] = {}
    for user_id, at in connection.execute(sa.select(audit.c.target_id, audit.c.at).where(
            audit.c.action == 'user.reset_password', audit.c.target_type == 'user')):
        if user_id is not None and (user_id not in last_reset or at > last_reset[user_id]):
            last_reset[user_id] = at
    valid: dict[int, dict] = {}
    changed = []
    for import_id, created_at, accounts in connection.execute(sa.select(imports.c.id, imports.c.created_at,
                                                                        imports.c.accounts).order_by(imports.c.id)):
        if not any('password' in a for a in accounts or []):
            continue
        for a in accounts:
            user_id, password = a.get('user_id'), a.get('password')
            reset = last_reset.get(user_id)
            if password and user_id in waiting and (reset is None or reset < created_at):
                valid[user_id] = {'user_id': user_id, 'password': password, 'created_at': created_at}
        changed.append({'import_id': import_id,
                        'new_accounts': [{k: v for k, v in a.items() if k != 'password'} for a in accounts]})
    if valid:
        connection.execute(otps.insert(), list(valid.values()))
    _store_accounts(connection, changed)


def downgrade() -> None:
    connection = op.get_bind()
    kept = dict(connection.execute(sa.select(otps.c.user_id, otps.c.password)).all())
    changed = []
    for import_id, accounts in connection.execute(sa.select(imports.c.id, imports.c.accounts)):
        changed.append({'import_id': import_id,
                        'new_accounts': [dict(a, password=kept.get(a.get('user_id'))) for a in accounts or []]})
    _store_accounts(connection, changed)
    op.drop_table('one_time_passwords')
