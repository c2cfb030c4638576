"""import_catalog / export_catalog: validation with paths, all-or-nothing, exact round-trip."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from patterns.models import Catalog, CatalogLocked, Statement
from patterns.services import CatalogImportError, catalog_import, catalog_to_dict
from patterns.validation import validate_catalog
from tests.catalog_data import kintone_catalog, tiny_catalog


def test_the_shipped_catalog_is_valid():
    assert validate_catalog(kintone_catalog()) == []


def test_it_lists_every_problem_with_its_path():
    data = tiny_catalog()
    del data["patterns"][1]["statements"][0]["text_en"]
    data["steps"][0]["questions"][0]["choices"][0]["effects"][0]["weight"] = 9
    data["steps"][0]["questions"][0]["choices"][0]["effects"][0]["statement"] = "b-c"
    data["criteria"].append({"key": "c", "name_ja": "x", "name_en": "x"})
    data["bogus"] = 1
    problems = validate_catalog(data)
    assert "patterns[1].statements[0].text_en: required" in problems
    assert (
        "steps[0].questions[0].choices[0].effects[0].weight: "
        "must be a whole number from -3 to 3, not 0"
    ) in problems
    assert (
        "steps[0].questions[0].choices[0].effects[0].statement: "
        "'b-c' is a statement of 'b', not 'a'"
    ) in problems
    assert "criteria[1].key: duplicate criterion 'c'" in problems
    assert "bogus: unknown field" in problems


def test_it_rejects_references_to_unknown_keys():
    data = tiny_catalog()
    data["patterns"][0]["statements"][0]["criterion"] = "nope"
    data["steps"][0]["questions"][1]["choices"][1]["exclusions"][0]["pattern"] = "zz"
    problems = validate_catalog(data)
    assert "patterns[0].statements[0].criterion: unknown criterion 'nope'" in problems
    assert (
        "steps[0].questions[1].choices[1].exclusions[0].pattern: unknown pattern 'zz'" in problems
    )


def test_it_rejects_a_non_object():
    assert validate_catalog([]) == ["(top): must be an object"]


@pytest.mark.django_db
def test_import_writes_nothing_when_anything_is_wrong():
    data = tiny_catalog()
    data["steps"][0]["questions"][0]["choices"][0]["label_en"] = ""
    before = Catalog.objects.count()
    with pytest.raises(CatalogImportError) as info:
        catalog_import(data)
    assert info.value.problems == ["steps[0].questions[0].choices[0].label_en: required"]
    assert Catalog.objects.count() == before


@pytest.mark.django_db
def test_export_then_import_round_trips_exactly(catalog, tmp_path):
    exported = catalog_to_dict(catalog)
    assert exported == kintone_catalog()
    # and through the commands: export, change the version, import, export again
    out = tmp_path / "export.json"
    call_command("export_catalog", catalog.slug, "-o", str(out), verbosity=0)
    data = json.loads(out.read_text(encoding="utf-8"))
    data["version"] = "9.9.9"
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_catalog", str(out), verbosity=0)
    again = catalog_to_dict(Catalog.objects.get(slug=catalog.slug, version="9.9.9"))
    assert again == data


@pytest.mark.django_db
def test_reimporting_the_same_version_is_a_no_op(catalog):
    again, created = catalog_import(kintone_catalog())
    assert (again.pk, created) == (catalog.pk, False)


@pytest.mark.django_db
def test_the_same_version_with_other_content_is_refused(catalog):
    data = kintone_catalog()
    data["title_en"] = "Changed"
    with pytest.raises(CatalogImportError) as info:
        catalog_import(data)
    assert "already exists with other content" in info.value.problems[0]


@pytest.mark.django_db
def test_a_published_version_cannot_change(catalog):
    statement = Statement.objects.filter(pattern__catalog=catalog).first()
    statement.text_en = "tampered"
    with pytest.raises(CatalogLocked):
        statement.save()
    with pytest.raises(CatalogLocked):
        statement.delete()
    catalog.title_en = "tampered"
    with pytest.raises(CatalogLocked):
        catalog.save()


@pytest.mark.django_db
def test_a_draft_copy_is_editable_then_publishable(catalog):
    from patterns.services import catalog_new_draft

    draft = catalog_new_draft(catalog, version="1.1.0")
    assert not draft.is_published
    statement = Statement.objects.filter(pattern__catalog=draft).first()
    statement.text_en = "Improved wording"
    statement.save()
    draft.publish()
    assert Catalog.objects.latest_published(catalog.slug) == draft


@pytest.mark.django_db
def test_import_command_reports_every_problem_and_exits_2(tmp_path, capsys):
    data = tiny_catalog()
    data["patterns"][0]["statements"][0]["text_en"] = ""
    data["criteria"][0]["name_ja"] = 5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = Catalog.objects.count()
    with pytest.raises(CommandError) as info:
        call_command("import_catalog", str(path))
    assert info.value.returncode == 2
    assert "2 problem(s); nothing was imported" in str(info.value)
    err = capsys.readouterr().err
    assert "patterns[0].statements[0].text_en: required" in err
    assert "criteria[0].name_ja: must be a string" in err
    assert Catalog.objects.count() == before


@pytest.mark.django_db
def test_import_command_rejects_bad_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("import_catalog", str(path))
    assert info.value.returncode == 2
    assert "not valid JSON" in str(info.value)


@pytest.mark.django_db
def test_export_command_names_unknown_slugs(catalog):
    with pytest.raises(CommandError) as info:
        call_command("export_catalog", "nope")
    assert info.value.returncode == 2
    assert "known: kintone-external-collaboration" in str(info.value)
