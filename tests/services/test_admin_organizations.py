"""Administering organisations: the paginated admin list with search, and merging a duplicate into another."""

import io
import json
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import update
from sqlmodel import col, func, select

from models.audit import AuditEntry
from models.base import utcnow
from models.event import Event
from models.organization import Organization
from models.user import Invitation, User
from services import audit, bus, files, images, members
from services import organizations as orgs
from services.errors import Invalid, NotAllowed, NotFound
from tests.services.conftest import make_user


@pytest.fixture(autouse=True)
def _uploads(tmp_path):
    files.configure(tmp_path)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new('RGB', (60, 40), 'teal').save(out, 'PNG')
    return out.getvalue()


def new_org(session, admin, name: str) -> int:
    return orgs.create_organization(session, actor=admin, name=name, kind='Kommune', level='kommunal').id


def join(session, org_id: int, *users) -> None:
    for user in users:
        session.exec(update(User).where(col(User.id) == user.id).values(organization_id=org_id))  # type: ignore
    session.commit()
    for user in users:
        members.reindex_member(session, user.id)
    session.commit()


def entries(session, action: str) -> list[AuditEntry]:
    return audit.list_entries(session, action=action)


# ---------------------------------------------------------------- the admin list


def test_admin_list_is_paginated_and_counts_every_account(session, ada_admin, mia_member, pia_pending):
    for n in range(7):
        new_org(session, ada_admin, f'Gemeinde {n:02d}')
    essen = new_org(session, ada_admin, 'Stadt Essen')
    join(session, essen, mia_member, pia_pending)
    first, total = orgs.list_organizations_for_admin(session, actor=ada_admin, page=1, page_size=5)
    second, total_again = orgs.list_organizations_for_admin(session, actor=ada_admin, page=2, page_size=5)
    assert total == total_again == 8
    assert [r.name for r in first] == [f'Gemeinde {n:02d}' for n in range(5)]
    assert [r.name for r in second] == ['Gemeinde 05', 'Gemeinde 06', 'Stadt Essen']
    assert second[-1].accounts == 2  # the pending account belongs to it too
    assert second[0].accounts == 0


def test_admin_list_searches_names_ignoring_case_and_wildcards(session, ada_admin):
    new_org(session, ada_admin, 'Stadt Essen')
    new_org(session, ada_admin, 'Kreis Wesel')
    new_org(session, ada_admin, 'Stadt 100% Digital')
    rows, total = orgs.list_organizations_for_admin(session, actor=ada_admin, query='STADT')
    assert (sorted(r.name for r in rows), total) == (['Stadt 100% Digital', 'Stadt Essen'], 2)
    rows, total = orgs.list_organizations_for_admin(session, actor=ada_admin, query='%')
    assert [r.name for r in rows] == ['Stadt 100% Digital'] and total == 1
    assert orgs.list_organizations_for_admin(session, actor=ada_admin, query='Bochum') == ([], 0)


@pytest.mark.parametrize('persona', ['mia_member', 'mo_moderator', 'dora_deactivated'])
def test_only_admins_list_and_merge(session, ada_admin, persona, request):
    actor = request.getfixturevalue(persona)
    a, b = new_org(session, ada_admin, 'Stadt Essen'), new_org(session, ada_admin, 'Stadt  essen (alt)')
    with pytest.raises(NotAllowed):
        orgs.list_organizations_for_admin(session, actor=actor)
    with pytest.raises(NotAllowed):
        orgs.merge_preview(session, actor=actor, source_id=b, target_id=a)
    with pytest.raises(NotAllowed):
        orgs.merge_organizations(session, actor=actor, source_id=b, target_id=a)
    session.rollback()
    assert session.exec(select(func.count(col(Organization.id)))).one() == 2
    assert entries(session, 'organization.merged') == []


# ---------------------------------------------------------------- merging


