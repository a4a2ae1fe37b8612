"""message index by author

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 00:11:16.672671
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The message rate limit and removing a member's messages look messages up by author.
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_author_created', ['author_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_author_created')
