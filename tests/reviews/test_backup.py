"""export_reviews / import_reviews: a round trip restores everything into an empty database
(sign-off requests and signatures, certificates, templates, audit trail, stored PDFs byte for
byte, so a restored record still verifies); hashes are checked; nothing existing is ever
overwritten; bad input exits 2 with one line."""

import hashlib
import io
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.backup import BackupError, export_reviews, import_reviews
from reviews.models import (
    Answer,
    Decision,
    DecisionRecord,
    Membership,
    Review,
    ReviewEvent,
    ReviewTemplate,
    Risk,
    Signature,
    SignerCertificate,
    SignoffRequest,
    Team,
)
from reviews.records.verify import verify_digest
from reviews.services import decisions, revisions, signoff, templates
from tests.reviews.lifecycle_helpers import answer, approved, decide, fake_pdf, ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(review, alice, carol, dave, catalog, team, monkeypatch):
    """An approved review revised by a second approved one (the first superseded), a draft
    with risks and a review in sign-off."""
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    answer(review, alice, notes={"partner_count": "改行\nあり 🎉"})
    decisions.risk_add(review=review, user=alice, description="Cost", owner_user=carol,
                       review_on=date(2027, 1, 1))  # fmt: skip
    first = approved(review, alice, [carol, dave])
    second = revisions.review_revise(review=first, user=alice)
    decide(second, alice)
    signoff.review_request_signoff(review=second, user=alice, approvers=[carol])
    signoff.review_sign(review=second, user=carol, password="pw-for-tests", comment="ok")
    from tests.factories import ReviewFactory

    pending = ReviewFactory(team=team, owner=alice, catalog=catalog, title="Pending")
    ready(pending, alice, [dave])
    templates.template_create(review=first, user=alice, name="Base")
    return first, second, pending


def _snapshot():
    """Everything a backup must carry, by value (no surrogate ids but the reviews')."""

    def rows(model, *fields):
        return sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*fields))

    names = dict(get_user_model().objects.values_list("pk", "username"))
    return {
        "reviews": rows(Review, "pk", "title", "status", "team__slug", "owner__username",
                        "revision_of", "created_at", "updated_at", "weights", "cost_inputs"),
        "answers": rows(Answer, "review", "question", "choice", "note", "answered_by__username",
                        "answered_at", "version", "not_applicable"),
        "decisions": rows(Decision, "review", "pattern", "justification", "updated_at"),
        "risks": rows(Risk, "review", "description", "owner_user__username", "review_on",
                      "created_at"),
        "signatures": rows(Signature, "review", "approver__username", "state", "signed_at",
                           "comment", "requested_at", "order", "request__number"),
        "requests": sorted(
            (r.review_id, r.number, r.requested_by.username, r.requested_at, r.message,
             r.sha256, r.canonical_json, r.pdf_sha256, hashlib.sha256(bytes(r.pdf)).hexdigest(),
             r.state, r.closed_at, r.closed_by and r.closed_by.username, r.reason,
             [names[pk] for pk in r.approver_ids])
            for r in SignoffRequest.objects.select_related("requested_by", "closed_by")
        ),
        "certificates": rows(SignerCertificate, "user__username", "serial", "fingerprint",
                             "ca_fingerprint", "cert_pem", "key_pem", "created_at",
                             "revoked_at"),
        "templates": rows(ReviewTemplate, "team__slug", "name", "catalog", "answers",
                          "weights", "created_by__username", "created_at"),
        "events": rows(ReviewEvent, "review", "actor__username", "at", "action", "from_status",
                       "to_status", "comment"),
        "records": rows(DecisionRecord, "review", "sha256", "pdf_sha256", "canonical_json",
                        "created_at", "request__number"),
        "pdfs": sorted(hashlib.sha256(bytes(r.pdf)).hexdigest()
                       for r in DecisionRecord.objects.all()),
        "users": rows(get_user_model(), "username", "password", "email", "is_staff"),
        "memberships": rows(Membership, "team__slug", "user__username", "role"),
    }  # fmt: skip


def _wipe():
    """An empty database but for the catalogs: the restore target."""
    from django.db import connection

    frozen = (DecisionRecord, ReviewEvent, Signature, SignoffRequest, Risk, Decision, Answer)
    with connection.cursor() as cursor:  # the frozen rows refuse every ORM delete, as they must
        for model in frozen:  # what points at a row goes before it (records -> requests)
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
        cursor.execute(f"UPDATE {Review._meta.db_table} SET revision_of_id = NULL")  # noqa: S608
        cursor.execute(f"DELETE FROM {Review._meta.db_table}")  # noqa: S608
    ReviewTemplate.objects.all().delete()  # PROTECTs its author
    SignerCertificate.objects.all().delete()  # PROTECTs its user
    Membership.objects.all().delete()
    Team.objects.all().delete()
    get_user_model().objects.all().delete()


