"""The engine on a tiny synthetic catalog: arithmetic, ranks, ties, exclusions, sensitivity."""

import pytest

from patterns import scoring
from tests.catalog_data import effect, tiny_catalog


def rank(answers, **kwargs):
    return scoring.rank(tiny_catalog(), answers, **kwargs).to_json()


def by_pattern(result):
    return {entry["pattern"]: entry for entry in result["ranking"]}


def test_it_scores_the_fit_with_reasons():
    result = rank({"q1": "x", "q2": "p"})
    entries = by_pattern(result)
    # a earns 2 + 1 of the 2 + 1 it could; b earns 1 of 3 (q1=y would give it 2)
    assert entries["a"]["score"] == 100
    assert entries["a"]["points"] == {"earned": 3, "possible": 3}
    assert entries["b"]["score"] == 33
    assert entries["b"]["points"] == {"earned": 1, "possible": 3}
    assert [e["pattern"] for e in result["ranking"]] == ["a", "b"]
    assert entries["a"]["rank"] == 1 and entries["b"]["rank"] == 2
    reasons = entries["a"]["reasons"]
    assert [(r["question"], r["choice"], r["effect"]) for r in reasons] == [
        ("q1", "x", 2),
        ("q2", "p", 1),
    ]
    assert reasons[0]["criterion"] == "c"
    assert reasons[0]["text"] == "moves a by 2"
    assert reasons[0]["statement"] == "a-c"
    assert result["tie"] is False


def test_it_treats_unanswered_questions_as_neutral():
    result = rank({})
    assert [e["score"] for e in result["ranking"]] == [0, 0]
    assert result["tie"] is True
    assert [e["rank"] for e in result["ranking"]] == [1, 1]


def test_it_reports_a_tie_and_never_breaks_it():
    result = rank({"q2": "p"})
    assert result["tie"] is True
    assert result["narrow"] is False
    assert [e["rank"] for e in result["ranking"]] == [1, 1]


def test_it_ranks_excluded_patterns_last_with_the_reason():
    result = rank({"q1": "y", "q2": "no"})
    entries = by_pattern(result)
    assert entries["b"]["score"] == 67  # still scored: 2 of the 2 + 1 it could earn
    assert entries["b"]["excluded"] is True
    assert entries["b"]["exclusions"] == [
        {
            "question": "q2",
            "choice": "no",
            "text": "b out",
            "statement": "b-c",
            "statement_text": "b is good at c",
        }
    ]
    assert [e["pattern"] for e in result["ranking"]] == ["a", "b"]
    assert entries["a"]["rank"] == 1 and entries["b"]["rank"] == 2
    assert result["tie"] is False


def _with_shared_boosts(data, count):
    """Add `count` questions whose choice `up` gives both patterns +3."""
    for n in range(count):
        data["steps"][0]["questions"].append(
            {
                "key": f"boost{n}",
                "text_ja": "追加",
                "text_en": "Boost",
                "help_ja": "",
                "help_en": "",
                "choices": [
                    {
                        "key": "up",
                        "label_ja": "上",
                        "label_en": "Up",
                        "effects": [effect("a", 3), effect("b", 3)],
                        "exclusions": [],
                    },
                    {
                        "key": "no",
                        "label_ja": "無",
                        "label_en": "No",
                        "effects": [],
                        "exclusions": [],
                    },
                ],
            }
        )
    return data


def test_it_flags_a_narrow_lead():
    # q1=x, q2=p: a fits 3/3, b 1/3; each boost gives both 3 of 3, so b closes in
    data = _with_shared_boosts(tiny_catalog(), 7)
    answers = {"q1": "x", "q2": "p"}
    assert scoring.rank(data, answers).to_json()["narrow"] is False  # 100 vs 33
    six = {**answers, **{f"boost{n}": "up" for n in range(6)}}
    result = scoring.rank(data, six).to_json()  # 100 vs 19/21 = 90: lead 10, not under 10
    assert by_pattern(result)["b"]["score"] == 90
    assert result["narrow"] is False
    seven = {**answers, **{f"boost{n}": "up" for n in range(7)}}
    result = scoring.rank(data, seven).to_json()  # 100 vs 22/24 = 92: lead 8
    assert by_pattern(result)["b"]["score"] == 92
    assert result["narrow"] is True
    assert result["tie"] is False
    assert result["ranking"][0]["rank"] == 1 and result["ranking"][1]["rank"] == 2


