"""The remarks beside a kintone cost estimate: notes per option, warnings, the assumptions
in use (the table's unconfirmed figures), in the active language."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


def localized(data: dict, base: str) -> str:
    """`data[base_ja]` or `data[base_en]`, in the active language."""
    return data.get(f"{base}_{_lang()}") or data.get(f"{base}_ja", "")


def notes_of(values: dict, course: dict, lines: dict[str, list[dict]]) -> dict[str, list[str]]:
    """The remarks under each pattern's figures (every pattern has a list, maybe empty)."""
    notes: dict[str, list[str]] = {key: [] for key in lines}
    if values["external_own_account"]:
        notes["inter_org_access"].append(
            _(
                "Link Account does not waive full licences: external users with their own "
                "account are counted too."
            )
        )
    if course["key"] == "light":
        notes["external_service"].append(
            _(
                "Most integration services are said to need the Standard course or above "
                "(not confirmed in primary sources)."
            )
        )
    if "second_domain_staff" in values["not_entered"]:
        notes["separate_domain"].append(
            _(
                "Enter how many of your people work in the second domain: not entered, it "
                "counts none of them (the course minimum still applies)."
            )
        )
    else:
        notes["separate_domain"].append(
            _("%(staff)s of your people also work in the second domain.")
            % {"staff": f"{values['second_domain_staff']:,}"}
        )
    return notes


def warnings_of(values: dict, course: dict) -> list[str]:
    if course["key"] == "light" and values["paid_plugins"]:
        return [
            _(
                "The Light course cannot use plugins: choose the Standard course or above, "
                "or set the number of paid plugins to 0."
            )
        ]
    return []


def assumptions(
    price_table: dict, values: dict, money: Callable[[int], str]
) -> list[dict[str, str]]:
    """The table's figures in use that its authors have not confirmed, with their notes."""
    found = []
    for name, part in (
        ("guest_price", "guest_user"),
        ("service_fee", "integration_service"),
        ("plugin_fee", "plugin"),
    ):
        info = price_table[part]
        if name in values["from_table"] and not info["confirmed"] and values[name] is not None:
            found.append(
                {"name": name, "value": money(values[name]), "note": localized(info, "note")}
            )
    return found
