"""A published catalog version never changes, whichever way a write comes: instance save() and
delete() (tests/patterns/test_import_export.py), QuerySet update()/delete()/bulk_create()/
bulk_update(), the base manager, a cascade from a draft. Draft versions still change, and the
database refuses rows the catalog format rules out."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from patterns.models import (
    Catalog,
    CatalogLocked,
    Choice,
    ChoiceEffect,
    Criterion,
    Exclusion,
    Pattern,
    Question,
    QuestionGroup,
    Statement,
    UseCase,
)
from patterns.services import catalog_import, catalog_new_draft
from tests.catalog_data import tiny_catalog

pytestmark = pytest.mark.django_db

# Each catalog model: its path to the catalog version, and a text field to change.
MODELS = {
    Catalog: ("", "title_en"),
    Criterion: ("catalog", "name_en"),
    Pattern: ("catalog", "name_en"),
    Statement: ("pattern__catalog", "text_en"),
    UseCase: ("pattern__catalog", "text_en"),
    QuestionGroup: ("catalog", "title_en"),
    Question: ("group__catalog", "text_en"),
    Choice: ("question__group__catalog", "label_en"),
    ChoiceEffect: ("pattern__catalog", "reason_en"),
    Exclusion: ("pattern__catalog", "reason_en"),
}


def rows_of(model, catalog):
    path, _ = MODELS[model]
    return model.objects.filter(**{path or "pk": catalog if path else catalog.pk})


def snapshot(catalog):
    return {model: list(rows_of(model, catalog).values()) for model in MODELS}


@pytest.fixture
def draft(catalog):
    """An editable copy of the published `catalog`."""
    return catalog_new_draft(catalog, version="2.0.0-draft")


@pytest.fixture
def unchanged(catalog):
    """The published catalog's rows, compared before and after the test."""
    before = snapshot(catalog)
    yield
    assert snapshot(catalog) == before


def test_every_catalog_model_has_rows_in_the_shipped_catalog(catalog):
    assert all(rows_of(model, catalog).exists() for model in MODELS)


# --- a published version ----------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_it_refuses_queryset_update_on_a_published_version(catalog, unchanged, model):
    field = MODELS[model][1]
    with pytest.raises(CatalogLocked) as info:
        rows_of(model, catalog).update(**{field: "tampered"})
    assert str(info.value) == f"{catalog} is published and cannot change; make a new version"
    with pytest.raises(CatalogLocked):  # the base manager (cascades, saves) is the guarded one
        model._base_manager.filter(pk__in=rows_of(model, catalog).values("pk")).update(
            **{field: "tampered"}
        )


@pytest.mark.parametrize("model", MODELS)
def test_it_refuses_queryset_delete_on_a_published_version(catalog, unchanged, model):
    with pytest.raises(CatalogLocked):
        rows_of(model, catalog).delete()
    with pytest.raises(CatalogLocked):
        model._base_manager.filter(pk__in=rows_of(model, catalog).values("pk")).delete()


@pytest.mark.parametrize("model", MODELS)
def test_it_refuses_bulk_update_on_a_published_version(catalog, unchanged, model):
    field = MODELS[model][1]
    rows = list(rows_of(model, catalog))
    for row in rows:
        setattr(row, field, "tampered")
    with pytest.raises(CatalogLocked):
        model.objects.bulk_update(rows, [field])


def test_it_refuses_new_rows_in_a_published_version(catalog, unchanged):
    pattern = Pattern.objects.filter(catalog=catalog).first()
    with pytest.raises(CatalogLocked):
        UseCase.objects.bulk_create(
            [UseCase(pattern=pattern, text_ja="x", text_en="x", source_section="x")]
        )
    with pytest.raises(CatalogLocked):
        Criterion.objects.create(catalog=catalog, key="new", name_ja="x", name_en="x")
    with pytest.raises(CatalogLocked):
        pattern.use_cases.create(text_ja="x", text_en="x", source_section="x")


def test_rows_cannot_move_into_or_out_of_a_published_version(catalog, draft, unchanged):
    published = Pattern.objects.filter(catalog=catalog).first()
    statement = Statement.objects.filter(pattern__catalog=draft).first()
    with pytest.raises(CatalogLocked):
        Statement.objects.filter(pk=statement.pk).update(pattern=published)
    with pytest.raises(CatalogLocked):
        Statement.objects.filter(pk=statement.pk).update(pattern_id=published.pk)
    statement.pattern = published
    with pytest.raises(CatalogLocked):  # into the published version
        statement.save()
    with pytest.raises(CatalogLocked):
        Statement.objects.bulk_update([statement], ["pattern"])
    locked = Statement.objects.filter(pattern__catalog=catalog).first()
    locked.pattern = Pattern.objects.filter(catalog=draft).first()
    with pytest.raises(CatalogLocked):  # out of it
        locked.save()


