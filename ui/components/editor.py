"""The post editor: Markdown text with a preview, @mention suggestions while typing, and attached files."""

import re
from typing import Any

from nicegui import events, ui

from services import db, posts, uploads
from services import settings as site_settings
from services.markup import render_markdown
from ui.components.forms import aria, focus_field, named_upload
from ui.i18n import _
from ui.workers import in_thread

# "@Mi" at the end of the text, after a space or at the start: the word being typed is a mention.
_TYPING_MENTION = re.compile(r'(?:^|\s)@([^\s@\[\]()]{2,40})$')
MB = 1024 * 1024


class PostEditor:
    """Keeps what was typed and attached until the service accepted it: nothing is lost on an error."""

    def __init__(self, label: str, *, user: Any, value: str = '', files: bool = True, marker: str = 'body') -> None:
        self.user = user
        self.files: list[tuple[str, bytes]] = []
        limits = db.call(_limits)
        self.max_length = limits['max_post_length']
        with ui.column().classes('w-full gap-1'):
            with ui.tabs().props('dense no-caps align=left').classes('text-slate-700') as tabs:
                write_tab = ui.tab(_('Schreiben'))
                preview_tab = ui.tab(_('Vorschau')).mark(f'{marker}-preview-tab')
            with ui.tab_panels(tabs, value=write_tab).classes('w-full').props('keep-alive') as panels:
                with ui.tab_panel(write_tab).classes('p-0'):
                    self.textarea = ui.textarea(label, value=value).props(
                        'outlined autogrow counter debounce=250').classes('w-full').mark(marker)
                    self.textarea.props['maxlength'] = self.max_length
                    self.textarea.props['hint'] = _('Markdown: **fett**, *kursiv*, - Liste, > Zitat, `Code`. '
                                                    '@Name erwähnt ein Mitglied. Höchstens {n} Zeichen.',
                                                    n=posts.thousands(self.max_length))
                    self.mentions = ui.row().classes('gap-2 flex-wrap').props(
                        f'role=group aria-label="{_("Mitglieder zum Erwähnen")}"').mark(f'{marker}-mentions')
                with ui.tab_panel(preview_tab).classes('p-0'):
                    self.preview = ui.html('').classes('prose max-w-none min-h-16').mark(f'{marker}-preview')
            panels.on_value_change(lambda e: self._show_preview() if e.value == preview_tab else None)
            self.textarea.on_value_change(self._suggest)
            self.file_row: ui.row | None = None
            self.upload: ui.upload | None = None
            if files:
                self._upload_limits = (limits['max_attachment_mb'], limits['allowed_file_types'])
                # The uploader is built only when someone wants to attach: NiceGUI registers a route for each one,
                # and FastAPI's callable cache keeps that route, with the editor behind it, long after the page
                # closed (the soak benchmark found 1,117 editors of closed pages alive). Most replies attach nothing.
                self.attach = ui.button(_('Dateien anhängen'), icon='attach_file', on_click=self._show_upload).props(
                    'flat dense no-caps').mark(f'{marker}-attach')
                self._marker = marker
                self.file_row = ui.row().classes('gap-2 flex-wrap').mark(f'{marker}-files')

    def _show_upload(self) -> None:
        limit, types = self._upload_limits
        with ui.element('div').classes('w-full max-w-xl') as place:
            self.upload = ui.upload(
                label=_('Dateien anhängen ({types}; höchstens {mb} MB je Datei)',
                        types=', '.join(f'.{t}' for t in types), mb=limit),
                multiple=True, auto_upload=True, on_upload=self._add_file, max_file_size=limit * MB,
                on_rejected=lambda: ui.notify(_('Die Datei ist zu groß (höchstens {mb} MB) oder von einem Typ, '
                                                'der nicht angehängt werden kann.', mb=limit), type='negative'),
            ).props('flat bordered').classes('w-full').mark(f'{self._marker}-upload')
            self.upload.props['accept'] = uploads.accept_list(types)
            named_upload(self.upload, _('Dateien auswählen'))
        place.move(target_index=self.attach.parent_slot.children.index(self.attach))
        self.attach.delete()
        # The button that was clicked is gone: the focus moves on to the uploader's "choose" button.
        choose = next(e for e in self.upload.descendants() if isinstance(e, ui.button))
        ui.run_javascript(f'(function f(n) {{ const e = getHtmlElement({choose.id}); '
                          'if (e) e.focus(); else if (n) setTimeout(() => f(n - 1), 50); })(20)')

    @property
    def value(self) -> str:
        return self.textarea.value or ''

    def set_value(self, text: str) -> None:
        self.textarea.value = text

    def insert(self, text: str) -> None:
        current = self.value
        self.textarea.value = (current.rstrip() + '\n\n' if current.strip() else '') + text
        focus_field(self.textarea)

    def reset(self) -> None:
        self.textarea.value = ''
        self.files.clear()
        self._show_files()
        self.mentions.clear()

    def _show_preview(self) -> None:
        html = render_markdown(self.value)
        self.preview.content = html or f'<p class="text-slate-600">{_("Noch nichts zu sehen.")}</p>'

    async def _suggest(self) -> None:
        typed = _TYPING_MENTION.search(self.value)
        self.mentions.clear()
        if not typed:
            return
        found = await in_thread(db.call, posts.suggest_mentions, viewer=self.user, prefix=typed.group(1))
        self.mentions.clear()
        with self.mentions:
            for member in found:
                label = f'@{member.name}' + (f' ({member.organization})' if member.organization else '')
                ui.button(label, on_click=lambda m=member, t=typed.group(0): self._mention(m, t)).props(
                    'outline dense size=sm').mark('mention-choice')

    def _mention(self, member: Any, typed: str) -> None:
        text = self.value
        if text.endswith(typed):
            lead = typed[0] if typed[0].isspace() else ''
            text = text[:len(text) - len(typed)] + lead
        self.textarea.value = text + posts.mention_markdown(member) + ' '
        self.mentions.clear()
        self.textarea.run_method('focus')

    async def _add_file(self, e: events.UploadEventArguments) -> None:
        data = await e.file.read()
        self.files.append((e.file.name, data))
        if self.upload is not None:
            self.upload.reset()
        self._show_files()

    def _show_files(self) -> None:
        if self.file_row is None:
            return
        self.file_row.clear()
        with self.file_row:
            for index, (name, data) in enumerate(self.files):
                with ui.row().classes('items-center gap-1 bg-slate-100 rounded px-2'):
                    ui.label(f'{name} ({_size(len(data))})').classes('text-sm')
                    aria(ui.button(icon='close', on_click=lambda i=index: self._remove_file(i)).props(
                        'flat dense round size=sm'), _('Datei entfernen: {name}', name=name))

    def _remove_file(self, index: int) -> None:
        if 0 <= index < len(self.files):
            self.files.pop(index)
        self._show_files()


def _limits(session: Any) -> dict[str, Any]:
    """What the content settings allow now (read each time an editor opens: a change applies at once)."""
    values = site_settings.get_settings(session)
    return {'max_post_length': posts.max_post_length(session), 'max_attachment_mb': values['max_attachment_mb'],
            'allowed_file_types': list(values['allowed_file_types'])}


def _size(n: int) -> str:
    if n >= MB:
        return f'{n / MB:.1f} MB'.replace('.', ',')
    return f'{max(1, n // 1024)} KB'


def size_label(n: int) -> str:
    return _size(n)
