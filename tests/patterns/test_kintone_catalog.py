"""The shipped kintone catalog: product.md's scenarios, exclusions and coverage of the guide."""

import pytest

from patterns import scoring
from patterns.kinds.kintone.scenarios import S1, S2, S3, S4
from tests.catalog_data import kintone_catalog

PATTERNS = ["guest_space", "inter_org_access", "external_service", "separate_domain"]
CRITERIA = ["app_linkage", "user_management", "security", "use_cases", "cost"]

QUESTIONS = {
    "partner_count": ["one", "few", "many", "open"],
    "partner_isolation": ["required", "not_required"],
    "partners_use_kintone": ["all", "some", "none"],
    "external_user_count": ["small", "medium", "large"],
    "internal_app_linkage": ["required", "preferred", "not_needed"],
    "group_based_admin": ["required", "not_needed"],
    "internal_use_same_env": ["yes", "no"],
    "confidentiality": ["low", "medium", "high"],
    "data_outside_kintone": ["allowed", "not_allowed"],
    "exchange_complexity": ["simple", "complex"],
    "external_needs_kintone_features": ["yes", "no"],
    "paid_plugins": ["none", "few", "many"],
    "cost_priority": ["low", "medium", "high"],
    "admin_capacity": ["ample", "limited"],
}


@pytest.fixture(scope="module")
def compiled():
    return scoring.compile_catalog(kintone_catalog())


@pytest.mark.parametrize(
    ("answers", "first"),
    [
        (S1, "guest_space"),
        (S2, "inter_org_access"),
        (S3, "external_service"),
        (S4, "separate_domain"),
    ],
    ids=["S1", "S2", "S3", "S4"],
)
def test_canonical_scenarios_rank_the_named_pattern_first(compiled, answers, first):
    result = scoring.rank(compiled, answers).to_json()
    top = result["ranking"][0]
    assert top["pattern"] == first
    assert top["rank"] == 1 and not top["excluded"]
    assert result["tie"] is False
    assert result["narrow"] is False, "the guide's own use case should be a clear winner"
    assert [e["pattern"] for e in result["ranking"]].count(first) == 1
    assert sorted(e["pattern"] for e in result["ranking"]) == sorted(PATTERNS)
    for entry in result["ranking"]:
        assert entry["points"]["earned"] == sum(r["effect"] for r in entry["reasons"])
        assert 0 <= entry["score"] <= 100
        for reason in entry["reasons"]:
            assert reason["question"] in answers
            assert reason["choice"] == answers[reason["question"]]
            assert reason["criterion"] in CRITERIA
            assert reason["text"] and reason["statement_text"]


def test_s2_excludes_as_the_hard_requirements_say(compiled):
    result = scoring.rank(compiled, S2).to_json()
    excluded = {e["pattern"]: e for e in result["ranking"] if e["excluded"]}
    assert set(excluded) == {"guest_space", "separate_domain", "external_service"}
    assert {(x["question"], x["choice"]) for x in excluded["guest_space"]["exclusions"]} == {
        ("internal_app_linkage", "required")
    }
    assert {(x["question"], x["choice"]) for x in excluded["external_service"]["exclusions"]} == {
        ("data_outside_kintone", "not_allowed")
    }
    assert [e["pattern"] for e in result["ranking"]][1:] == [
        e["pattern"] for e in result["ranking"] if e["excluded"]
    ]


def test_only_the_contracted_answers_exclude(compiled):
    for question, choices in QUESTIONS.items():
        for choice in choices:
            excluded = {x.pattern for x in compiled.exclusions[(question, choice)]}
            expected = {
                ("internal_app_linkage", "required"): {"guest_space", "separate_domain"},
                ("data_outside_kintone", "not_allowed"): {"external_service"},
            }.get((question, choice), set())
            assert excluded == expected, (question, choice)


def test_keys_are_exactly_the_contract(compiled):
    assert compiled.patterns == PATTERNS
    assert compiled.criteria == CRITERIA
    assert compiled.questions == QUESTIONS


def test_every_pattern_has_statements_on_every_criterion():
    data = kintone_catalog()
    for pattern in data["patterns"]:
        criteria = {s["criterion"] for s in pattern["statements"]}
        assert criteria == set(CRITERIA), pattern["key"]
        assert pattern["use_cases"], pattern["key"]
        for statement in pattern["statements"]:
            assert statement["source_section"]
            assert statement["text_ja"] != statement["text_en"]


def test_every_question_moves_some_pattern(compiled):
    for question, choices in QUESTIONS.items():
        moved = [c for c in choices if compiled.effects[(question, c)]]
        assert moved, question


def test_the_guides_reasoning_holds_beyond_the_four_rows(compiled):
    # A partner that already uses kintone, one-to-one, with internal master data preferred:
    # still a guest space (Link Account) unless linkage is required.
    one_to_one = {
        "partner_count": "one",
        "partners_use_kintone": "all",
        "external_user_count": "small",
    }
    assert scoring.rank(compiled, one_to_one).to_json()["ranking"][0]["pattern"] == "guest_space"
    # Many snow-clearing vendors without kintone, simple monthly reports: a form/view service.
    vendors = {
        "partner_count": "many",
        "partners_use_kintone": "none",
        "exchange_complexity": "simple",
        "external_needs_kintone_features": "no",
        "cost_priority": "high",
    }
    assert scoring.rank(compiled, vendors).to_json()["ranking"][0]["pattern"] == "external_service"
    # Reports that must link to internal master apps across several partners kept apart.
    linked = {
        "partner_count": "few",
        "partner_isolation": "required",
        "internal_app_linkage": "required",
        "external_needs_kintone_features": "yes",
    }
    assert scoring.rank(compiled, linked).to_json()["ranking"][0]["pattern"] == "inter_org_access"
    # Many plugins and tight budget make a separate domain worse than without them.
    base = dict(S4)
    costly = {**S4, "paid_plugins": "many", "cost_priority": "high"}
    score = {e["pattern"]: e["score"] for e in scoring.rank(compiled, base).to_json()["ranking"]}
    costly_score = {
        e["pattern"]: e["score"] for e in scoring.rank(compiled, costly).to_json()["ranking"]
    }
    assert costly_score["separate_domain"] < score["separate_domain"]


def test_sensitivity_is_given_for_every_pattern_but_the_winner(compiled):
    result = scoring.rank(compiled, S1).to_json()
    assert {item["pattern"] for item in result["sensitivity"]} == set(PATTERNS) - {"guest_space"}
    for item in result["sensitivity"]:
        assert len(item["changes"]) <= 2
        if item["changes"]:
            changed = dict(S1)
            changed.update({c["question"]: c["to"] for c in item["changes"]})
            for change in item["changes"]:
                assert change["from"] == S1.get(change["question"])
            again = scoring.rank(compiled, changed).to_json()
            assert again["ranking"][0]["pattern"] == item["pattern"]
            assert again["tie"] is False
