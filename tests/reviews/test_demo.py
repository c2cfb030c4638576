"""reviews.demo: the demo reviews tell the catalog kind's story, through the services."""

import pytest

from patterns.kinds import UnknownKind
from patterns.kinds.kintone.demo import DEMO
from patterns.services import catalog_import
from reviews.demo import USERS, demo_seed
from reviews.models import Review, Signature
from tests.catalog_data import tiny_catalog

pytestmark = pytest.mark.django_db


def test_it_builds_a_review_in_every_state_from_the_story(catalog):
    demo = demo_seed(catalog=catalog)
    assert set(demo.users) == set(USERS)
    assert demo.users["staff"].is_staff and not demo.users["reviewer"].is_staff
    draft, in_review = demo.reviews["draft"], demo.reviews["in_review"]
    approved, superseded = demo.reviews["approved"], demo.reviews["superseded"]
    assert draft.status == Review.Status.DRAFT and draft.title == DEMO.draft.title
    assert dict(draft.answers.values_list("question", "choice")) == DEMO.draft.answers

    assert in_review.status == Review.Status.IN_REVIEW
    assert in_review.decision.pattern == DEMO.in_review.decision.pattern
    states = sorted(in_review.signatures.values_list("state", flat=True))
    assert states == [Signature.State.PENDING, Signature.State.SIGNED]

    assert superseded.status == Review.Status.SUPERSEDED
    assert superseded.cost_inputs == DEMO.approved.cost_inputs
    assert superseded.risks.count() == len(DEMO.approved.risks)
    assert approved.revision_of == superseded and approved.status == Review.Status.APPROVED
    assert approved.decision.justification == DEMO.revision.decision.justification
    assert (
        approved.answers.get(question="confidentiality").note
        == (DEMO.revision.notes["confidentiality"])
    )
    assert approved.record.sha256


def test_the_demo_record_passes_pdfsig_and_carries_its_record(catalog, tmp_path):
    """What `make run` shows: the approved demo record, checked with poppler's own tools."""
    import hashlib
    import subprocess

    from reviews.records.verify import verify_upload

    demo = demo_seed(catalog=catalog)
    record = demo.reviews["approved"].record
    path = tmp_path / "demo.pdf"
    path.write_bytes(bytes(record.pdf))
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert pdfsig.count("Signature is Valid.") == 2  # one per approver
    assert "time-stamping" in pdfsig  # and the closing timestamp
    saved = tmp_path / "record.json"
    subprocess.run(
        ["pdfdetach", "-savefile", "record.json", "-o", str(saved), str(path)], check=True
    )
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == record.sha256
    superseded = demo.reviews["superseded"].record
    result = verify_upload(bytes(superseded.pdf), demo.users["approver"])
    assert result.verdict == "superseded" and result.state.successor_id == record.review_id


def test_a_catalog_without_a_kind_has_no_story():
    tiny, _ = catalog_import(tiny_catalog())
    with pytest.raises(UnknownKind):
        demo_seed(catalog=tiny)
    assert not Review.objects.exists()
