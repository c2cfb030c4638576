import json
import sys

from django.core.management.base import BaseCommand, CommandError

from patterns import scoring
from patterns.explanation import recommendation_as_text
from patterns.models import Catalog
from patterns.services import compiled_catalog


class Command(BaseCommand):
    help = (
        "Rank a catalog's patterns for a set of answers ({question: choice} as JSON), with "
        "reasons, exclusions, tie/narrow flags and the sensitivity analysis."
    )

    def add_arguments(self, parser):
        parser.add_argument("--catalog", required=True, metavar="SLUG")
        parser.add_argument(
            "--catalog-version", dest="catalog_version", help="default: latest published"
        )
        parser.add_argument(
            "--answers", required=True, metavar="FILE", help="JSON file of answers; - for stdin"
        )
        parser.add_argument("--weights", help='criterion weights as JSON, e.g. {"security": 3}')
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--lang", choices=["ja", "en"], default="ja")

    def handle(self, *args, **options):
        slug = options["catalog"]
        if options["catalog_version"]:
            catalog = (
                Catalog.objects.published()
                .filter(slug=slug, version=options["catalog_version"])
                .first()
            )
        else:
            catalog = Catalog.objects.latest_published(slug)
        if catalog is None:
            raise CommandError(f"unknown catalog {slug!r}", returncode=2)

        try:
            answers = self._read_json(options["answers"], "answers")
            weights = None
            if options["weights"]:
                weights = scoring.load_json(options["weights"], "--weights")
            compiled = compiled_catalog(catalog)
            result = scoring.rank(compiled, answers, weights=weights, lang=options["lang"])
        except scoring.AnswerError as exc:
            raise CommandError(str(exc), returncode=2) from exc

        if options["format"] == "json":
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(recommendation_as_text(compiled, result, options["lang"]))

    def _read_json(self, name: str, what: str):
        """The file's JSON; AnswerError (one line, exit 2) when it is not UTF-8 JSON."""
        try:
            if name == "-":
                stream = getattr(sys.stdin, "buffer", sys.stdin)  # bytes when it is a real stdin
                raw = stream.read()
            else:
                with open(name, "rb") as fh:
                    raw = fh.read()
        except OSError as exc:
            raise CommandError(f"{what}: cannot read {name}: {exc.strerror}", returncode=2) from exc
        return scoring.load_json(raw, what)
