"""Data migrations: existing rows get what the new code expects."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.catalog_data import kintone_catalog


@pytest.mark.django_db(transaction=True)
def test_0002_names_the_kintone_kind_of_existing_catalogs():
    executor = MigrationExecutor(connection)
    executor.migrate([("patterns", "0001_initial")])
    old = executor.loader.project_state([("patterns", "0001_initial")]).apps
    Catalog = old.get_model("patterns", "Catalog")
    common = {"title_ja": "t", "title_en": "t", "summary_ja": "s", "summary_en": "s"}
    common |= {"source_title_ja": "s", "source_title_en": "s", "source_as_of": "2024-09-01"}
    priced = Catalog.objects.create(
        slug="kintone-external-collaboration",
        version="0.0.1",  # not the shipped version, which the session may hold
        price_table=kintone_catalog()["price_table"],
        **common,
    )
    plain = Catalog.objects.create(slug="tiny", version="1", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    rows = new.get_model("patterns", "Catalog").objects.filter(pk__in=[priced.pk, plain.pk])
    assert dict(rows.values_list("pk", "kind")) == {priced.pk: "kintone", plain.pk: ""}
