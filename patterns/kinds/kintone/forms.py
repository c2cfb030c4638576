"""The kintone cost inputs' form: counts of users and plugins, the course, optional prices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ..base import CostInputsForm as BaseCostInputsForm
from . import costs
from .defaults import counts_from_answers


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """Django's widgets/attrs.html in Python: True is a bare name, False leaves it out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class NumberInput(forms.NumberInput):
    """forms.NumberInput with the same HTML, written without the template engine: the cost
    form's eight inputs through widgets/input.html cost more than the rest of its page."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            "" if shown is None else format_html(' value="{}"', shown),
            _attrs(widget["attrs"]),
        )


class Select(forms.Select):
    """forms.Select with the same HTML (widgets/select.html, no option groups), written
    without the template engine."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options: list[tuple[SafeString]] = []
        for group_name, group, _index in widget["optgroups"]:
            assert not group_name, "option groups are not written by this widget"
            options.extend(
                (
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        option["value"],
                        _attrs(option["attrs"]),
                        option["label"],
                    ),
                )
                for option in group
            )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("", "{}", options),
        )


def _count(label, help_text, *, required=True, maximum=costs.MAX_USERS):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        max_value=maximum,
        widget=NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )


class CostInputsForm(BaseCostInputsForm):
    """The inputs of a review's cost estimate (costs.py); stored in Review.cost_inputs.

    Empty price fields mean "the price table's figure for the chosen course", so that the
    defaults follow the course and the catalog's table.
    """

    internal_users = _count(_("Internal users"), _("People of your company who use kintone."))
    external_users = _count(
        _("External users"), _("People of the partner organizations who take part.")
    )
    external_own_account = _count(
        _("External users with their own cybozu.com account"),
        _("Their company has its own kintone contract: as guests they are free (Link Account)."),
    )
    second_domain_staff = _count(
        _("Your people who work in the separate domain"),
        _(
            "Only for the separate-domain option: the internal people who work in the second "
            "domain and need licences there. Not entered: none (the course minimum applies)."
        ),
        required=False,
    )
    course = forms.ChoiceField(
        label=_("kintone course"), widget=Select(attrs={"class": "form-select"})
    )
    second_domain_course = forms.ChoiceField(
        label=_("Course of the separate domain"),
        help_text=_("A domain has one course; its minimum applies to it. Empty: the same."),
        required=False,
        widget=Select(attrs={"class": "form-select"}),
    )
    price_per_user = _count(
        _("Price per user per month"), "", required=False, maximum=costs.MAX_PRICE
    )
    guest_price = _count(
        _("Guest user price per month"), "", required=False, maximum=costs.MAX_PRICE
    )
    paid_plugins = _count(
        _("Paid plugins"),
        _("How many paid plugins the environment uses."),
        maximum=costs.MAX_PLUGINS,
    )
    plugin_fee = _count(_("Monthly fee per plugin"), "", required=False, maximum=costs.MAX_FEE)
    service_fee = _count(
        _("Integration service, monthly fee"), "", required=False, maximum=costs.MAX_FEE
    )

    def __init__(self, *args: Any, price_table: dict, **kwargs: Any) -> None:
        super().__init__(*args, price_table=price_table, **kwargs)
        money = costs.Money(price_table["currency"])
        courses = price_table["courses"]
        course = self.fields["course"]
        assert isinstance(course, forms.ChoiceField)
        course.choices = [(c["key"], costs.localized(c, "name")) for c in courses]
        second = self.fields["second_domain_course"]
        assert isinstance(second, forms.ChoiceField)
        second.choices = [("", _("The same course")), *course.choices]

        def listing(field):
            return ", ".join(
                f"{costs.localized(c, 'name')} "
                + (money(c[field]) if c[field] is not None else str(_("not priced — enter it")))
                for c in courses
            )

        self.fields["price_per_user"].help_text = _("Empty: the table's price (%(prices)s).") % {
            "prices": listing("price_per_user_month")
        }
        guest_help = [
            _("Empty: the table's price (%(prices)s).")
            % {"prices": listing("guest_price_per_user_month")}
        ]
        if not price_table["guest_user"]["confirmed"]:
            guest_help.append(str(_("Unconfirmed: check the current price.")))
        self.fields["guest_price"].help_text = " ".join(guest_help)
        for name, part in (("plugin_fee", "plugin"), ("service_fee", "integration_service")):
            info = price_table[part]
            text = [_("Empty: %(fee)s.") % {"fee": money(info["monthly_fee"])}]
            if not info["confirmed"]:
                text.append(str(_("An assumption, not a price: enter your own.")))
            self.fields[name].help_text = " ".join(text)

    @classmethod
    def initial_for(cls, price_table: dict, stored: Any, answers: Any = None) -> dict[str, Any]:
        """The form's initial values: the stored inputs over the defaults, which start from
        the review's answers ({question: choice}) where it has them."""
        stored = stored if isinstance(stored, dict) else {}
        initial = {**counts_from_answers(answers), "course": price_table["default_course"]}
        initial.update({k: v for k, v in stored.items() if k in costs.INPUT_FIELDS})
        return initial

    def clean(self):
        data = super().clean()
        if not self.errors:
            for name, message in costs.validate_cost_inputs(
                self.price_table, self.inputs()
            ).items():
                self.add_error(name if name in self.fields else None, message)
        return data

    def inputs(self) -> dict[str, Any]:
        """The cleaned inputs in the shape stored in Review.cost_inputs."""
        inputs = {name: self.cleaned_data.get(name) for name in costs.INPUT_FIELDS}
        inputs["second_domain_course"] = inputs["second_domain_course"] or None
        return inputs
