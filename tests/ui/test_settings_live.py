"""Settings take effect in pages that are already open: site name and title, logo, notice banner, without reload."""

import html
import re

import pytest
from nicegui import Client
from nicegui.testing import User

from models.user import Role
from services import accounts, db
from services import settings as site_settings
from tests.ui.conftest import add_user, set_settings, signed_in, site_home
from ui import layout


@pytest.fixture
def ada(user: User) -> accounts.CurrentUser:
    return add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)


def header_name(user: User) -> str:
    found = re.search(r'<span class="text-xl font-semibold">([^<]*)</span>', site_home(user))
    assert found
    return html.unescape(found.group(1))


def notice(user: User):  # noqa: ANN201
    """The banner of the user's page (found through the page's registered header: the simulated user's `find`
    skips hidden elements)."""
    return layout._headers[user.client.id].notice  # noqa: SLF001


def logo(user: User) -> str:
    """The logo's address in the header, or '' when it shows none."""
    found = re.search(r'<img alt="" src="([^"]*)"', site_home(user))
    return html.unescape(found.group(1)) if found else ''


async def test_an_open_page_shows_the_new_site_name_and_title_without_reload(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    client = user.client
    assert header_name(user) == 'Verwaltungsnetz' and client.title == 'Start · Verwaltungsnetz'
    set_settings(ada, site_name='Netzwerk Ruhr')
    assert user.client is client  # no navigation happened
    assert header_name(user) == 'Netzwerk Ruhr'
    assert client.title == 'Start · Netzwerk Ruhr'


async def test_the_notice_banner_appears_changes_and_goes_in_open_pages(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    assert not notice(user).visible
    set_settings(ada, notice_text='Wartung am Freitag ab 18 Uhr')
    assert not notice(user).visible  # text alone shows nothing while the notice is off
    set_settings(ada, notice_enabled=True)
    banner = notice(user)
    assert banner.visible and banner.props['role'] == 'status'
    await user.should_see('Wartung am Freitag ab 18 Uhr')
    set_settings(ada, notice_text='Wartung verschoben')
    await user.should_see('Wartung verschoben')
    set_settings(ada, notice_enabled=False)
    assert not notice(user).visible


async def test_a_second_browser_sees_the_change_an_admin_saves_on_the_settings_page(user: User, create_user, ada):
    add_user('Mia Mitglied', 'mia@luenen.de')
    mia = create_user()
    await signed_in(mia, 'mia@luenen.de')
    await user.open('/imprint')  # Ada's first page is a public one: Mia's page must not depend on it
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin')
    user.find(marker='field-site_name').elements.pop().value = 'Kommunalnetz West'
    user.find(marker='field-notice_enabled').elements.pop().value = True
    user.find(marker='field-notice_text').elements.pop().value = 'Heute Abend Wartung'
    user.find(marker='save-network').click()
    await user.should_see('Gespeichert. Die Änderungen gelten ab sofort.')
    assert header_name(mia) == 'Kommunalnetz West'
    assert notice(mia).visible
    await mia.should_see('Heute Abend Wartung')
    assert mia.client.title == 'Start · Kommunalnetz West'


async def test_the_logo_appears_in_open_pages(user: User, ada, tmp_path):
    import io

    from PIL import Image

    await signed_in(user, 'ada@essen.de')
    assert logo(user) == ''
    png = io.BytesIO()
    Image.new('RGB', (300, 100), 'navy').save(png, 'PNG')
    name = db.call(site_settings.set_logo, actor=ada, data=png.getvalue())
    assert logo(user) == f'/site-logo?v={name[:8]}'
    db.call(site_settings.set_logo, actor=ada, data=None)
    assert logo(user) == ''


async def test_other_settings_do_not_touch_open_pages_and_closed_pages_are_forgotten(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    client_id = user.client.id
    assert client_id in layout._headers  # noqa: SLF001
    home = layout._headers[client_id].home  # noqa: SLF001
    sent: list = []
    home.update = lambda: sent.append(1)  # type: ignore[method-assign]
    set_settings(ada, max_post_length=1000)
    assert sent == []
    user.client.delete()
    assert client_id not in layout._headers  # noqa: SLF001
    set_settings(ada, site_name='Noch ein Name')  # a deleted page is not touched
    assert client_id not in Client.instances
