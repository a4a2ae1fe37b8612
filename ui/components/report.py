"""The dialog for reporting something to the moderation (a post, a message): a reason, then the service's answer."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from services.errors import DomainError
from ui import theme
from ui.components.forms import Form
from ui.components.text import Heading
from ui.i18n import _


def open_report_dialog(title: str, explanation: str, submit: Callable[[str], Awaitable[object]]) -> None:
    """`submit(reason)` calls the reporting service; its refusal shows beside the field, its success closes."""
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-lg').mark('report-dialog'):
        Heading(title, 2)
        ui.label(explanation).classes(theme.MUTED)
        form = Form()
        reason = form.field('reason', ui.textarea(_('Grund')).props('outlined autogrow maxlength=1000 counter')
                            .classes('w-full'))

        async def send() -> None:
            form.clear()
            try:
                await submit(reason.value or '')
            except DomainError as e:
                form.show(e)
                return
            dialog.close()
            ui.notify(_('Danke! Die Moderation kümmert sich darum.'), type='positive')

        with ui.row():
            ui.button(_('Melden'), on_click=send).props('color=primary').mark('send-report')
            ui.button(_('Abbrechen'), on_click=dialog.close).props('flat')
    dialog.open()
