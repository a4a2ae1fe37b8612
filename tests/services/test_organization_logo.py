"""Organisation logos: administrators only, checked like avatars, old files removed."""

import io

import pytest
from PIL import Image

from services import files, images
from services import organizations as orgs
from services.errors import Invalid, NotAllowed, NotFound


def _png() -> bytes:
    out = io.BytesIO()
    Image.new('RGB', (120, 80), 'navy').save(out, 'PNG')
    return out.getvalue()


@pytest.fixture(autouse=True)
def _uploads(tmp_path):
    files.configure(tmp_path)


def test_admin_sets_and_replaces_a_logo(session, ada_admin):
    org = orgs.create_organization(session, actor=ada_admin, name='Stadt Essen', kind='Kommune', level='kommunal')
    first = orgs.set_organization_logo(session, actor=ada_admin, org_id=org.id, data=_png())
    assert images.avatar_path(first) is not None
    second = orgs.set_organization_logo(session, actor=ada_admin, org_id=org.id, data=_png())
    assert orgs.get_organization(session, org.id).logo == second
    assert images.avatar_path(first) is None  # the old file is gone


def test_member_cannot_set_a_logo(session, ada_admin, mia_member):
    org = orgs.create_organization(session, actor=ada_admin, name='Stadt Essen')
    with pytest.raises(NotAllowed):
        orgs.set_organization_logo(session, actor=mia_member, org_id=org.id, data=_png())


def test_a_pdf_is_refused_as_logo(session, ada_admin):
    org = orgs.create_organization(session, actor=ada_admin, name='Stadt Essen')
    with pytest.raises(Invalid) as e:
        orgs.set_organization_logo(session, actor=ada_admin, org_id=org.id, data=b'%PDF-1.4 fake')
    assert e.value.field == 'avatar'


def test_logo_for_an_unknown_organisation_leaves_no_file(session, ada_admin, tmp_path):
    with pytest.raises(NotFound):
        orgs.set_organization_logo(session, actor=ada_admin, org_id=999, data=_png())
    assert list((tmp_path / 'avatars').iterdir()) == []
