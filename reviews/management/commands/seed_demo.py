import datetime
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from patterns.kinds.kintone.scenarios import S2, S3
from patterns.models import Catalog
from reviews import lifecycle
from reviews.models import DecisionRecord, Membership, Review, Team
from reviews.services import review_answer_save, review_create

SLUG = "kintone-external-collaboration"
PASSWORD = "hakari-demo-2026"  # noqa: S105 -- demo data only: refused with DEBUG off unless --force
USERS = {
    # role: (username, first name, last name, team role or None for site staff)
    "reviewer": ("demo-reviewer", "Ren", "Sato", Membership.Role.REVIEWER),
    "stakeholder": ("demo-stakeholder", "Aoi", "Suzuki", Membership.Role.STAKEHOLDER),
    "approver": ("demo-approver", "Kaito", "Takahashi", Membership.Role.APPROVER),
    "approver2": ("demo-approver2", "Yui", "Tanaka", Membership.Role.APPROVER),
    "staff": ("demo-admin", "Hana", "Ito", None),
}
IN_REVIEW_ANSWERS = S3  # an integration service for an open audience
APPROVED_ANSWERS = S2  # Department Access Control across many partners
APPROVED_NOTES = {
    "internal_app_linkage": "見積アプリから社内の案件管理アプリをルックアップで参照したい。",
    "data_outside_kintone": (
        "取引条件を含むため、社外サービスには置かない（情報セキュリティ規程）。"
    ),
}
DEMO_COST_INPUTS = {
    "course": "standard",
    "internal_users": 40,
    "external_users": 60,
    "external_own_account": 10,
    "paid_plugins": 2,
}
DRAFT_ANSWERS = {
    "partner_count": "many",
    "partner_isolation": "required",
    "external_user_count": "medium",
    "internal_app_linkage": "required",
    "group_based_admin": "required",
}


