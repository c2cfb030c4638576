"""kintone licence-cost estimate per pattern: plain arithmetic on a catalog's price table.

Pure Python (texts through gettext, in the active language); no database, no request. The
price table's format is in fixtures/catalogs/README.md ("Price table", checked by prices.py);
the inputs are a review's `cost_inputs` (edited with forms.CostInputsForm):

    internal_users        N_i  people of your company who use kintone
    external_users        N_e  people of the partner organizations who take part
    external_own_account  N_l  of N_e, those whose company has its own cybozu.com contract
    second_domain_staff   N_s  your people who work in the separate domain (entered; empty: 0)
    course                     a course of the table: price P per user per month, minimum M users
    second_domain_course       the separate domain's own course, price P2, minimum M2 (empty:
                               the same course as the main domain)
    price_per_user        P    overrides the course's price (empty: the table's)
    guest_price           G    overrides the course's guest price (empty: the table's; a course
                               whose table gives none is "not priced": enter it)
    paid_plugins          N_p  paid plugins the environment relies on
    plugin_fee            F_p  monthly fee per plugin (empty: the table's assumption)
    service_fee           F_s  the integration service's monthly fee (empty: the table's)

Formulas, per month (a year is 12 months), where licences(n) = max(n, M) x P because a
contract is billed for at least the course minimum, and plugins = N_p x F_p per domain:

    guest_space       licences(N_i) + guests x G + plugins
                      guests = N_e - N_l: a guest who links their own company's cybozu.com
                      account (Link Account) is free; when there is any paid guest, at least
                      `guest_user.min_users` are billed (one, in the kintone table).
    inter_org_access  licences(N_i + N_e) + plugins
                      external users are full users of your domain and need full licences;
                      Link Account does not waive them.
    external_service  licences(N_i) + F_s + plugins
                      external users work in the service, without kintone accounts.
    separate_domain   licences(N_i) + plugins                  (your main domain, as today)
                      + licences2(N_e + N_s) + plugins         (the second domain: a contract of
                      its own, on its own course, with that course's minimum; plugins again)

A figure the sources do not give (a guest price the table leaves out) is never invented: the
line and its option's total say "not priced — enter it" (amount None). "Yearly" is 12 ×
monthly. Inputs left empty start from the review's answers where it has them
(`defaults.counts_from_answers`: headcount range, Link Account share, paid plugins).

Every option includes the main domain's licences and plugins, so that the totals compare whole
setups (the guide: a separate domain duplicates licence and plugin fees; integration services
cost less than full licences; Link Account guests cost nothing). Assumptions, shown with the
figures: a plugin costs the same in each domain (some are priced per user and then cost more
as users are added), the second domain uses the same course, and amounts exclude tax when the
table says so. The catalog's cost statements stay the qualitative view; this is the numeric one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .defaults import DEFAULT_COUNTS, counts_from_answers
from .remarks import assumptions, localized, notes_of, warnings_of

MONTHS = 12
MAX_USERS = 100_000
MAX_PLUGINS = 100
MAX_PRICE = 100_000  # per user per month
MAX_FEE = 10_000_000  # a monthly fee

# field -> (required, maximum); every field is a whole number from 0, except `course`
COUNT_FIELDS: dict[str, tuple[bool, int]] = {
    "internal_users": (True, MAX_USERS),
    "external_users": (True, MAX_USERS),
    "external_own_account": (True, MAX_USERS),
    "second_domain_staff": (False, MAX_USERS),
    "price_per_user": (False, MAX_PRICE),
    "guest_price": (False, MAX_PRICE),
    "paid_plugins": (True, MAX_PLUGINS),
    "plugin_fee": (False, MAX_FEE),
    "service_fee": (False, MAX_FEE),
}
INPUT_FIELDS = ("course", "second_domain_course", *COUNT_FIELDS)
__all__ = ["DEFAULT_COUNTS", "INPUT_FIELDS", "cost_estimate", "localized", "resolve_inputs"]


def _whole(value: Any) -> int | None:
    """A non-negative whole number, or None (booleans and fractions are not accepted)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def course_of(price_table: dict, key: str | None) -> dict:
    """The table's course `key`, else its default course."""
    courses = {c["key"]: c for c in price_table["courses"]}
    return courses.get(key or "") or courses[price_table["default_course"]]


