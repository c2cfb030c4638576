"""The review_report command: a review's record as PDF, Markdown or JSON."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.models import DecisionRecord
from reviews.services import signoff
from tests.reviews.lifecycle_helpers import approved
from tests.reviews.lifecycle_helpers import fake_pdf as fast_fake_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", fast_fake_pdf)


def test_review_report_writes_the_stored_record(review, alice, carol, tmp_path, fake_pdf):
    approved(review, alice, [carol])
    record = DecisionRecord.objects.get(review=review)
    for fmt in ("pdf", "json", "md"):
        out = tmp_path / f"r.{fmt}"
        call_command("review_report", str(review.pk), "--format", fmt, "-o", str(out), verbosity=0)
        data = out.read_bytes()
        if fmt == "pdf":
            assert data == bytes(record.pdf)
        elif fmt == "json":
            assert data.decode() == record.canonical_json
        else:
            assert data.decode().startswith('---\nstatus: "approved"')
    stdout = io.StringIO()
    call_command("review_report", str(review.pk), "--format", "json", stdout=stdout)
    assert stdout.getvalue() == record.canonical_json


@pytest.mark.parametrize(
    "args, message",
    [
        (["999999"], "no review with id 999999"),
        (["abc"], "review id must be a number"),
        (["1", "--format", "xml"], "unknown format 'xml'; allowed: pdf, md, json"),
    ],
)
def test_review_report_refuses_bad_input_with_exit_code_2(review, args, message):
    with pytest.raises(CommandError) as info:
        call_command("review_report", *args)
    assert info.value.returncode == 2
    assert message in str(info.value) and "\n" not in str(info.value)
