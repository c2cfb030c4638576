"""Production settings: safe by default, `check --deploy` clean, refuses to start unsafe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    unsafe = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set the last
    clean = {k: v for k, v in os.environ.items() if k not in unsafe}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.prod", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="hakari.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "k" * 64, "DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": "k" * 64, "DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_production_refuses_to_start_unsafe(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr
