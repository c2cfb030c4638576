"""`manage.py pki init|show`: the installation's certificate authority (reviews.signing.pki)."""

from django.core.management.base import BaseCommand, CommandError

from reviews.signing import pki


class Command(BaseCommand):
    help = (
        "The signing keys of this installation. `init` creates the CA and its time-stamping "
        "key in HAKARI_PKI_DIR, encrypted with HAKARI_PKI_PASSPHRASE (once; --force replaces "
        "them, and records signed before stop verifying against the new CA). `show` prints "
        "the CA and its SHA-256 fingerprint, as printed on every record."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "show"])
        parser.add_argument("--name", default=pki.DEFAULT_CA_NAME, help="the CA's name (init)")
        parser.add_argument("--force", action="store_true", help="replace an existing CA (init)")

    def handle(self, *args, action, name, force, **options):
        try:
            if action == "init":
                ca = pki.init_ca(name, force=force)
                self.stdout.write(self.style.SUCCESS(f"Created the CA in {ca.directory}"))
            else:
                ca = pki.authority(create=False)
        except pki.PkiError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"CA: {ca.name}")
        self.stdout.write(f"Certificate: {ca.directory / pki.CA_CERT}")
        self.stdout.write(f"SHA-256 fingerprint: {pki.pretty_fingerprint(ca.ca_fingerprint)}")
        self.stdout.write(f"Valid until: {ca.ca_cert.not_valid_after_utc:%Y-%m-%d}")
