"""Playwright (Python) with Debian's chromium: no browser download, never skipped in CI."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        # `make test` installs chromium; a missing browser is a failure, not a skip.
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make test` to install it")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
        ],
    }


@pytest.fixture
def axe(live_server):
    """Run axe-core on a page; return the serious and critical violations.

    axe is loaded from the app's own static files: the CSP forbids inline scripts."""
    assert AXE.exists(), f"{AXE} is missing"

    def check(page):
        page.add_script_tag(url=f"{live_server.url}/static/vendor/axe-core/axe.min.js")
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})"
        )
        return [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check


@pytest.fixture
def login(live_server):
    """Log a Playwright page in through Django's login form."""

    def do_login(page, username, password="pw-for-tests"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert "/accounts/login/" not in page.url, f"login failed for {username}"

    return do_login


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The users are in Japan: their browsers ask for Japanese first.
    return {**browser_context_args, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}