def test_a_published_version_cannot_be_unpublished(catalog, unchanged):
    with pytest.raises(CatalogLocked):
        Catalog.objects.filter(pk=catalog.pk).update(published_at=None)
    with pytest.raises(CatalogLocked):
        catalog.publish()


def test_upserts_are_refused(draft):
    criterion = Criterion.objects.filter(catalog=draft).first()
    with pytest.raises(TypeError):
        Criterion.objects.bulk_create(
            [Criterion(catalog=draft, key=criterion.key, name_ja="x", name_en="x")],
            update_conflicts=True,
            unique_fields=["catalog", "key"],
            update_fields=["name_en"],
        )


def test_a_cascade_from_a_draft_never_deletes_published_rows():
    """An effect joins a draft's choice to a published version's pattern: deleting the draft
    choice would take the effect with it (Django's fast delete), so it is refused."""
    one, _ = catalog_import(tiny_catalog(version="1"), publish=False)
    two, _ = catalog_import(tiny_catalog(version="2"), publish=False)
    choice = Choice.objects.get(question__group__catalog=two, key="x")
    pattern = Pattern.objects.get(catalog=one, key="a")
    effect = ChoiceEffect.objects.create(
        choice=choice,
        pattern=pattern,
        criterion=Criterion.objects.get(catalog=one),
        weight=1,
        statement=Statement.objects.get(pattern=pattern),
        reason_ja="x",
        reason_en="x",
    )
    one.publish()
    # The refusal comes mid-delete: the transaction rolls back whatever went before it.
    with pytest.raises(CatalogLocked), transaction.atomic():
        choice.delete()
    with pytest.raises(CatalogLocked), transaction.atomic():
        Choice.objects.filter(pk=choice.pk).delete()
    with pytest.raises(CatalogLocked), transaction.atomic():
        two.delete()
    assert ChoiceEffect.objects.filter(pk=effect.pk).exists()
    assert Choice.objects.filter(pk=choice.pk).exists()
    assert Choice.objects.filter(question__group__catalog=two).count() == 4


def test_an_update_across_versions_changes_only_the_draft(catalog, draft, unchanged):
    slug = {"pattern__catalog__slug": catalog.slug}
    count = Statement.objects.filter(pattern__catalog=draft).count()
    assert Statement.objects.filter(**slug).update(text_en="Improved") == count
    assert {"Improved"} == set(
        Statement.objects.filter(pattern__catalog=draft).values_list("text_en", flat=True)
    )


# --- a draft version ----------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_a_draft_version_changes_through_its_querysets(catalog, draft, unchanged, model):
    field = MODELS[model][1]
    rows = rows_of(model, draft)
    count = rows.count()
    assert rows.update(**{field: "Improved"}) == count
    objs = list(rows)
    for obj in objs:
        setattr(obj, field, "Again")
    assert model.objects.bulk_update(objs, [field]) == count
    assert set(rows.values_list(field, flat=True)) == {"Again"}
    rows.delete()
    assert not rows.exists()


def test_a_draft_version_takes_new_rows_and_is_deleted_whole(catalog, draft, unchanged):
    pattern = Pattern.objects.filter(catalog=draft).first()
    UseCase.objects.bulk_create(
        [UseCase(pattern=pattern, text_ja="x", text_en="x", source_section="x")]
    )
    Criterion.objects.create(catalog=draft, key="new", name_ja="x", name_en="x")
    draft.delete()
    assert not Catalog.objects.filter(pk=draft.pk).exists()
    assert not Statement.objects.filter(pattern__catalog_id=draft.pk).exists()


def test_a_draft_is_published_through_its_queryset_too(draft):
    assert Catalog.objects.filter(pk=draft.pk).update(published_at=timezone.now()) == 1
    with pytest.raises(CatalogLocked):
        Criterion.objects.filter(catalog=draft).update(name_en="late")


def test_the_admin_copies_a_published_version_into_a_draft_and_publishes_it(
    admin_client, catalog, unchanged
):
    changelist = reverse("admin:patterns_catalog_changelist")
    response = admin_client.post(
        changelist, {"action": "new_draft", "_selected_action": [catalog.pk]}
    )
    assert response.status_code == 302
    draft = Catalog.objects.get(slug=catalog.slug, published_at__isnull=True)
    assert rows_of(Statement, draft).count() == rows_of(Statement, catalog).count()
    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published


# --- database constraints -----------------------------------------------------------------


def test_the_database_refuses_an_effect_weight_out_of_range(draft):
    effect = ChoiceEffect.objects.filter(pattern__catalog=draft).first()
    for weight in (0, 4, -4):
        with pytest.raises(IntegrityError), transaction.atomic():
            ChoiceEffect.objects.filter(pk=effect.pk).update(weight=weight)
