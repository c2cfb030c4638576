"""`make bench` keeps working: the engine and record benchmark runs on public functions."""

import io

import pytest
from django.core.management import call_command

from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_it_prints_the_engine_and_record_figures_and_leaves_nothing_behind(catalog):
    out = io.StringIO()
    call_command("bench", "--runs", "1", "--pdf-runs", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "scoring engine, 1 runs each (ms: median / worst)"
    assert lines[1].startswith("  rank + sensitivity, S2 (7 answers): ")
    assert lines[2].startswith("  rank + sensitivity, all 14 questions: ")
    assert lines[3].startswith("  rank + sensitivity, catalog 1.0.0, S1-S4 and all 14, memos")
    assert lines[4].startswith("decision record PDF, demo-like (")
    assert "pages A4, Japanese), 1 warm renders" in lines[4] and lines[4].endswith(" bytes")
    assert not Review.objects.exists()  # built in a transaction that is rolled back