def validate_cost_inputs(price_table: dict, inputs: Any) -> dict[str, str]:
    """Every problem of a cost-inputs dict as {field: message}; {} when it can be saved."""
    if not isinstance(inputs, dict):
        return {"__all__": _("The cost inputs must be an object.")}
    errors: dict[str, str] = {}
    for name in inputs:
        if name not in INPUT_FIELDS:
            errors[name] = _("Unknown field.")
    courses = [c["key"] for c in price_table["courses"]]
    if inputs.get("course") not in courses:
        errors["course"] = _("Choose one of: %(courses)s.") % {"courses": ", ".join(courses)}
    if inputs.get("second_domain_course") not in (None, "", *courses):
        errors["second_domain_course"] = _("Choose one of: %(courses)s.") % {
            "courses": ", ".join(courses)
        }
    for name, (required, maximum) in COUNT_FIELDS.items():
        value = inputs.get(name)
        if value is None:
            if required:
                errors[name] = _("This field is required.")
        elif _whole(value) is None or value > maximum:
            errors[name] = _("Enter a whole number from 0 to %(max)s.") % {"max": f"{maximum:,}"}
    counted = not errors.keys() & {"internal_users", "external_users", "external_own_account"}
    if counted and inputs["external_own_account"] > inputs["external_users"]:
        errors["external_own_account"] = _("This cannot be more than the number of external users.")
    staff = inputs.get("second_domain_staff")
    staff_ok = "second_domain_staff" not in errors and staff is not None
    if counted and staff_ok and staff > inputs["internal_users"]:
        errors["second_domain_staff"] = _("This cannot be more than the number of internal users.")
    return errors


def resolve_inputs(price_table: dict, inputs: Any, answers: Any = None) -> dict[str, Any]:
    """The inputs with every default filled in; unusable stored values fall back to defaults,
    which start from the review's `answers` ({question: choice}) where it has them.

    Also returns which figures came from the table (`from_table`), so the page can say which
    defaults are unconfirmed, and which counts are not entered (`not_entered`).
    """
    raw = inputs if isinstance(inputs, dict) else {}
    course = course_of(price_table, raw.get("course"))
    second = course_of(price_table, raw.get("second_domain_course") or course["key"])
    guest_user = price_table["guest_user"]
    # whole numbers, or None until a default or the table fills them in
    counts: dict[str, Any] = {name: _whole(raw.get(name)) for name in COUNT_FIELDS}
    not_entered = [name for name in ("second_domain_staff",) if counts[name] is None]
    for name, default in counts_from_answers(answers).items():
        if counts[name] is None:
            counts[name] = default
    counts["external_own_account"] = min(counts["external_own_account"], counts["external_users"])
    if counts["second_domain_staff"] is None:
        counts["second_domain_staff"] = 0
    from_table = []
    table_values = {
        "price_per_user": course["price_per_user_month"],
        "guest_price": course["guest_price_per_user_month"],
        "plugin_fee": price_table["plugin"]["monthly_fee"],
        "service_fee": price_table["integration_service"]["monthly_fee"],
    }
    for name, value in table_values.items():
        if counts[name] is None:
            counts[name] = value
            from_table.append(name)
    return {
        **counts,
        "course": course["key"],
        "min_users": course["min_users"],
        "second_domain_course": second["key"],
        "second_min_users": second["min_users"],
        # the same course: the same (possibly overridden) price; another: that course's price
        "second_price_per_user": (
            counts["price_per_user"] if second is course else second["price_per_user_month"]
        ),
        "guest_min_users": guest_user["min_users"],
        "from_table": from_table,
        "not_entered": not_entered,
    }


class Money:
    """Formats an amount: ¥1,800 for JPY, else `1,800 USD`."""

    def __init__(self, currency: str):
        self.currency = currency

    def __call__(self, amount: int) -> str:
        return f"¥{amount:,}" if self.currency == "JPY" else f"{amount:,} {self.currency}"


def _licences(
    label: str, needed: int, inputs: dict, money: Money, *, second: bool = False
) -> dict[str, Any]:
    """Licences on the main domain's course, or with `second` on the second domain's own
    course: billed for at least that course's minimum, in each domain."""
    minimum = inputs["second_min_users" if second else "min_users"]
    unit = inputs["second_price_per_user" if second else "price_per_user"]
    billed = max(needed, minimum)
    price = money(unit)
    if billed > needed:
        formula = _("%(billed)s users (the course minimum; %(needed)s needed) × %(price)s") % {
            "billed": f"{billed:,}",
            "needed": f"{needed:,}",
            "price": price,
        }
    else:
        formula = ngettext("%(users)s user × %(price)s", "%(users)s users × %(price)s", billed) % {
            "users": f"{billed:,}",
            "price": price,
        }
    return {"label": label, "formula": formula, "amount": billed * unit}


def _plugins(label: str, inputs: dict, money: Money, assumed: str) -> list[dict[str, Any]]:
    count = inputs["paid_plugins"]
    if not count:
        return []
    formula = ngettext("%(count)s plugin × %(fee)s", "%(count)s plugins × %(fee)s", count) % {
        "count": f"{count:,}",
        "fee": money(inputs["plugin_fee"]),
    }
    if "plugin_fee" in inputs["from_table"]:
        formula += " " + assumed
    return [{"label": label, "formula": formula, "amount": count * inputs["plugin_fee"]}]


