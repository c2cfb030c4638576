"""Where a kintone cost estimate starts: the review's answers, else fixed counts.

The assessment asks for ranges, not numbers; an estimate left empty starts from a figure in
the answered range (an assumption the page shows as an input to change), never from a fixed
default that contradicts the answer (10 external users after "11-100").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_COUNTS = {
    "internal_users": 10,
    "external_users": 10,
    "external_own_account": 0,
    "paid_plugins": 0,
}
# external_user_count: small (up to 10), medium (11-100), large (over 100)
EXTERNAL_USERS = {"small": 10, "medium": 50, "large": 200}
# partners_use_kintone: the share of external users whose company has its own contract
LINK_ACCOUNT_SHARE = {"all": 1.0, "some": 0.5, "none": 0.0}
# paid_plugins: none, few, many
PAID_PLUGINS = {"none": 0, "few": 2, "many": 5}


def counts_from_answers(answers: Mapping[str, Any] | None) -> dict[str, int]:
    """The default counts, moved to what the answers say where they say something."""
    answers = answers if isinstance(answers, Mapping) else {}
    counts = dict(DEFAULT_COUNTS)
    external = EXTERNAL_USERS.get(answers.get("external_user_count"))  # type: ignore[arg-type]
    if external is not None:
        counts["external_users"] = external
    share = LINK_ACCOUNT_SHARE.get(answers.get("partners_use_kintone"))  # type: ignore[arg-type]
    if share is not None:
        counts["external_own_account"] = round(counts["external_users"] * share)
    plugins = PAID_PLUGINS.get(answers.get("paid_plugins"))  # type: ignore[arg-type]
    if plugins is not None:
        counts["paid_plugins"] = plugins
    return counts
