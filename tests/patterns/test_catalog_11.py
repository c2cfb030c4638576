"""The kintone catalog 1.1.0 (format 2): situations written from the guide, and the invariants
the engine must keep on it (hypothesis). Each situation cites the guide's sentence it rests on."""

from __future__ import annotations

import re

import pytest

from patterns import scoring
from patterns.kinds.kintone.scenarios import S1, S2, S3, S4
from patterns.validation import validate_catalog
from tests.catalog_data import kintone_catalog, kintone_catalog_11

GS, IOA, EXT, SD = "guest_space", "inter_org_access", "external_service", "separate_domain"
COMPILED = scoring.compile_catalog(kintone_catalog_11())
QUESTIONS = COMPILED.questions

# (guide phrase, answers, first (None: a tie), excluded, weak)
SITUATIONS = [
    (
        "1:1の簡易的なコミュニケーションとデータの共有であれば、この機能のみで完結",
        {"partner_count": "one", "external_user_count": "small", "exchange_complexity": "simple"},
        GS,
        set(),
        False,
    ),
    (
        "外部ユーザーも自社でkintoneを契約している場合、アカウントの共通化を行えば、ゲストユーザーの費用も掛かりません",
        {"partner_count": "one", "partners_use_kintone": "all"},
        GS,
        set(),
        False,
    ),
    (
        "kintoneユーザー同士でやり取りするケース",
        {
            "partner_count": "few",
            "partner_isolation": "not_required",
            "partners_use_kintone": "all",
            "external_user_count": "small",
        },
        GS,
        set(),
        False,
    ),
    (
        "ゲストスペース外のアプリとルックアップ・関連レコードでアプリ連携することも出来ない",
        {
            "partner_count": "few",
            "partner_isolation": "required",
            "internal_app_linkage": "required",
        },
        IOA,
        {GS, SD},
        False,
    ),
    (
        "複数の外部ユーザーとやり取りしつつ、社内利用のアプリとやり取りを行うアプリを連携させて利用したいケース",
        {
            "partner_count": "many",
            "partner_isolation": "required",
            "internal_app_linkage": "required",
            "internal_use_same_env": "no",
        },
        IOA,
        {GS, SD},
        False,
    ),
    (
        "ゲストスペースでは組織やグループ単位での指定が利用できない",
        {
            "internal_app_linkage": "required",
            "group_based_admin": "required",
            "data_outside_kintone": "not_allowed",
        },
        IOA,
        {GS, SD, EXT},
        False,
    ),
    (
        "外部ユーザーも「組織」「グループ(ロール)」で管理ができる",
        {"group_based_admin": "required"},
        None,
        {GS},
        False,
    ),
    (
        "用途によって環境は完全に分断されているので情報が混在する恐れは少ない",
        {
            "partner_count": "many",
            "internal_use_same_env": "yes",
            "confidentiality": "high",
            "data_outside_kintone": "not_allowed",
            "external_needs_kintone_features": "yes",
        },
        SD,
        {EXT},
        False,
    ),
    (
        "セキュリティ性は担保したいケースまたはkintoneの機能を利用したいケース",
        {
            "partner_count": "few",
            "exchange_complexity": "complex",
            "external_needs_kintone_features": "yes",
            "internal_use_same_env": "yes",
            "paid_plugins": "none",
        },
        SD,
        {EXT},
        False,
    ),
    (
        "外部ユーザーは必要な入出力部分のみを外部連携サービスに切り出して利用",
        {"external_needs_kintone_features": "yes"},
        None,
        {EXT},
        False,
    ),
    (
        "不特定多数の外部ユーザーとやり取りが発生し、やり取りの内容・流れが比較的シンプルなケース",
        {
            "partner_count": "open",
            "exchange_complexity": "simple",
            "external_needs_kintone_features": "no",
        },
        EXT,
        set(),
        False,
    ),
    (
        "kintone環境の外にデータを渡すことになり",
        {
            "partner_count": "open",
            "data_outside_kintone": "not_allowed",
            "exchange_complexity": "simple",
        },
        None,
        {EXT},
        True,
    ),
    (
        "kintoneの本ライセンスに比べるとコストは下がります",
        {
            "partners_use_kintone": "none",
            "external_user_count": "large",
            "cost_priority": "high",
            "exchange_complexity": "simple",
        },
        EXT,
        set(),
        False,
    ),
    (
        "社内用途と社外用途が一つのkintone環境で混在してしまう",
        {
            "internal_app_linkage": "required",
            "internal_use_same_env": "yes",
            "confidentiality": "high",
        },
        EXT,
        {GS, SD},
        False,
    ),
    (
        "プラグイン契約が多い場合、コスト面で割高となる懸念",
        {
            "paid_plugins": "many",
            "cost_priority": "high",
            "partner_count": "many",
            "partner_isolation": "required",
        },
        IOA,
        set(),
        False,
    ),
    (
        "やり取りする外部ユーザーが多い際には…組織を作成し、自社ユーザーもその組織に属する必要があるので複雑になる",
        {
            "partner_count": "many",
            "partner_isolation": "required",
            "admin_capacity": "limited",
            "exchange_complexity": "simple",
            "external_needs_kintone_features": "no",
        },
        EXT,
        set(),
        False,
    ),
    (
        "本環境とゲストスペースは完全に分断されているので情報が混在する恐れは少ない",
        {"internal_use_same_env": "yes"},
        None,
        set(),
        False,
    ),
    (
        "やり取りする情報の機密性で選択することをお勧めします",
        {"confidentiality": "high"},
        None,
        set(),
        True,
    ),
    (
        "やり取りする外部ユーザーが1、ないしは少数のケース",
        {
            "partner_count": "one",
            "internal_app_linkage": "preferred",
            "external_user_count": "small",
        },
        GS,
        set(),
        False,
    ),
    (
        "社内業務で利用しているアプリとやり取りを行うアプリで、ルックアップ・関連レコードなどのアプリ連携が利用出来る",
        {
            "partner_count": "many",
            "external_user_count": "large",
            "group_based_admin": "required",
            "internal_app_linkage": "preferred",
            "internal_use_same_env": "no",
            "data_outside_kintone": "not_allowed",
        },
        IOA,
        {GS, EXT},
        False,
    ),
    (
        "kintone以外の部分にデータを一時的に預ける構成となる",
        {"confidentiality": "low", "data_outside_kintone": "allowed"},
        None,
        set(),
        True,
    ),
    (
        "不特定多数の外部ユーザーとやり取りが発生し",
        {
            "partner_count": "open",
            "external_user_count": "large",
            "internal_use_same_env": "yes",
            "confidentiality": "high",
        },
        EXT,
        set(),
        False,
    ),
    (
        # the heavier setup must not draw level on points it did not earn: its second contract
        "別ドメインにあるアプリ同士を基本機能を利用して連携することはできません。また、kintoneアカウントのライセンス費用やプラグインの契約費用などが重複する",
        {"partner_count": "few", "partner_isolation": "required"},
        IOA,
        set(),
        False,
    ),
    (
        # an open-ended public and a simple flow, but confidential data held outside kintone
        "やり取りする情報の機密性で選択することをお勧めします",
        {
            "partner_count": "open",
            "exchange_complexity": "simple",
            "confidentiality": "high",
            "data_outside_kintone": "allowed",
        },
        EXT,
        set(),
        True,
    ),
    (
        # one partner without kintone: paid guests are the normal case, not a reason against
        "1:1の簡易的なコミュニケーションとデータの共有であれば、この機能のみで完結します",
        {"partner_count": "one", "partners_use_kintone": "none", "external_user_count": "small"},
        GS,
        set(),
        False,
    ),
]


