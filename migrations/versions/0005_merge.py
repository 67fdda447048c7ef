"""merge the certificates and bank-paging branches into one head

Revision ID: 0005_merge
Revises: 0003_certificates, 0004_banks
Create Date: 2026-11-22 02:00:00
"""
revision = '0005_merge'
down_revision = ('0003_certificates', '0004_banks')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
