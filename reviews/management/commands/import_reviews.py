"""Restore reviews from a file written by export_reviews (never overwriting a row)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from reviews.backup import BackupError, import_reviews


class Command(BaseCommand):
    help = (
        "Restore the reviews of FILE (written by export_reviews; '-' reads standard input). "
        "Every hash is checked; an existing review or record refuses the whole file; one "
        "transaction, so a bad file changes nothing (exit code 2, one line saying why)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            if file == "-":
                count = import_reviews(sys.stdin)
            else:
                with open(file, encoding="utf-8") as source:
                    count = import_reviews(source)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 text", returncode=2) from exc
        except BackupError as exc:
            raise CommandError(f"{file}: {exc}", returncode=2) from exc
        self.stdout.write(f"imported {count} review(s)")