@pytest.mark.parametrize(
    ("citation", "answers", "first", "excluded", "weak"),
    SITUATIONS,
    ids=[f"G{n:02d}" for n in range(1, len(SITUATIONS) + 1)],
)
def test_situations_from_the_guide(citation, answers, first, excluded, weak):
    assert citation
    result = scoring.rank(COMPILED, answers)
    if first is None:
        assert result.tie or result.weak
    else:
        assert result.ranking[0].pattern == first and not result.tie
        assert not result.ranking[0].excluded
    assert {e.pattern for e in result.ranking if e.excluded} == excluded
    assert result.weak is weak


def test_there_are_at_least_twenty_situations():
    assert len(SITUATIONS) >= 20


@pytest.mark.parametrize(
    ("answers", "first"), [(S1, GS), (S2, IOA), (S3, EXT), (S4, SD)], ids=["S1", "S2", "S3", "S4"]
)
def test_the_canonical_scenarios_still_rank_under_1_1(answers, first):
    result = scoring.rank(COMPILED, answers)
    assert result.ranking[0].pattern == first
    assert not result.tie and not result.narrow and not result.weak


# --- the catalog's data ------------------------------------------------------------------------


def test_1_1_is_valid_format_2_and_1_0_is_unchanged():
    data = kintone_catalog_11()
    assert validate_catalog(data) == []
    assert data["format"] == 2 and data["version"] == "1.1.0"
    assert kintone_catalog()["version"] == "1.0.0" and kintone_catalog()["format"] == 1
    assert "Cybozu" in data["source"]["publisher"]
    assert "パターン実践ガイド" in data["source"]["series"]
    assert data["guidance_ja"] and data["guidance_en"]


def test_every_statement_has_a_basis_and_inferences_cite_no_section():
    for pattern in kintone_catalog_11()["patterns"]:
        for statement in pattern["statements"]:
            basis = statement["basis"]
            assert basis["type"] in ("guide", "kintone_help", "inference")
            if basis["type"] == "inference":
                assert set(basis) == {"type"}


def _texts(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def test_no_english_in_parentheses_inside_japanese_text():
    for path, text in _texts(kintone_catalog_11()):
        if path.endswith("_ja"):
            assert not re.search(r"（[^）]*[A-Za-z]{3,}[^）]*）", text), path


def test_no_security_merit_comes_from_accepting_a_risk():
    for step in kintone_catalog_11()["steps"]:
        for question in step["questions"]:
            if question["key"] not in ("confidentiality", "data_outside_kintone"):
                continue
            for choice in question["choices"]:
                for effect in choice["effects"]:
                    assert not (effect["criterion"] == "security" and effect["weight"] > 0)


def test_the_same_guide_verdict_gives_the_same_contribution():
    # まとめ表 / セキュリティ性: the Guest Space and the separate domain are both fully separated
    result = scoring.rank(COMPILED, {"internal_use_same_env": "yes"})
    assert result.entry(GS).earned == result.entry(SD).earned


def test_cost_priority_sets_the_cost_weight_unless_stated():
    result = scoring.rank(COMPILED, {"cost_priority": "high", "paid_plugins": "many"})
    assert result.weights["cost"] == 3
    assert result.weight_from["cost"] == ("cost_priority", "high")
    assert all(r.question != "cost_priority" for e in result.ranking for r in e.reasons)
    stated = scoring.rank(COMPILED, {"cost_priority": "high"}, weights={"cost": 1})
    assert stated.weights["cost"] == 1 and "cost" not in stated.weight_from