def test_a_round_trip_restores_everything(history, tmp_path):
    before = _snapshot()
    path = tmp_path / "backup.jsonl"
    call_command("export_reviews", str(path))
    _wipe()
    assert Review.objects.count() == 0
    out = io.StringIO()
    call_command("import_reviews", str(path), stdout=out)
    assert out.getvalue().strip() == "imported 3 review(s)"
    assert _snapshot() == before
    first, second, _pending = history
    assert Review.objects.get(pk=first.pk).status == "superseded"
    # the restored records still verify, and new reviews get fresh ids
    record = DecisionRecord.objects.get(review_id=second.pk)
    assert hashlib.sha256(record.canonical_json.encode()).hexdigest() == record.sha256
    from tests.factories import ReviewFactory

    highest = max(Review.objects.values_list("pk", flat=True))
    team = Team.objects.get(slug="acme")
    assert (
        ReviewFactory(catalog_id=first.catalog_id, team=team).pk > highest
    )  # the id sequence moved


def test_a_restored_record_still_verifies(history, tmp_path):
    first, second, pending = history
    record = DecisionRecord.objects.get(review_id=second.pk)
    request = SignoffRequest.objects.get(review=pending)
    path = tmp_path / "backup.jsonl"
    call_command("export_reviews", str(path))
    _wipe()
    call_command("import_reviews", str(path), stdout=io.StringIO())
    staff = get_user_model().objects.create_superuser("root", password="x")  # noqa: S106
    assert verify_digest(record.sha256, staff).verdict == "genuine"
    assert verify_digest(record.pdf_sha256, staff).verdict == "genuine"
    assert verify_digest(request.sha256, staff).verdict == "incomplete"
    old = DecisionRecord.objects.get(review_id=first.pk)
    assert verify_digest(old.sha256, staff).verdict == "superseded"
    assert DecisionRecord.objects.get(review_id=second.pk).request.number == 1


def test_import_refuses_to_overwrite_and_changes_nothing(history, tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("export_reviews", str(path))
    before = _snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_reviews", str(path))
    assert error.value.returncode == 2
    assert "exists already" in str(error.value) and "\n" not in str(error.value)
    assert _snapshot() == before


def _exported(history) -> list[str]:
    out = io.StringIO()
    export_reviews(out)
    return out.getvalue().splitlines(keepends=True)


def _tampered(lines, index, change):
    entry = json.loads(lines[index])
    change(entry)
    return lines[:index] + [json.dumps(entry) + "\n"] + lines[index + 1 :]


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda lines: _tampered(lines, 2, lambda e: e["data"].update(title="Forged")), "SHA-256"),
        (lambda lines: lines[:-1], "cut short"),
        (lambda lines: ["{nope\n"], "line 1"),
        (lambda lines: ['{"format": "other"}\n'], "not a hakari-reviews file"),
        (lambda lines: ['{"format": "hakari-reviews", "version": 9}\n'], "unknown version 9"),
        (lambda lines: lines[:2] + ["garbage\n"] + lines[2:], "line 3"),
    ],
)
def test_bad_files_are_refused_whole_with_one_line(history, mangle, message):
    lines = mangle(_exported(history))
    _wipe()
    with pytest.raises(BackupError, match=message):
        import_reviews(io.StringIO("".join(lines)))
    assert Review.objects.count() == 0 and get_user_model().objects.count() == 0


def test_a_record_whose_pdf_was_swapped_is_refused(history):
    lines = _exported(history)
    index = next(i for i, line in enumerate(lines) if '"record": {' in line)

    def swap(entry):
        entry["data"]["record"]["pdf"] = "JVBERi0xLjcKZm9yZ2Vk"  # another PDF
        entry["sha256"] = hashlib.sha256(
            json.dumps(entry["data"], sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False).encode()).hexdigest()  # fmt: skip

    lines = _tampered(lines, index, swap)
    _wipe()
    with pytest.raises(BackupError, match="PDF does not match"):
        import_reviews(io.StringIO("".join(lines)))
    assert Review.objects.count() == 0


def test_a_signoff_request_whose_pdf_was_swapped_is_refused(history):
    lines = _exported(history)
    index = next(i for i, line in enumerate(lines) if '"signoff_requests": [{' in line)

    def swap(entry):
        entry["data"]["signoff_requests"][0]["pdf"] = "JVBERi0xLjcKZm9yZ2Vk"
        entry["sha256"] = hashlib.sha256(
            json.dumps(entry["data"], sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False).encode()).hexdigest()  # fmt: skip

    lines = _tampered(lines, index, swap)
    _wipe()
    with pytest.raises(BackupError, match="PDF of sign-off request 1 does not match"):
        import_reviews(io.StringIO("".join(lines)))
    assert Review.objects.count() == 0 and SignerCertificate.objects.count() == 0


def test_certificate_keys_stay_as_stored(history):
    text = "".join(_exported(history))
    keys = list(SignerCertificate.objects.values_list("key_pem", flat=True))
    assert keys and all(json.dumps(key)[1:-1] in text for key in keys)
    assert "BEGIN PRIVATE KEY" not in text  # only ever the encrypted PKCS#8


def test_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("import_reviews", str(tmp_path / "none.jsonl"))
    assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        path = tmp_path / "exists.jsonl"
        path.write_text("x")
        call_command("export_reviews", str(path))  # never overwrites a file either
    assert error.value.returncode == 2
