from django.core.management.base import BaseCommand, CommandError

from reviews.models import DecisionRecord, Review
from reviews.records.canonical import record_json, stored_or_live
from reviews.records.markdown import record_markdown
from reviews.records.pdf import RecordRenderError, record_pdf
from reviews.records.sections import signoff_rows

FORMATS = ("pdf", "md", "json")


class Command(BaseCommand):
    help = (
        "Write a review's decision record as PDF, Markdown (MADR) or JSON. An approved "
        "review's record is the stored one (the PDF byte for byte); before approval, a preview "
        "(the PDF watermarked DRAFT)."
    )

    def add_arguments(self, parser):
        parser.add_argument("review_id", help="the review's id")
        parser.add_argument("--format", default="pdf", help="pdf, md or json (default pdf)")
        parser.add_argument(
            "-o", "--output", default="-", help="the file to write; - (the default) is stdout"
        )

    def handle(self, *args, review_id, format, output, **options):
        if format not in FORMATS:
            raise CommandError(
                f"unknown format {format!r}; allowed: {', '.join(FORMATS)}", returncode=2
            )
        if not review_id.isdigit():
            raise CommandError(f"review id must be a number, not {review_id!r}", returncode=2)
        review = (
            Review.objects.select_related("team", "owner", "catalog")
            .filter(pk=int(review_id))
            .first()
        )
        if review is None:
            raise CommandError(f"no review with id {review_id}", returncode=2)

        if format == "pdf":
            record = DecisionRecord.objects.filter(review=review).first()
            try:
                body = bytes(record.pdf) if record else record_pdf(review, draft=True)
            except RecordRenderError as exc:
                raise CommandError(f"the PDF could not be rendered: {exc}", returncode=1) from exc
        else:
            content, record = stored_or_live(review)
            if format == "json":
                body = record.canonical_json.encode("utf-8") if record else record_json(content)
            else:
                sha256 = record.sha256 if record else None
                body = record_markdown(
                    content,
                    sha256=sha256,
                    status=review.status if record else None,
                    signoffs=signoff_rows(review) if record else None,
                ).encode("utf-8")

        if output == "-":
            stream = getattr(self.stdout._out, "buffer", None)  # binary stdout, when there is one
            if stream is not None:
                self.stdout.flush()
                stream.write(body)
                stream.flush()
            elif format == "pdf":
                raise CommandError("write the PDF to a file: -o FILE", returncode=2)
            else:
                self.stdout.write(body.decode("utf-8"), ending="")
        else:
            try:
                with open(output, "wb") as handle:
                    handle.write(body)
            except OSError as exc:
                raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=2) from exc
            if options["verbosity"] > 0:
                kind = "record" if record else "preview"
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Wrote the {kind} of review {review.pk} ({format}, {len(body):,} bytes) "
                        f"to {output}"
                    )
                )
