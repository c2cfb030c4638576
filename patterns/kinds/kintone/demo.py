"""The kintone demo story: what seed_demo's reviews answer, decide and sign (reviews/demo.py).

The draft is half answered; the review awaiting sign-off is S3 (an integration service for an
open audience); the approved one is S2 (Department Access Control across many partners), with
notes, cost inputs, two risks and a revision.
"""

from __future__ import annotations

import datetime

from ..base import DemoDecision, DemoReview, DemoRevision, DemoRisk, DemoStory
from .scenarios import S2, S3

CONFIRM_ISOLATION = (
    "導入3か月後に、協力会社間で情報が見えていないことをアクセス権の監査で確認する。"
)

DEMO = DemoStory(
    draft=DemoReview(
        title="取引先ポータルの構成検討（ドラフト）",
        context=(
            "複数の協力会社と見積・報告をやり取りする。協力会社同士は互いの情報を見てはならない。"
        ),
        answers={
            "partner_count": "many",
            "partner_isolation": "required",
            "external_user_count": "medium",
            "internal_app_linkage": "required",
            "group_based_admin": "required",
        },
    ),
    in_review=DemoReview(
        title="問い合わせ受付フォームの構成（承認待ち）",
        context="不特定多数の顧客から問い合わせを受け付け、社内で対応状況を管理する。",
        answers=S3,
        decision=DemoDecision(
            pattern="external_service",
            confirmation="公開後1か月の受付件数と対応漏れを確認する。",
        ),
        sign_comments=("内容を確認しました。",),  # the second approver has not signed yet
    ),
    approved=DemoReview(
        title="協力会社との見積・報告のやり取り",
        context=(
            "30社の協力会社と見積・作業報告をやり取りする。協力会社同士は互いの情報を"
            "見てはならず、社内の案件管理アプリと連携させたい。"
        ),
        answers=S2,
        notes={
            "internal_app_linkage": (
                "見積アプリから社内の案件管理アプリをルックアップで参照したい。"
            ),
            "data_outside_kintone": (
                "取引条件を含むため、社外サービスには置かない（情報セキュリティ規程）。"
            ),
        },
        cost_inputs={
            "course": "standard",
            "internal_users": 40,
            "external_users": 60,
            "external_own_account": 10,
            "paid_plugins": 2,
        },
        decision=DemoDecision(
            pattern="inter_org_access",
            justification="推奨どおり。社内アプリとの連携と、協力会社ごとの分離を両立できる。",
            confirmation=CONFIRM_ISOLATION,
        ),
        risks=(
            DemoRisk(
                description="組織・グループの設定ミスで、協力会社同士に情報が見えてしまう。",
                mitigation="設定変更は2名で確認し、四半期ごとにアクセス権を監査する。",
                review_on=datetime.date(2027, 3, 31),
            ),
            DemoRisk(
                description="外部ユーザーにも通常のライセンス費用がかかる。",
                owner_name="情報システム部 予算担当",
                mitigation="利用の少ない協力会社は年1回見直す。",
            ),
        ),
        sign_comments=("承認します。", "リスク対策を前提に承認します。"),
    ),
    revision=DemoRevision(
        answers={"confidentiality": "medium"},
        notes={"confidentiality": "見積金額を含むが、個人情報は扱わない。"},
        decision=DemoDecision(
            pattern="inter_org_access",
            justification="推奨どおり。機密性の評価を追記したうえで、結論は変わらない。",
            confirmation=CONFIRM_ISOLATION,
        ),
        sign_comments=("改訂内容を確認しました。", "承認します。"),
    ),
)