def test_criterion_weights_scale_every_contribution():
    result = rank({"q1": "x", "q2": "p"}, weights={"c": 3})
    assert by_pattern(result)["a"]["points"] == {"earned": 9, "possible": 9}
    assert by_pattern(result)["a"]["reasons"][0]["effect"] == 6
    zero = rank({"q1": "x", "q2": "p"}, weights={"c": 0})
    assert zero["tie"] is True
    assert all(entry["reasons"] == [] for entry in zero["ranking"])  # no "+0" reasons


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"nope": "x"}, "unknown question 'nope'; allowed: q1, q2"),
        ({"q1": "z"}, "unknown choice 'z' for 'q1'; allowed: x, y"),
        ({"q1": 3}, "unknown choice 3 for 'q1'; allowed: x, y"),
        (["q1"], "answers must be a JSON object"),
    ],
)
def test_it_rejects_unknown_keys_naming_the_allowed_values(answers, message):
    with pytest.raises(scoring.AnswerError) as info:
        rank(answers)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"zz": 1}, "unknown criterion 'zz'; allowed: c"),
        ({"c": 4}, "weight of 'c' must be a whole number from 0 to 3"),
        ({"c": True}, "weight of 'c' must be a whole number from 0 to 3"),
        ({"c": 1.5}, "weight of 'c' must be a whole number from 0 to 3"),
    ],
)
def test_it_rejects_bad_weights(weights, message):
    with pytest.raises(scoring.AnswerError) as info:
        rank({}, weights=weights)
    assert message in str(info.value)


def test_null_answers_count_as_unanswered():
    assert rank({"q1": None})["answers"] == {}


def test_sensitivity_finds_one_change_when_one_suffices():
    result = rank({"q1": "x", "q2": "p"})  # a wins 3:1
    assert result["sensitivity"] == [
        {
            "pattern": "b",
            "changes": [{"question": "q1", "from": "x", "to": "y"}],
            "by_exclusion": False,
            "weak": False,
            "score": 100,
        }
    ]


def test_sensitivity_needs_two_changes_when_one_does_not_suffice():
    result = rank({"q1": "x", "q2": "no"})  # b excluded and behind
    assert result["sensitivity"] == [
        {
            "pattern": "b",
            "changes": [
                {"question": "q1", "from": "x", "to": "y"},
                {"question": "q2", "from": "no", "to": "p"},
            ],
            "by_exclusion": False,
            "weak": False,
            "score": 100,
        }
    ]


def test_sensitivity_reports_unanswered_questions_as_from_null():
    result = rank({"q2": "p"})  # tie: both need a change
    changes = {item["pattern"]: item["changes"] for item in result["sensitivity"]}
    assert changes["a"] == [{"question": "q1", "from": None, "to": "x"}]
    assert changes["b"] == [{"question": "q1", "from": None, "to": "y"}]


def test_sensitivity_says_when_no_two_changes_do():
    data = tiny_catalog()
    # make b unable to ever win: no answer gives b anything
    data["steps"][0]["questions"][0]["choices"][1]["effects"] = []
    data["steps"][0]["questions"][1]["choices"][0]["effects"] = [effect("a", 1)]
    result = scoring.rank(data, {"q1": "x", "q2": "p"}).to_json()
    assert result["sensitivity"] == [
        {"pattern": "b", "changes": [], "by_exclusion": False, "weak": False, "score": None}
    ]


def test_it_answers_in_both_languages():
    ja = rank({"q1": "x"}, lang="ja")
    assert by_pattern(ja)["a"]["reasons"][0]["text"] == "moves a by 2（日本語）"
    with pytest.raises(scoring.AnswerError):
        rank({}, lang="fr")


def test_to_json_keeps_the_contract_key_order():
    result = scoring.rank(tiny_catalog(), {"q1": "x", "q2": "p"})
    data = result.to_json()
    assert list(data) == [
        "catalog",
        "catalog_version",
        "answers",
        "weights",
        "tie",
        "narrow",
        "ranking",
        "sensitivity",
        "weak",
        "weights_from",
    ]
    entry = data["ranking"][0]
    assert list(entry) == [
        "pattern",
        "rank",
        "score",
        "excluded",
        "exclusions",
        "reasons",
        "points",
    ]
    assert list(entry["reasons"][0]) == [
        "question",
        "choice",
        "criterion",
        "effect",
        "text",
        "statement",
        "statement_text",
    ]
    assert all(
        list(c) == ["question", "from", "to"] for f in data["sensitivity"] for c in f["changes"]
    )
