"""`make bench`'s report: its pieces run on public functions (the load itself needs wrk and
gunicorn, and is a measurement, not a test)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.data import grow, seed
from bench.endpoints import endpoints, query_counts
from bench.load import Endpoint, Result, wrk_script
from bench.report import Run, engine_figures, render
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_the_floor_is_a_signed_in_page(client, alice):
    assert client.get("/bench/ok").status_code == 302  # through the login like any page
    client.force_login(alice)
    response = client.get("/bench/ok")
    assert response.status_code == 200 and response.content == f"ok {alice.pk}".encode()


def test_the_data_grows_in_bulk_and_query_counts_do_not_depend_on_it(catalog, monkeypatch):
    from reviews.services import signoff
    from tests.reviews.lifecycle_helpers import fake_pdf

    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    data = seed(team_count=5)
    grow(data, 60)
    query_counts(data)  # the first save creates the answer; the ones measured update it
    small = query_counts(data)
    grow(data, 400)
    assert Review.objects.count() == 400
    assert query_counts(data) == small
    assert set(small) == {e.name for e in endpoints(data)}


def test_the_wrk_script_signs_in_and_cycles_through_the_paths():
    endpoint = Endpoint("save", ["/a/", "/b/"], "POST", ["x=1", "y=2"], {"HX-Request": "true"})
    script = wrk_script(endpoint, "SESSION", "CSRF")
    assert 'wrk.method = "POST"' in script
    assert "sessionid=SESSION; csrftoken=CSRF" in script
    assert 'local paths = { "/a/", "/b/" }' in script
    assert 'wrk.headers["HX-Request"] = "true"' in script
    assert "latency:percentile(95)" in script


def test_the_report_says_which_targets_are_met():
    floor = Result(1000, 1, 2, 3, 0)
    runs = [
        Run(Endpoint("dashboard", ["/"]), 10, floor, Result(300, 5, 9, 12, 0)),
        Run(Endpoint("save", ["/"], target=0.5), 10, floor, Result(400, 5, 9, 12, 2)),
    ]
    engine = (
        "  rank + sensitivity, S2 (7 answers): 1.50 / 2.00\n"
        "decision record PDF, demo-like (4 pages A4, Japanese), 5 warm renders "
        "(ms: median / worst): 1700 / 1800; 1 bytes\n"
    )
    info = {"when": "now", "machine": "2 cores", "seconds": 5, "reviews": 100, "teams": 2,
            "insert_s": 0.1, "visible": 50, "load_before": 1.0, "load_after": 1.5}  # fmt: skip
    text = render(info, runs, {10: {"dashboard": 7}, 100: {"dashboard": 7}}, engine)
    assert "| dashboard | 10 | 1,000 | 300 | 0.30 | ≥ 0.25 (met) |" in text
    assert "| save | 10 | 1,000 | 400 | 0.40 | ≥ 0.5 (**not met**) |" in text
    assert "| dashboard | 7 | 7 | no |" in text
    assert "1.50 ms (target ≤ 2 ms: met)" in text
    assert "1700 ms (target ≤ 1500 ms: **not met**)" in text
    assert engine_figures(engine) == ([("S2 (7 answers)", 1.5)], 1700.0)
    starved = Run(Endpoint("x", ["/"]), 10, Result(0, 0, 0, 0, 0), Result(5, 1, 1, 1, 0))
    assert "| x | 10 | 0 | 5 | n/a | ≥ 0.25 (no floor) |" in render(info, [starved], {1: {}}, "")


def test_it_refuses_other_settings():
    with pytest.raises(CommandError) as error:
        call_command("bench_report", stdout=io.StringIO())
    assert error.value.returncode == 2
