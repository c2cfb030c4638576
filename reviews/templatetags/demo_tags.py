"""The demo logins on the login page: only with DEBUG on and only once `seed_demo` has made
the demo accounts (seed_demo refuses to run beside real accounts or with DEBUG off)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from ..demo import PASSWORD, USERS

register = template.Library()


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


def _role_labels() -> dict[str, str]:
    return {
        "reviewer": _("Reviewer (IT): answers the assessment, decides, requests sign-off"),
        "stakeholder": _("Stakeholder (business): reads, compares, estimates costs"),
        "approver": _("Approver: signs off or sends back"),
        "approver2": _("Second approver"),
        "staff": _("Catalog editor (site staff, the admin)"),
    }


@register.simple_tag
def demo_logins() -> list[DemoLogin]:
    if not settings.DEBUG:
        return []
    names = [user.username for user in USERS.values()]
    existing = set(
        get_user_model()
        .objects.filter(username__in=names, is_active=True)
        .values_list("username", flat=True)
    )
    labels = _role_labels()
    return [
        DemoLogin(labels[key], user.username, PASSWORD)
        for key, user in USERS.items()
        if user.username in existing
    ]
