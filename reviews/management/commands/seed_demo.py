import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from patterns.models import Catalog
from reviews.models import Membership, Review, Team
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
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Demo data ready: team {team.name}"))
            for role, user in users.items():
                self.stdout.write(f"  {role:12} {user.username} / {PASSWORD}")
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
