"""Write every review, with its record and the people it names, to a backup file."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from reviews.backup import BackupError, export_reviews


class Command(BaseCommand):
    help = (
        "Back up every review (answers, decision, risks, sign-offs, audit trail, stored "
        "decision records and PDFs, sign-off requests with their signed PDFs, and the users, "
        "teams, signing certificates (keys as stored, encrypted) and review templates) to "
        "FILE (JSON Lines; '-' for standard output). Restore with import_reviews."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            count = export_reviews(sys.stdout) if file == "-" else self._to_file(file)
        except BackupError as exc:
            raise CommandError(f"{file}: {exc}", returncode=2) from exc
        self.stderr.write(f"exported {count} review(s)")

    def _to_file(self, file: str) -> int:
        """A new file (never overwritten); a backup that fails leaves none behind."""
        try:
            out = open(file, "x", encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from exc
        try:
            with out:
                return export_reviews(out)
        except BackupError:
            os.remove(file)
            raise
