"""Teams, reviews and their answers, decisions, sign-offs and the frozen decision record.

Access is decided in one place: `Review.objects.visible_to(user)` (what a user may see) and
`reviews.access` (what they may do). Once a review is approved, its answers, decision, risks
and sign-offs are frozen, the audit trail and the record append-only: the rows refuse to change
by any ORM path (`FrozenReviewError`, `patterns.immutability`).

The models live in one module per concern (the 400-line rule); every name is re-exported here,
so `from reviews.models import X` is the one way to import them.
"""

# The modules are imported in the order the models were defined in the single module they come
# from, so the app registry (and everything that walks it) sees them in the same order.
# isort: off
from .base import (
    APPEND_ONLY_MESSAGE,
    FROZEN_MESSAGE,
    FROZEN_STATUSES,
    FrozenGuardedModel,
    FrozenReviewError,
    ReviewStateError,
)
from .teams import Membership, Team
from .reviews import Review, ReviewQuerySet
from .answers import Answer, Decision, Risk
from .signoff import SignerCertificate, Signature, SignoffRequest
from .events import ReviewEvent
from .records import DecisionRecord, DecisionRecordQuerySet
from .templates import ReviewTemplate

# isort: on

__all__ = [
    "APPEND_ONLY_MESSAGE",
    "Answer",
    "Decision",
    "DecisionRecord",
    "DecisionRecordQuerySet",
    "FROZEN_MESSAGE",
    "FROZEN_STATUSES",
    "FrozenGuardedModel",
    "FrozenReviewError",
    "Membership",
    "Review",
    "ReviewEvent",
    "ReviewQuerySet",
    "ReviewStateError",
    "ReviewTemplate",
    "Risk",
    "Signature",
    "SignerCertificate",
    "SignoffRequest",
    "Team",
]
