import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from patterns.kinds import UnknownKind
from patterns.models import Catalog
from reviews.demo import PASSWORD, demo_seed, non_demo_users
from reviews.models import DecisionRecord
from reviews.signing import pki

SLUG = "kintone-external-collaboration"


class Command(BaseCommand):
    help = (
        "Create (or refresh) the demo team, one user per role and reviews in each state. "
        "The last line printed is JSON: users, password and review ids."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="allow it with DEBUG off, on a database with no other accounts (never production)",
        )

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a known password; refused with DEBUG off "
                "(use --force on a throwaway database)",
                returncode=2,
            )
        others = non_demo_users()
        if others:  # never beside real accounts, --force or not
            raise CommandError(
                "seed_demo refused: this database has accounts that are not demo users "
                f"({', '.join(others)[:80]}); demo users have a published password",
                returncode=2,
            )
        catalog = Catalog.objects.latest_published(SLUG)
        if catalog is None:
            raise CommandError(f"import the {SLUG} catalog first", returncode=2)
        try:
            demo = demo_seed(catalog=catalog)
        except UnknownKind as exc:
            raise CommandError(f"{SLUG} has no demo story: {exc}", returncode=2) from exc

        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Demo data ready: team {demo.team.name}"))
            for role, user in demo.users.items():
                self.stdout.write(f"  {role:12} {user.username} / {PASSWORD}")
            ca = pki.authority()
            self.stdout.write(
                f"Signing CA: {ca.directory} (SHA-256 {pki.pretty_fingerprint(ca.ca_fingerprint)})"
            )
            approved = demo.reviews["approved"]
            record = DecisionRecord.objects.get(review=approved)
            self.stdout.write(
                f"Approved record: review {approved.pk}, SHA-256 {record.sha256}, "
                f"PDF {record.pdf_size:,} bytes (SHA-256 {record.pdf_sha256})"
            )
        self.stdout.write(
            json.dumps(
                {
                    "users": {role: user.username for role, user in demo.users.items()},
                    "password": PASSWORD,
                    "reviews": {status: review.pk for status, review in demo.reviews.items()},
                },
                ensure_ascii=False,
            )
        )
