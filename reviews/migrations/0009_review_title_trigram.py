# Dashboard search is `title__icontains`, which PostgreSQL runs as UPPER(title) LIKE UPPER(%s):
# a trigram GIN index on UPPER(title) serves it instead of a scan of every review. pg_trgm is a
# trusted extension (PostgreSQL 13+: the database owner may create it). Nothing on SQLite.

from django.db import migrations

INDEX = "review_title_upper_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON reviews_review "
        "USING gin ((UPPER(title::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0008_answer_version_not_applicable")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
