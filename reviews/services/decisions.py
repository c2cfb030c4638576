"""Writes on a draft review's decision and its risk register."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from patterns.explanation import Explanation
from patterns.services import compiled_catalog

from ..access import Action, check
from ..models import Decision, Membership, Review, Risk
from ..records.content import review_lang
from ..selectors import decision_prefill, decision_prefills, review_answers, review_recommendation
from .locking import locked_review

__all__ = ["decision_prefill", "decision_save", "risk_add", "risk_remove"]

MIN_JUSTIFICATION = 10  # characters; Japanese says a lot in ten


def decision_problem(explained: Explanation, pattern: str) -> str | None:
    """Why choosing `pattern` needs a justification (not recommended, or excluded), or None."""
    entry = explained.entry(pattern)
    if entry is None:
        return _("“%(pattern)s” is not an option of this catalog.") % {"pattern": pattern}
    if entry.excluded:
        reasons = "; ".join(x.text for x in entry.exclusions)
        return _("“%(name)s” is excluded by the answers (%(reasons)s).") % {
            "name": entry.name,
            "reasons": reasons,
        }
    recommended = explained.recommended()
    if pattern not in recommended:
        names = ", ".join(e.name for e in explained.entries if e.pattern in recommended)
        return _("“%(name)s” is not the recommended option (%(recommended)s).") % {
            "name": entry.name,
            "recommended": names,
        }
    return None


def check_justification(review: Review, pattern: str, justification: str) -> None:
    """ValidationError unless a choice that needs a justification (see `decision_problem`)
    has one of at least MIN_JUSTIFICATION characters."""
    lang = review_lang(review)
    explained = review_recommendation(review, review_answers(review), lang=lang)
    problem = decision_problem(explained, pattern)
    if problem and len(justification.strip()) < MIN_JUSTIFICATION:
        raise ValidationError(
            {
                "justification": problem
                + " "
                + _("Say in the justification why it was chosen (at least %(n)d characters).")
                % {"n": MIN_JUSTIFICATION}
            }
        )


def chosen_consequences(review: Review, pattern: str, good: str, bad: str) -> tuple[str, str]:
    """The consequences of the chosen `pattern`: a blank one, or one still the catalog's text
    for *another* option (pre-filled, never edited, then the choice changed), becomes the
    catalog's merits (good) or demerits (bad) of `pattern`; text the team wrote is kept."""
    good, bad = good.replace("\r\n", "\n"), bad.replace("\r\n", "\n")
    prefills = decision_prefills(review)
    chosen = prefills.get(pattern, ("", ""))
    others = [texts for key, texts in prefills.items() if key != pattern]
    if not good.strip() or any(good.strip() == texts[0] for texts in others if texts[0]):
        good = chosen[0]
    if not bad.strip() or any(bad.strip() == texts[1] for texts in others if texts[1]):
        bad = chosen[1]
    return good, bad


def decision_save(
    *,
    review: Review,
    user: Any,
    pattern: str,
    justification: str = "",
    consequences_good: str = "",
    consequences_bad: str = "",
    confirmation: str = "",
) -> Decision:
    """Write (or rewrite) the draft review's decision.

    Blank consequences are filled from the catalog's merits and demerits of `pattern`, and so
    are consequences still pre-filled for another option (`chosen_consequences`). When
    `pattern` is not the recommended option, or is excluded, the justification must say why:
    ValidationError (keyed by field) otherwise. ReviewStateError unless the review is a
    draft; PermissionDenied unless `user` is one of the team's reviewers.
    """
    with transaction.atomic():
        current = locked_review(review)
        check(user, current, Action.DECIDE)
        if pattern not in compiled_catalog(current.catalog).patterns:
            raise ValidationError(
                {
                    "pattern": _("“%(pattern)s” is not an option of this catalog.")
                    % {"pattern": pattern}
                }
            )
        check_justification(current, pattern, justification)
        consequences_good, consequences_bad = chosen_consequences(
            current, pattern, consequences_good, consequences_bad
        )
        decision = Decision.objects.filter(review=current).first() or Decision(review=current)
        decision.pattern = pattern
        decision.justification = justification.strip()
        decision.consequences_good = consequences_good.strip()
        decision.consequences_bad = consequences_bad.strip()
        decision.confirmation = confirmation.strip()
        decision.decided_by = user
        decision.full_clean()
        decision.save()
    return decision


def risk_add(
    *,
    review: Review,
    user: Any,
    description: str,
    owner_user: Any = None,
    owner_name: str = "",
    mitigation: str = "",
    review_on: date | None = None,
) -> Risk:
    """Add an accepted risk to the draft review's register. Every risk has an owner: a member
    of the team (`owner_user`) or a name (`owner_name`, someone outside the team, a role)."""
    with transaction.atomic():
        current = locked_review(review)
        check(user, current, Action.DECIDE)
        if owner_user is None and not owner_name.strip():
            raise ValidationError(_("Name an owner: a team member or a name."))
        if (
            owner_user is not None
            and not Membership.objects.filter(team=current.team, user=owner_user).exists()
        ):
            raise ValidationError({"owner_user": _("The owner must be a member of the team.")})
        risk = Risk(
            review=current,
            description=description.strip(),
            owner_user=owner_user,
            owner_name=owner_name.strip() if owner_user is None else "",
            mitigation=mitigation.strip(),
            review_on=review_on,
        )
        risk.full_clean()
        risk.save()
    return risk


def risk_remove(*, review: Review, user: Any, risk_id: int) -> None:
    """Remove a risk from the draft review's register."""
    with transaction.atomic():
        current = locked_review(review)
        check(user, current, Action.DECIDE)
        risk = Risk.objects.filter(review=current, pk=risk_id).first()
        if risk is None:
            raise ValidationError(_("No such risk on this review."))
        risk.delete()