def test_merge_moves_every_reference_and_deletes_the_source(session, ada_admin, mia_member, mo_moderator):
    seen: list[bus.Event] = []
    bus.subscribe('organizations.merged', seen.append)
    target = new_org(session, ada_admin, 'Stadt Essen')
    source = new_org(session, ada_admin, 'Stadtverwaltung Essen')
    stays = new_org(session, ada_admin, 'Kreis Wesel')
    olaf = make_user(session, 'Olaf Other', 'olaf@essen.de')
    join(session, source, mia_member, mo_moderator)
    join(session, stays, olaf)
    now = utcnow()
    session.add(Event(title='Workshop OZG', starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=2),
                      organization_id=source))
    session.add(Invitation(token_hash='t' * 64, organization_id=source, expires_at=now + timedelta(days=7)))
    session.commit()

    preview = orgs.merge_preview(session, actor=ada_admin, source_id=source, target_id=target)
    assert (preview.source_name, preview.target_name, preview.accounts) == (
        'Stadtverwaltung Essen', 'Stadt Essen', 2)
    assert (preview.references['event'], preview.references['invitation']) == (1, 1)

    orgs.merge_organizations(session, actor=ada_admin, source_id=source, target_id=target)
    session.expire_all()
    assert session.get(Organization, source) is None
    assert {u.organization_id for u in session.exec(select(User).where(col(User.id).in_(
        [mia_member.id, mo_moderator.id])))} == {target}
    assert session.get(User, olaf.id).organization_id == stays
    assert session.exec(select(Event.organization_id)).one() == target
    assert session.exec(select(Invitation.organization_id)).one() == target
    assert [e.data for e in seen] == [{'source_id': source, 'target_id': target, 'accounts': 2}]
    [entry] = entries(session, 'organization.merged')
    details = json.loads(entry.details)
    assert (entry.actor_id, entry.target_id) == (ada_admin.id, str(target))
    assert (details['source'], details['target'], details['accounts']) == ('Stadtverwaltung Essen', 'Stadt Essen', 2)
    assert details['moved']['event'] == 1
    assert len(session.exec(select(AuditEntry)).all()) == 4  # three organisations created, one merge


def test_merge_reindexes_the_moved_members(session, ada_admin, mia_member):
    target = new_org(session, ada_admin, 'Stadt Essen')
    source = new_org(session, ada_admin, 'Stadtverwaltung Bottrop')
    join(session, source, mia_member)

    def found(q: str) -> list[str]:
        page = members.search_members(session, viewer=ada_admin, filters=members.Filters(q=q))
        return [card.name for card in page.items]

    assert found('Bottrop') == ['Mia Member']
    orgs.merge_organizations(session, actor=ada_admin, source_id=source, target_id=target)
    assert found('Bottrop') == []
    assert found('Essen') == ['Mia Member']


def test_merge_reindexes_in_batches(session, ada_admin, monkeypatch):
    monkeypatch.setattr(orgs, 'REINDEX_BATCH', 2)
    commits: list[int] = []
    target = new_org(session, ada_admin, 'Stadt Essen')
    source = new_org(session, ada_admin, 'Stadt Essen Alt')
    people = [make_user(session, f'Person {n}', f'p{n}@essen.de') for n in range(5)]
    join(session, source, *people)
    original = session.commit
    monkeypatch.setattr(session, 'commit', lambda: (commits.append(1), original())[1])
    orgs.merge_organizations(session, actor=ada_admin, source_id=source, target_id=target)
    assert len(commits) == 1 + 3  # the merge, then three batches of at most two members


def test_merge_removes_the_source_logo(session, ada_admin):
    target = new_org(session, ada_admin, 'Stadt Essen')
    source = new_org(session, ada_admin, 'Stadt Essen (Kopie)')
    name = orgs.set_organization_logo(session, actor=ada_admin, org_id=source, data=_png())
    assert images.avatar_path(name) is not None
    orgs.merge_organizations(session, actor=ada_admin, source_id=source, target_id=target)
    assert images.avatar_path(name) is None


def test_merging_into_itself_or_an_unknown_one_is_refused(session, ada_admin, mia_member):
    essen = new_org(session, ada_admin, 'Stadt Essen')
    join(session, essen, mia_member)
    with pytest.raises(Invalid):
        orgs.merge_organizations(session, actor=ada_admin, source_id=essen, target_id=essen)
    with pytest.raises(NotFound):
        orgs.merge_organizations(session, actor=ada_admin, source_id=essen, target_id=999)
    with pytest.raises(NotFound):
        orgs.merge_organizations(session, actor=ada_admin, source_id=999, target_id=essen)
    session.rollback()
    assert session.get(Organization, essen) is not None
    assert session.get(User, mia_member.id).organization_id == essen
    assert entries(session, 'organization.merged') == []
