"""Login throttling (django-axes): the login form, HTTP Basic on the API and the sign-off
password share one lockout per (username, address); a locked-out pair gets 429 with when to
retry, even with the right password; the lockout shows in the admin; sessions time out."""

import base64
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from config.sessions import SEEN_KEY
from reviews.models import Review, SignoffRequest
from reviews.services import signoff
from tests.factories import UserFactory
from tests.reviews.lifecycle_helpers import answer, decide

LIMIT = settings.AXES_FAILURE_LIMIT
LOGIN = "/accounts/login/"


def _login(client, username, password, addr="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=addr)


def _basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.mark.django_db
def test_login_locks_out_after_the_limit_even_for_the_right_password(client):
    user = UserFactory(username="victim")
    user.set_password("right-horse-battery")
    user.save()
    for _ in range(LIMIT - 1):
        assert _login(client, "victim", "wrong").status_code == 200  # the form's error
    response = _login(client, "victim", "wrong")
    assert response.status_code == 429
    response = _login(client, "victim", "right-horse-battery")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    html = response.content.decode()
    assert 'id="lockout-message"' in html
    assert "_auth_user_id" not in client.session
    # another address is not locked out
    assert _login(client, "victim", "right-horse-battery", addr="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_the_retry_message_says_when_in_both_languages(client):
    UserFactory(username="victim")
    for _ in range(LIMIT):
        response = client.post(
            LOGIN, {"username": "victim", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 429
    assert "Try again at" in response.content.decode()
    client.cookies.clear()
    response = client.post(
        LOGIN, {"username": "victim", "password": "x"}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert "分後" in response.content.decode()


@pytest.mark.django_db
def test_http_basic_is_throttled_before_any_password_hash(client, catalog, monkeypatch):
    user = UserFactory(username="script")
    user.set_password("right-horse-battery")
    user.save()
    url = reverse("patterns:api_catalog", args=[catalog.slug])
    assert client.get(url, **_basic("script", "right-horse-battery")).status_code == 200
    for _ in range(LIMIT):
        assert client.get(url, **_basic("script", "wrong")).status_code in (401, 429)
    hashed = []
    original = type(user).check_password
    monkeypatch.setattr(
        type(user), "check_password", lambda self, raw: hashed.append(raw) or original(self, raw)
    )
    response = client.get(url, **_basic("script", "right-horse-battery"))
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["retry_after"] == int(settings.AXES_COOLOFF_TIME.total_seconds())
    assert "15" in body["error"]  # in how many minutes
    assert "Retry-After" in response
    assert hashed == []  # refused before the password was checked


@pytest.mark.django_db
def test_sign_off_password_is_throttled_and_counted(client, review, alice, carol):
    answer(review, alice)
    decide(review, alice)
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    carol.set_password("right-horse-battery")
    carol.save()
    client.force_login(carol)
    url = reverse("reviews:sign", args=[review.pk])
    sha256 = SignoffRequest.objects.get(review=review, state="pending").sha256
    for _ in range(LIMIT - 1):
        response = client.post(url, {"comment": "ok", "password": "wrong", "sha256": sha256})
        assert response.status_code == 400
    assert AccessAttempt.objects.filter(username="carol").get().failures_since_start == LIMIT - 1
    response = client.post(url, {"comment": "ok", "password": "wrong", "sha256": sha256})
    assert response.status_code == 429
    right = {"comment": "ok", "password": "right-horse-battery", "sha256": sha256}
    response = client.post(url, right)
    assert response.status_code == 429
    assert "Retry-After" in response
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW  # nothing signed while locked out


@pytest.mark.django_db
def test_lockouts_are_listed_in_the_admin(client, staff):
    UserFactory(username="victim")
    for _ in range(LIMIT):
        _login(client, "victim", "wrong")
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert "victim" in response.content.decode()


@pytest.mark.django_db
def test_a_session_ends_after_the_idle_timeout_and_slides_with_activity(client, alice):
    client.force_login(alice)
    assert SEEN_KEY in client.session  # set at login: the first page writes nothing
    assert client.get("/").status_code == 200
    session = Session.objects.get()
    left = session.expire_date - session.expire_date.now(tz=session.expire_date.tzinfo)
    assert abs(left.total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    # a request after the refresh interval pushes the expiry forward
    stored = client.session
    stored[SEEN_KEY] = int(time.time()) - settings.SESSION_REFRESH_SECONDS - 1
    stored.save()
    before = Session.objects.get().expire_date
    time.sleep(1)
    client.get("/")
    assert Session.objects.get().expire_date > before
    assert settings.SESSION_COOKIE_AGE == 8 * 3600  # a working day by default


@pytest.mark.django_db
def test_changing_the_password_ends_every_other_session(client, alice):
    from django.test import Client

    alice.set_password("old-horse-battery")
    alice.save()
    other = Client()
    other.force_login(alice)
    assert other.get("/").status_code == 200
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "old-horse-battery",
            "new_password1": "new-stapler-window-42",
            "new_password2": "new-stapler-window-42",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one is signed out
