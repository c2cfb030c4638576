"""`manage.py verify_record FILE`: is this decision record PDF genuine? Offline, no database.

One line per signature (and the closing timestamp), then the record hash and the verdict.
Exit status 0: genuine; 1: not genuine (altered, a signature invalid or not from the CA, the
record inside not the one it names, or no signature); 2: the file cannot be read as a PDF.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.signing import pki
from reviews.signing.check import Unreadable, check_pdf


def _trust(ca_file: str | None):
    if ca_file:
        from cryptography import x509

        try:
            cert = x509.load_pem_x509_certificate(Path(ca_file).read_bytes())
        except (OSError, ValueError) as exc:
            raise CommandError(
                f"cannot read the CA certificate {ca_file}: {exc}", returncode=2
            ) from exc
        return [pki.asn1(cert)], pki.fingerprint(cert)
    try:
        ca = pki.authority(create=False)
    except pki.PkiError as exc:
        raise CommandError(f"{exc} (or pass --ca FILE)", returncode=2) from exc
    return ca.trust_roots(), ca.ca_fingerprint


class Command(BaseCommand):
    help = (
        "Check a decision record PDF offline: each signature (intact, valid, chained to the "
        "installation CA), the closing timestamp, the embedded record against its hash. Exit "
        "0 genuine, 1 not genuine, 2 unreadable."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF to check")
        parser.add_argument(
            "--ca", help="trust this CA certificate (PEM) instead of the installation's"
        )

    def handle(self, *args, file, ca, **options):
        trust, fingerprint = _trust(ca)
        try:
            data = Path(file).read_bytes()
            check = check_pdf(data, trust)
        except (OSError, Unreadable) as exc:
            self.stdout.write(f"UNREADABLE {file}: {exc}")
            raise SystemExit(2) from exc
        self.stdout.write(f"CA {pki.pretty_fingerprint(fingerprint)}")
        for sig in check.signatures:
            when = sig.when.isoformat(timespec="seconds") if sig.when else "-"
            kind = "timestamp" if sig.kind == "timestamp" else "signature"
            self.stdout.write(
                f"{sig.status.upper():10} {kind:9} {when:25} {sig.signer} [{sig.field}]"
            )
        if check.problem:
            self.stdout.write(f"DAMAGED    {check.problem}")
        if not check.signatures:
            self.stdout.write("NO SIGNATURE")
        matches = "matches" if check.record_matches else "DOES NOT MATCH"
        self.stdout.write(
            f"record {check.record_sha256 or '(none inside)'} {matches} the stated "
            f"{check.claimed_sha256 or '(none)'}"
        )
        if check.genuine:
            closed = "closed by its timestamp" if check.closed else "NOT closed (more to sign)"
            self.stdout.write(
                self.style.SUCCESS(f"GENUINE: {len(check.approvals)} signature(s), {closed}")
            )
            return
        self.stdout.write(self.style.ERROR("NOT GENUINE"))
        raise SystemExit(1)
