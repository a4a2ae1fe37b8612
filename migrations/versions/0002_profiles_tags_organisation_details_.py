"""profiles, tags, organisation details, member search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 13:25:37.057645
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tag_key'), ['key'], unique=True)

    op.create_table('member_profile',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pronouns', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('bio', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('other_contact', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('email_visibility', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('phone_visibility', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('location_visibility', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('avatar', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('member_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_profile_department'), ['department'], unique=False)

    op.create_table('member_tag',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', 'tag_id')
    )
    with op.batch_alter_table('member_tag', schema=None) as batch_op:
        batch_op.create_index('ix_member_tag_tag_kind', ['tag_id', 'kind'], unique=False)

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default='sonstige'))
        batch_op.add_column(sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('logo', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_organization_city'), ['city'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_level'), ['level'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_user_last_seen_at'), ['last_seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_sort_name'), ['sort_name'], unique=False)
        batch_op.create_index('ix_user_status_organization', ['status', 'organization_id'], unique=False)
        batch_op.create_index('ix_user_status_sort_name', ['status', 'sort_name'], unique=False)
        batch_op.create_index('ix_user_status_created_at', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_user_status_last_seen_at', ['status', 'last_seen_at'], unique=False)

    # Existing members: sortable names and a search index (name and administration until they fill in a profile).
    from services import search

    conn = op.get_bind()
    search.check_fts5(conn)
    search.create_member_index(conn)
    rows = conn.execute(sa.text(
        'SELECT u.id, u.name, u.status, coalesce(o.name, \'\'), coalesce(o.city, \'\') FROM "user" u '
        'LEFT JOIN organization o ON o.id = u.organization_id')).all()
    for user_id, name, status, org, city in rows:
        conn.execute(sa.text('UPDATE "user" SET sort_name = :s WHERE id = :id'), {'s': search.sort_key(name), 'id': user_id})
        if status == 'active':  # the index holds active members only
            search.index_member(conn, user_id, {'name': name, 'organization': f'{org} {city}'})

def downgrade() -> None:
    op.execute('DROP TABLE IF EXISTS member_fts')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index('ix_user_status_last_seen_at')
        batch_op.drop_index('ix_user_status_created_at')
        batch_op.drop_index('ix_user_status_sort_name')
        batch_op.drop_index('ix_user_status_organization')
        batch_op.drop_index(batch_op.f('ix_user_sort_name'))
        batch_op.drop_index(batch_op.f('ix_user_last_seen_at'))
        batch_op.drop_column('sort_name')

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_level'))
        batch_op.drop_index(batch_op.f('ix_organization_kind'))
        batch_op.drop_index(batch_op.f('ix_organization_city'))
        batch_op.drop_column('logo')
        batch_op.drop_column('website')
        batch_op.drop_column('level')

    with op.batch_alter_table('member_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_member_tag_tag_kind')

    op.drop_table('member_tag')
    with op.batch_alter_table('member_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_profile_department'))

    op.drop_table('member_profile')
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tag_key'))

    op.drop_table('tag')