class Command(BaseCommand):
    help = (
        "Create (or refresh) the demo team, one user per role and reviews in each state. "
        "The last line printed is JSON: users, password and review ids."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="allow it with DEBUG off (never in production)"
        )

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a known password; refused with DEBUG off "
                "(use --force on a throwaway database)",
                returncode=2,
            )
        catalog = Catalog.objects.latest_published(SLUG)
        if catalog is None:
            raise CommandError(f"import the {SLUG} catalog first", returncode=2)

        team, _ = Team.objects.get_or_create(
            slug="demo", defaults={"name": "デモ株式会社 情報システム部"}
        )
        users = {}
        for role, (username, first, last, team_role) in USERS.items():
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                },
            )
            if created or not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
            user.is_staff = user.is_superuser = team_role is None
            user.save()
            if team_role:
                Membership.objects.update_or_create(
                    team=team, user=user, defaults={"role": team_role}
                )
            users[role] = user

        reviews = {"draft": self._draft(team, users, catalog).pk}
        reviews["in_review"] = self._in_review(team, users, catalog).pk
        approved, superseded = self._approved(team, users, catalog)
        reviews["approved"] = approved.pk
        reviews["superseded"] = superseded.pk
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Demo data ready: team {team.name}"))
            for role, user in users.items():
                self.stdout.write(f"  {role:12} {user.username} / {PASSWORD}")
            record = DecisionRecord.objects.get(review=approved)
            self.stdout.write(
                f"Approved record: review {approved.pk}, SHA-256 {record.sha256}, "
                f"PDF {record.pdf_size:,} bytes (SHA-256 {record.pdf_sha256})"
            )
        self.stdout.write(
            json.dumps(
                {
                    "users": {role: user.username for role, user in users.items()},
                    "password": PASSWORD,
                    "reviews": reviews,
                },
                ensure_ascii=False,
            )
        )

    def _draft(self, team, users, catalog) -> Review:
        title = "取引先ポータルの構成検討（ドラフト）"
        review = Review.objects.filter(team=team, title=title).first()
        if review is None:
            review = review_create(
                team=team,
                owner=users["reviewer"],
                title=title,
                context="複数の協力会社と見積・報告をやり取りする。協力会社同士は互いの情報を見てはならない。",
                catalog=catalog,
            )
            for question, choice in DRAFT_ANSWERS.items():
                review_answer_save(
                    review=review, user=users["reviewer"], question=question, choice=choice
                )
        return review

    def _answered(self, team, users, catalog, *, title, context, answers, notes=None) -> Review:
        review = review_create(
            team=team, owner=users["reviewer"], title=title, context=context, catalog=catalog
        )
        for question, choice in answers.items():
            review_answer_save(
                review=review,
                user=users["reviewer"],
                question=question,
                choice=choice,
                note=(notes or {}).get(question),
            )
        return review

    def _in_review(self, team, users, catalog) -> Review:
        """Sign-off requested from both approvers; the first has signed, the second has not."""
        title = "問い合わせ受付フォームの構成（承認待ち）"
        review = Review.objects.filter(team=team, title=title).first()
        if review is not None:
            return review
        review = self._answered(
            team,
            users,
            catalog,
            title=title,
            context="不特定多数の顧客から問い合わせを受け付け、社内で対応状況を管理する。",
            answers=IN_REVIEW_ANSWERS,
        )
        lifecycle.decision_save(
            review=review,
            user=users["reviewer"],
            pattern="external_service",
            confirmation="公開後1か月の受付件数と対応漏れを確認する。",
        )
        lifecycle.review_request_signoff(
            review=review,
            user=users["reviewer"],
            approvers=[users["approver"], users["approver2"]],
            notify=False,
        )
        lifecycle.review_sign(
            review=review,
            user=users["approver"],
            password=PASSWORD,
            comment="内容を確認しました。",
            notify=False,
        )
        return review

    def _approved(self, team, users, catalog) -> tuple[Review, Review]:
        """An approved review (the second version) and the first version it superseded."""
        title = "協力会社との見積・報告のやり取り"
        first = Review.objects.filter(team=team, title=title, revision_of=None).first()
        if first is not None:
            return first.revisions.get(status=Review.Status.APPROVED), first
        reviewer, approvers = users["reviewer"], [users["approver"], users["approver2"]]
        first = self._answered(
            team,
            users,
            catalog,
            title=title,
            context=(
                "30社の協力会社と見積・作業報告をやり取りする。協力会社同士は互いの情報を"
                "見てはならず、社内の案件管理アプリと連携させたい。"
            ),
            answers=APPROVED_ANSWERS,
            notes=APPROVED_NOTES,
        )
        self._cost_inputs(first)
        lifecycle.decision_save(
            review=first,
            user=reviewer,
            pattern="inter_org_access",
            justification="推奨どおり。社内アプリとの連携と、協力会社ごとの分離を両立できる。",
            confirmation="導入3か月後に、協力会社間で情報が見えていないことをアクセス権の監査で確認する。",
        )
        lifecycle.risk_add(
            review=first,
            user=reviewer,
            description="組織・グループの設定ミスで、協力会社同士に情報が見えてしまう。",
            owner_user=reviewer,
            mitigation="設定変更は2名で確認し、四半期ごとにアクセス権を監査する。",
            review_on=datetime.date(2027, 3, 31),
        )
        lifecycle.risk_add(
            review=first,
            user=reviewer,
            description="外部ユーザーにも通常のライセンス費用がかかる。",
            owner_name="情報システム部 予算担当",
            mitigation="利用の少ない協力会社は年1回見直す。",
        )
        self._sign_off(first, reviewer, approvers, "承認します。", "リスク対策を前提に承認します。")
        second = lifecycle.review_revise(review=first, user=reviewer)
        review_answer_save(
            review=second,
            user=reviewer,
            question="confidentiality",
            choice="medium",
            note="見積金額を含むが、個人情報は扱わない。",
        )
        lifecycle.decision_save(
            review=second,
            user=reviewer,
            pattern="inter_org_access",
            justification="推奨どおり。機密性の評価を追記したうえで、結論は変わらない。",
            confirmation="導入3か月後に、協力会社間で情報が見えていないことをアクセス権の監査で確認する。",
        )
        self._sign_off(second, reviewer, approvers, "改訂内容を確認しました。", "承認します。")
        first.refresh_from_db()
        second.refresh_from_db()
        return second, first

    def _sign_off(self, review, reviewer, approvers, *comments) -> None:
        lifecycle.review_request_signoff(
            review=review, user=reviewer, approvers=approvers, notify=False
        )
        for approver, comment in zip(approvers, comments, strict=True):
            lifecycle.review_sign(
                review=review, user=approver, password=PASSWORD, comment=comment, notify=False
            )

    def _cost_inputs(self, review) -> None:
        """The licence-cost inputs, when the catalog version has a price table."""
        if not review.catalog.price_table:
            return
        from reviews.services import review_cost_inputs_save

        review_cost_inputs_save(review=review, inputs=DEMO_COST_INPUTS)
