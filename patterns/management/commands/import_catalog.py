import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from patterns.models import version_key
from patterns.services import CatalogImportError, catalog_import


class Command(BaseCommand):
    help = (
        "Import a catalog version from a JSON file (fixtures/catalogs/README.md). The whole "
        "file is "
        "checked first; with any problem nothing is written and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="catalog JSON file(s)")
        parser.add_argument(
            "--draft", action="store_true", help="import as an unpublished draft version"
        )

    def handle(self, *args, files, draft, **options):
        loaded = []
        for name in files:
            path = Path(name)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise CommandError(f"{name}: cannot read: {exc.strerror}", returncode=2) from exc
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
                reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
                raise CommandError(f"{name}: not valid JSON: {reason}", returncode=2) from exc
            loaded.append((name, data))
        # oldest version first, so that the newest is published last whatever the file order
        loaded.sort(key=lambda item: version_key(item[1]))
        for name, data in loaded:
            try:
                catalog, created = catalog_import(data, publish=not draft)
            except CatalogImportError as exc:
                for problem in exc.problems:
                    self.stderr.write(f"{name}: {problem}")
                raise CommandError(
                    f"{name}: rejected, {len(exc.problems)} problem(s); nothing was imported",
                    returncode=2,
                ) from exc
            if options["verbosity"] > 0:
                if created:
                    self.stdout.write(self.style.SUCCESS(f"Imported {catalog}"))
                else:
                    self.stdout.write(f"{catalog} is already imported with this content")
