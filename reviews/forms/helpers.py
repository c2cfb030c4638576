"""What the forms of the decision record share: their submit button and FormHelper."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit


class Button(Submit):
    """A submit input whose colour is given whole (`Submit` always adds btn-primary)."""

    def __init__(self, name, value, *, css: str = "btn-primary", **kwargs):
        self.field_classes = f"btn {css}"
        super().__init__(name, value, **kwargs)


def submit_helper(
    action: str, label, *, name: str = "submit", css: str = "btn-primary"
) -> FormHelper:
    helper = FormHelper()
    helper.form_action = action
    helper.add_input(Button(name, label, css=css))
    return helper
