"""Write every review, with its record and the people it names, to a backup file."""

import sys

from django.core.management.base import BaseCommand, CommandError

from reviews.backup import export_reviews


class Command(BaseCommand):
    help = (
        "Back up every review (answers, decision, risks, sign-offs, audit trail, stored "
        "decision records and PDFs, and the users and teams they name) to FILE (JSON Lines; "
        "'-' for standard output). Restore with import_reviews."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        if file == "-":
            count = export_reviews(sys.stdout)
        else:
            try:
                with open(file, "x", encoding="utf-8") as out:
                    count = export_reviews(out)
            except OSError as exc:
                raise CommandError(f"{file}: {exc.strerror}", returncode=2) from exc
        self.stderr.write(f"exported {count} review(s)")
