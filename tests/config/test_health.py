import pytest
from django.db import DatabaseError
from django.db.migrations.recorder import MigrationRecorder

from config import health


@pytest.mark.django_db
def test_healthz_is_ok_without_login_and_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_is_503_with_an_unapplied_migration(client):
    MigrationRecorder.Migration.objects.filter(app="reviews", name="0001_initial").delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 unapplied"
    assert response.json()["status"] == "unhealthy"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    class Broken:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *args):
            return False

    from django.db import connections

    monkeypatch.setattr(connections["default"], "cursor", lambda: Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")
    assert health.health()["migrations"] == "unknown"