def cost_estimate(price_table: dict, inputs: dict, answers: Any = None) -> dict[str, Any]:
    """Monthly and yearly cost per pattern, with the formula line behind every figure.

    Returns {"currency", "as_of", "tax_included", "source", "course": {...}, "inputs": {...},
    "patterns": {key: {"monthly", "yearly", "lines": [{"label", "formula", "amount"}],
    "notes": [str]}}, "warnings": [str], "assumptions": [{"name", "value", "note"}]}, texts in
    the active language. `inputs` may be partial or stale: see `resolve_inputs`. An option
    with a line the sources do not price has "monthly" and "yearly" None ("not priced").
    """
    money = Money(price_table["currency"])
    values = resolve_inputs(price_table, inputs, answers)
    course = course_of(price_table, values["course"])
    lines = _pattern_lines(price_table, values, money)
    notes = notes_of(values, course, lines)
    patterns = {}
    unpriced = _("not priced — enter it")
    for key, pattern_lines in lines.items():
        priced = all(line["amount"] is not None for line in pattern_lines)
        monthly = sum(line["amount"] for line in pattern_lines) if priced else None
        patterns[key] = {
            "pattern": key,
            "monthly": monthly,
            "yearly": MONTHS * monthly if monthly is not None else None,
            "monthly_display": money(monthly) if monthly is not None else unpriced,
            "yearly_display": money(MONTHS * monthly) if monthly is not None else unpriced,
            "lines": [
                {
                    **line,
                    "amount_display": unpriced if line["amount"] is None else money(line["amount"]),
                }
                for line in pattern_lines
            ],
            "notes": notes[key],
        }
    return {
        "currency": price_table["currency"],
        "as_of": price_table["as_of"],
        "tax_included": price_table["tax_included"],
        "source": localized(price_table, "source"),
        "course": {
            "key": course["key"],
            "name": localized(course, "name"),
            "price": values["price_per_user"],
            "min_users": course["min_users"],
        },
        "inputs": values,
        "patterns": patterns,
        "warnings": warnings_of(values, course),
        "assumptions": assumptions(price_table, values, money),
    }


def _pattern_lines(price_table: dict, values: dict, money: Money) -> dict[str, list[dict]]:
    """The formula lines of each pattern, as the module docstring's formulas say."""
    assumed = _("(assumption)")
    n_i, n_e = values["internal_users"], values["external_users"]
    your_licences = _("kintone licences: your users")
    plugins = _("Paid plugins")
    return {
        "guest_space": [
            _licences(your_licences, n_i, values, money),
            _guest_line(price_table, values, money),
            *_plugins(plugins, values, money, assumed),
        ],
        "inter_org_access": [
            _licences(
                _("kintone licences: your users and external users"), n_i + n_e, values, money
            ),
            *_plugins(plugins, values, money, assumed),
        ],
        "external_service": [
            _licences(your_licences, n_i, values, money),
            _service_line(values, money, assumed),
            *_plugins(plugins, values, money, assumed),
        ],
        "separate_domain": [
            _licences(_("Main domain: kintone licences, your users"), n_i, values, money),
            *_plugins(_("Main domain: paid plugins"), values, money, assumed),
            _licences(
                _("Second domain: kintone licences, external users and your staff there"),
                n_e + values["second_domain_staff"],
                values,
                money,
                second=True,
            ),
            *_plugins(_("Second domain: the same plugins again"), values, money, assumed),
        ],
    }


def _guest_line(price_table: dict, values: dict, money: Money) -> dict[str, Any]:
    """Guests = N_e - N_l (Link Account guests are free), at least the guest minimum if any."""
    n_e, n_l = values["external_users"], values["external_own_account"]
    paid_guests = n_e - n_l
    billed_guests = max(paid_guests, values["guest_min_users"]) if paid_guests > 0 else 0
    if billed_guests and values["guest_price"] is None:
        return {
            "label": _("Guest users"),
            "formula": ngettext("%(guests)s guest", "%(guests)s guests", billed_guests)
            % {"guests": f"{billed_guests:,}"}
            + ": "
            + _("the price table gives no guest price for this course: enter it"),
            "amount": None,
        }
    if billed_guests:
        guest_formula = ngettext(
            "%(guests)s guest × %(price)s", "%(guests)s guests × %(price)s", billed_guests
        ) % {
            "guests": f"{billed_guests:,}",
            "price": money(values["guest_price"]),
        }
        if billed_guests > paid_guests:
            guest_formula += " " + _("(the minimum for guest users)")
        if "guest_price" in values["from_table"] and not price_table["guest_user"]["confirmed"]:
            guest_formula += " " + _("(unconfirmed)")
    else:
        guest_formula = _("no paid guests")
    if n_l:
        guest_formula += "; " + _("%(count)s with Link Account: free") % {"count": f"{n_l:,}"}
    return {
        "label": _("Guest users"),
        "formula": guest_formula,
        "amount": billed_guests * values["guest_price"],
    }


def _service_line(values: dict, money: Money, assumed: str) -> dict[str, Any]:
    service_formula = _("monthly fee %(fee)s") % {"fee": money(values["service_fee"])}
    if "service_fee" in values["from_table"]:
        service_formula += " " + assumed
    return {
        "label": _("Integration service"),
        "formula": service_formula,
        "amount": values["service_fee"],
    }
