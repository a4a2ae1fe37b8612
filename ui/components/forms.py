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
