import json

from django.core.management.base import BaseCommand, CommandError

from patterns.models import Catalog
from patterns.services import catalog_to_dict


class Command(BaseCommand):
    help = "Write a catalog version as JSON (the import format) to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument(
            "--catalog-version", dest="catalog_version", help="default: latest published"
        )
        parser.add_argument("-o", "--output", help="file to write (default: stdout)")

    def handle(self, *args, slug, catalog_version, output, **options):
        catalogs = Catalog.objects.filter(slug=slug)
        if catalog_version:
            catalog = catalogs.filter(version=catalog_version).first()
        else:
            catalog = Catalog.objects.latest_published(slug) or catalogs.order_by("-pk").first()
        if catalog is None:
            known = ", ".join(sorted(set(Catalog.objects.values_list("slug", flat=True)))) or "none"
            raise CommandError(
                f"no catalog {slug!r}"
                + (f" version {catalog_version!r}" if catalog_version else "")
                + f"; known: {known}",
                returncode=2,
            )
        text = json.dumps(catalog_to_dict(catalog), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            if options["verbosity"] > 0:
                self.stderr.write(self.style.SUCCESS(f"Wrote {catalog} to {output}"))
        else:
            self.stdout.write(text, ending="")
