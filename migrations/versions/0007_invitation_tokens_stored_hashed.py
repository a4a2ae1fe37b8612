"""invitation tokens stored hashed

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 20:22:30.603371
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Links already handed out keep working: each stored secret is replaced by its SHA-256 (what the app now looks
    # up), then the plain column goes.
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    invitation = sa.table('invitation', sa.column('id', sa.Integer), sa.column('token', sa.String),
                          sa.column('token_hash', sa.String))
    conn = op.get_bind()
    for row_id, token in conn.execute(sa.select(invitation.c.id, invitation.c.token)).all():
        conn.execute(invitation.update().where(invitation.c.id == row_id).values(
            token_hash=hashlib.sha256(token.encode()).hexdigest()))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64),
                              nullable=False)
        batch_op.drop_index(batch_op.f('ix_invitation_token'))
        batch_op.create_index(batch_op.f('ix_invitation_token_hash'), ['token_hash'], unique=True)
        batch_op.drop_column('token')


def downgrade() -> None:
    # A hash cannot be turned back into its secret: after a downgrade the old links no longer work (the column holds
    # the hashes, which nobody has as a link).
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.VARCHAR(length=64), nullable=True))
    op.execute('UPDATE invitation SET token = token_hash')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.drop_index(batch_op.f('ix_invitation_token_hash'))
        batch_op.create_index(batch_op.f('ix_invitation_token'), ['token'], unique=True)
        batch_op.drop_column('token_hash')
