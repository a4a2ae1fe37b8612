"""Forms that show a service's error beside the field it concerns and keep what the user typed."""

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from services.errors import DomainError, Invalid
from ui.i18n import _, error_text


def aria(element: ui.element, label: str) -> ui.element:
    """Name a control for screen readers (set directly: no prop-string parsing of user text)."""
    element.props['aria-label'] = label
    return element


class Form:
    """Collects named fields; `show(error)` marks the field a service complained about."""

    def __init__(self) -> None:
        self.fields: dict[str, ui.element] = {}
        self.alert = ui.label('').props('role=alert aria-live=assertive').classes('text-negative font-medium')
        self.alert.set_visibility(False)

    def field(self, name: str, element: ui.element) -> ui.element:
        self.fields[name] = element
        element.mark(f'field-{name}')
        return element

    def clear(self) -> None:
        self.alert.set_visibility(False)
        for element in self.fields.values():
            if isinstance(element, ValidationElement) and element.error is not None:
                element.error = None
                element.update()

    def show(self, error: DomainError) -> None:
        self.clear()
        message = error_text(error)
        element = self.fields.get(error.field) if isinstance(error, Invalid) else None
        if isinstance(element, ValidationElement):
            element.error = message
            element.update()
            element.run_method('focus')
        else:
            self.alert.text = message
            self.alert.set_visibility(True)

    def fail(self, message: str) -> None:
        """An unexpected failure: a general message, nothing else."""
        self.clear()
        self.alert.text = _(message)
        self.alert.set_visibility(True)


def close_on_choice(select: ui.select) -> ui.select:
    """A single choice is made: close the list, so it does not cover the next fields (also after typing a new one)."""
    select.on_value_change(lambda: select.run_method('hidePopup'))
    return select


def named_upload(uploader: ui.upload, choose: str) -> ui.upload:
    """Give an upload a named "choose" button. Quasar's own header button is an unnamed "+" icon that wraps the
    hidden file input (axe: aria-command-name, nested-interactive, label). This header keeps the title and shows a
    named button; the file input (Quasar's add trigger, which the button clicks) stays hidden beside it."""
    title = uploader.props.get('label', '')
    with uploader.add_slot('header'):
        with ui.row().classes('w-full items-center no-wrap gap-2 px-2 py-1'):
            ui.label(title).classes('q-uploader__title grow')
            button = ui.button(choose, icon='add').props('flat dense no-caps color=white')
            # A click on a real button is a user gesture, so the browser lets it open the file dialog.
            button.on('click', js_handler=f'() => getElement({uploader.id}).$refs.qRef.pickFiles()')
            with ui.element('div').classes('hidden'):
                aria(ui.element('q-uploader-add-trigger'), choose)
    return uploader


def focus_field(element: ui.element) -> None:
    """Move the keyboard focus to a field and scroll it into view: Quasar focuses with preventScroll, which left the
    focus (and the caret) below the visible part of the page, e.g. on a reply editor opened at the end of a thread."""
    element.run_method('focus')
    ui.run_javascript(f'(function f(n) {{ const e = getHtmlElement({element.id}); '
                      'if (e && e.contains(document.activeElement)) e.scrollIntoView({block: "nearest"}); '
                      'else if (n) setTimeout(() => f(n - 1), 50); })(20)')
