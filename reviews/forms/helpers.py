"""What the reviews forms share: the submit button and FormHelper, the text-area field, and
how a team member is named in a choice."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


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


def text_area(
    label, *, rows: int, max_length: int, required: bool = False, help_text=""
) -> forms.CharField:
    """A free-text field of `rows` lines; optional unless `required`."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def person_label(user) -> str:
    """A team member as a choice shows them: full name, else username."""
    return user.get_full_name() or user.get_username()
