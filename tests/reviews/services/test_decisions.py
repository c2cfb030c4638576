"""Deciding (reviews/services/decisions.py): the decision, its justification, the risk register.

The PDF renderer is replaced by a fast fake (conftest.py; records/test_pdf.py renders real
PDFs).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patterns.kinds.kintone.scenarios import S1
from reviews.models import Decision, Risk
from reviews.services import decisions
from tests.reviews.lifecycle_helpers import answer, decide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- the decision -------------------------------------------------------------------------


def test_it_prefills_the_consequences_from_the_catalog(review, alice):
    answer(review, alice)
    decision = decide(review, alice)
    assert decision.pattern == "inter_org_access"
    good, bad = decisions.decision_prefill(review, "inter_org_access")
    assert decision.consequences_good == good and decision.consequences_bad == bad
    assert "ルックアップ" in good  # the catalog's merits, in the review's language (ja)
    assert good.startswith("- ") and bad.startswith("- ")


def test_the_consequences_belong_to_the_chosen_option(review, alice):
    """The form came pre-filled for the recommended option; another was chosen and the text
    left as it was: the record gets the chosen option's consequences, not the other's."""
    answer(review, alice)
    recommended = decisions.decision_prefill(review, "inter_org_access")
    chosen = decisions.decision_prefill(review, "guest_space")
    decision = decide(
        review,
        alice,
        pattern="guest_space",
        justification="Cheaper for the first year.",
        consequences_good=recommended[0].replace("\n", "\r\n"),  # as a browser posts it
        consequences_bad=recommended[1],
    )
    assert (decision.consequences_good, decision.consequences_bad) == chosen


def test_consequences_the_team_wrote_are_kept(review, alice):
    answer(review, alice)
    decision = decide(
        review,
        alice,
        pattern="guest_space",
        justification="Cheaper for the first year.",
        consequences_good="We start this week.",
    )
    assert decision.consequences_good == "We start this week."
    assert decision.consequences_bad == decisions.decision_prefill(review, "guest_space")[1]


def test_it_keeps_edited_consequences(review, alice):
    answer(review, alice)
    decision = decide(review, alice, consequences_good="Fewer tools.", consequences_bad="Licences.")
    assert (decision.consequences_good, decision.consequences_bad) == ("Fewer tools.", "Licences.")


def test_an_excluded_choice_needs_a_justification(review, alice):
    answer(review, alice)  # S2 excludes external_service (data_outside_kintone=not_allowed)
    with pytest.raises(ValidationError) as info:
        decide(review, alice, pattern="external_service")
    assert "justification" in info.value.message_dict
    assert "excluded" in info.value.message_dict["justification"][0]
    decision = decide(
        review, alice, pattern="external_service", justification="The board accepted the risk."
    )
    assert decision.pattern == "external_service"


def test_a_choice_other_than_the_recommendation_needs_a_justification(review, alice):
    answer(review, alice, S1)  # guest_space first; separate_domain is not excluded
    with pytest.raises(ValidationError) as info:
        decide(review, alice, pattern="separate_domain", justification="short")
    assert "not the recommended option" in info.value.message_dict["justification"][0]
    assert decide(review, alice, pattern="guest_space").pattern == "guest_space"
    decide(review, alice, pattern="separate_domain", justification="We need two environments.")
    assert Decision.objects.get(review=review).pattern == "separate_domain"


def test_an_unknown_pattern_is_refused(review, alice):
    answer(review, alice)
    with pytest.raises(ValidationError):
        decide(review, alice, pattern="carrier_pigeon", justification="x" * 20)


@pytest.mark.parametrize("who", ["bob", "carol", "staff"])
def test_only_the_teams_reviewers_decide(request, review, alice, who):
    answer(review, alice)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        decide(review, user)
    with pytest.raises(PermissionDenied):
        decisions.risk_add(review=review, user=user, description="x", owner_name="y")


def test_risks_are_added_and_removed_by_reviewers(review, alice, bob, charlie):
    risk = decisions.risk_add(
        review=review, user=alice, description="Misconfiguration", owner_user=bob
    )
    assert risk.owner_display() == "Bob Baba"
    with pytest.raises(ValidationError):  # the owner must be a member of the team
        decisions.risk_add(review=review, user=alice, description="x", owner_user=charlie)
    decisions.risk_remove(review=review, user=alice, risk_id=risk.pk)
    assert not Risk.objects.exists()
    with pytest.raises(ValidationError):
        decisions.risk_remove(review=review, user=alice, risk_id=risk.pk)
