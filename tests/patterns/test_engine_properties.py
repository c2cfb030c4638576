"""The engine's invariants on the kintone catalog 1.1.0 (hypothesis): requirements only add
exclusions, weight 0 removes a criterion, key order does not matter, reasons never contradict
each other, points match the catalog by hand, and every suggested flip holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from patterns import scoring
from tests.catalog_data import kintone_catalog_11

GS = "guest_space"
COMPILED = scoring.compile_catalog(kintone_catalog_11())
QUESTIONS = COMPILED.questions


# --- invariants (hypothesis) -------------------------------------------------------------------

answer_sets = st.dictionaries(
    st.sampled_from(sorted(QUESTIONS)), st.none(), max_size=len(QUESTIONS)
).flatmap(lambda keys: st.fixed_dictionaries({q: st.sampled_from(QUESTIONS[q]) for q in keys}))
weights_sets = st.dictionaries(st.sampled_from(COMPILED.criteria), st.integers(0, 3))
REQUIREMENTS = [
    ("internal_app_linkage", "required"),
    ("group_based_admin", "required"),
    ("data_outside_kintone", "not_allowed"),
    ("external_needs_kintone_features", "yes"),
    ("partner_isolation", "required"),
]


def excluded(answers, weights=None):
    return {e.pattern for e in scoring.rank(COMPILED, answers, weights).ranking if e.excluded}


@settings(max_examples=60, deadline=None)
@given(answer_sets, st.sampled_from(REQUIREMENTS))
def test_adding_a_requirement_never_un_excludes_a_pattern(answers, requirement):
    question, choice = requirement
    before = {q: c for q, c in answers.items() if q != question}
    assert excluded(before) <= excluded({**before, question: choice})


@settings(max_examples=60, deadline=None)
@given(answer_sets, st.sampled_from(COMPILED.criteria))
def test_weight_0_removes_a_criterion(answers, criterion):
    result = scoring.rank(COMPILED, answers, {criterion: 0})
    assert all(r.criterion != criterion for e in result.ranking for r in e.reasons)
    assert all(r.effect != 0 for e in result.ranking for r in e.reasons)


@settings(max_examples=40, deadline=None)
@given(answer_sets, weights_sets, st.randoms(use_true_random=False))
def test_key_order_does_not_matter(answers, weights, rnd):
    items = list(answers.items())
    rnd.shuffle(items)
    witems = list(weights.items())
    rnd.shuffle(witems)
    assert (
        scoring.rank(COMPILED, dict(items), dict(witems)).to_json()
        == scoring.rank(COMPILED, answers, weights).to_json()
    )


@settings(max_examples=80, deadline=None)
@given(answer_sets)
def test_no_contradiction_between_reasons(answers):
    result = scoring.rank(COMPILED, answers)
    statements = {(e.pattern, r.statement) for e in result.ranking for r in e.reasons}
    kintone = answers.get("partners_use_kintone")
    if kintone != "none":  # "every guest is paid" only when no partner has kintone, or some
        assert not any(
            r.statement == "gs-cost-guest-fee" and r.question == "partners_use_kintone"
            for e in result.ranking
            for r in e.reasons
        )
    if kintone == "all":  # no guest fee at all once every partner links its account
        assert (GS, "gs-cost-guest-fee") not in statements
    if kintone in (None, "none"):  # "Link Account is free" needs partners with kintone
        assert (GS, "gs-cost-link-account-free") not in statements
    for entry in result.ranking:  # an accepted risk is never a security merit
        for reason in entry.reasons:
            if reason.question in ("confidentiality", "data_outside_kintone"):
                assert not (reason.criterion == "security" and reason.effect > 0)
        assert 0 <= entry.score <= 100


def _possible_by_hand(answers, weights):
    """What each pattern could earn, straight from the catalog data (no index, no memo)."""
    used = scoring.rank(COMPILED, answers, weights).weights
    possible = dict.fromkeys(COMPILED.patterns, 0)
    for question in answers:
        best = dict.fromkeys(COMPILED.patterns, 0)
        for choice in QUESTIONS[question]:
            gains = dict.fromkeys(COMPILED.patterns, 0)
            for effect in COMPILED.effects[(question, choice)]:
                holds = all(answers.get(q) in cs for q, cs in effect.when)
                value = effect.weight * used[effect.criterion]
                if holds and value > 0:
                    gains[effect.pattern] += value
            best = {p: max(best[p], gains[p]) for p in best}
        possible = {p: possible[p] + best[p] for p in possible}
    return possible


@settings(max_examples=60, deadline=None)
@given(answer_sets, weights_sets)
def test_points_match_the_catalog_by_hand(answers, weights):
    result = scoring.rank(COMPILED, answers, weights)
    by_hand = _possible_by_hand(result.answers, weights)
    for entry in result.ranking:
        assert entry.earned == sum(r.effect for r in entry.reasons)
        assert entry.possible == by_hand[entry.pattern]


@settings(max_examples=40, deadline=None)
@given(answer_sets, weights_sets)
def test_every_suggested_flip_holds_when_scored_afresh(answers, weights):
    result = scoring.rank(COMPILED, answers, weights)
    for flip in result.sensitivity:
        if not flip.changes:
            continue
        changed = {**result.answers, **{c.question: c.to for c in flip.changes}}
        COMPILED.index.memo.clear()  # scored from scratch, not from the memo
        after = scoring.rank(COMPILED, changed, weights)
        eligible = [e for e in after.ranking if not e.excluded]
        assert not after.tie and eligible[0].pattern == flip.pattern
        assert eligible[0].score == flip.score and flip.weak == (flip.score < scoring.WEAK_FIT)
