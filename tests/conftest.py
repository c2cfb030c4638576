import pytest
from django.core.cache import caches

from patterns.models import Catalog
from patterns.services import catalog_import
from tests.catalog_data import kintone_catalog
from tests.factories import MembershipFactory, ReviewFactory, TeamFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped kintone catalog is imported once per test session, into the test database
    every test starts from (each test's transaction rolls back to it). Transactional tests,
    which pytest-django runs last, flush it: `catalog` imports it again for them."""
    with django_db_blocker.unblock():
        catalog_import(kintone_catalog())


@pytest.fixture(autouse=True)
def _empty_fragment_cache():
    """Every test starts with no cached fragments: keys name review and catalog ids, which a
    rolled-back test's successor reuses."""
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


@pytest.fixture
def catalog(db):
    """The shipped kintone catalog, imported and published."""
    data = kintone_catalog()
    found = Catalog.objects.filter(slug=data["slug"], version=data["version"]).first()
    return found or catalog_import(data)[0]


@pytest.fixture
def team(db):
    return TeamFactory(name="Acme IT", slug="acme")


@pytest.fixture
def alice(team):
    """A reviewer (IT staff) of `team`, owner of `review`."""
    user = UserFactory(username="alice", first_name="Alice", last_name="Abe")
    MembershipFactory(team=team, user=user, role="reviewer")
    return user


@pytest.fixture
def bob(team):
    """A stakeholder (line of business) of `team`."""
    user = UserFactory(username="bob", first_name="Bob", last_name="Baba")
    MembershipFactory(team=team, user=user, role="stakeholder")
    return user


@pytest.fixture
def carol(team):
    """An approver of `team`."""
    user = UserFactory(username="carol", first_name="Carol", last_name="Chiba")
    MembershipFactory(team=team, user=user, role="approver")
    return user


@pytest.fixture
def dave(team):
    """A second approver of `team`."""
    user = UserFactory(username="dave", first_name="Dave", last_name="Doi")
    MembershipFactory(team=team, user=user, role="approver")
    return user


@pytest.fixture
def charlie(db):
    """An outsider: a reviewer of another team."""
    user = UserFactory(username="charlie")
    MembershipFactory(team=TeamFactory(name="Other", slug="other"), user=user, role="reviewer")
    return user


@pytest.fixture
def staff(db):
    """Site staff (catalog editor): sees every review, belongs to no team."""
    return UserFactory(username="staffer", is_staff=True)


@pytest.fixture
def review(catalog, team, alice):
    """A draft review of `team`, owned by alice."""
    return ReviewFactory(team=team, owner=alice, catalog=catalog, title="Partner portal")


@pytest.fixture
def english(client):
    """English for the test: the client's requests and direct gettext calls.

    Japanese is the default (LANGUAGE_CODE); tests that read English messages opt in here.
    """
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
