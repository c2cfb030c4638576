import pytest

from patterns.services import catalog_import
from tests.catalog_data import kintone_catalog


@pytest.fixture
def catalog(db):
    """The shipped kintone catalog, imported and published."""
    imported, _ = catalog_import(kintone_catalog())
    return imported
