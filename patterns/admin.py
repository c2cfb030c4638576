"""Catalog editing. Published versions are read-only; 'new draft version' copies one to edit."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.db.models import Count, Field
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import models
from .services import catalog_new_draft
from .validation import kind_problems


def translate_derived_field_names(app_label: str) -> None:
    """Show the admin's field labels in the user's language: a field declared without a
    verbose_name gets the name Django derives from it ("answered by") as a lazy translation.
    Only `verbose_name` changes, not the constructor's argument that `deconstruct()` and the
    migrations read, so no migration follows."""
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.get_fields():
            if isinstance(field, Field) and field._verbose_name is None:  # type: ignore[attr-defined]
                field.verbose_name = gettext_lazy(str(field.verbose_name))


translate_derived_field_names("patterns")


class LockedWhenPublished:
    """Everything of a published catalog version is read-only in the admin."""

    def _published(self, obj) -> bool:
        return obj is not None and obj.catalog_of().is_published

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._published(obj)


class _Inline(admin.TabularInline):
    """The admin's inlines show no empty extra rows."""

    extra = 0


class CriterionInline(_Inline):
    model = models.Criterion


class PatternInline(_Inline):
    model = models.Pattern
    fields = ["key", "order", "name_ja", "name_en"]


class QuestionGroupInline(_Inline):
    model = models.QuestionGroup
    fields = ["key", "order", "title_ja", "title_en"]


class CatalogAdminForm(forms.ModelForm):
    """A draft's kind and price table are checked like an imported file's
    (fixtures/catalogs/README.md): the kind must be known, and its schema checks the table."""

    class Meta:  # the admin adds the model and its fields
        widgets = {"price_table": forms.Textarea(attrs={"rows": 24, "cols": 100})}
        help_texts = {
            "kind": gettext_lazy(
                "The catalog kind (patterns/kinds/) whose code reads the price table; "
                "empty: none (no price table)."
            ),
            "price_table": gettext_lazy(
                "Licence prices for the cost estimate, as JSON (format: "
                "fixtures/catalogs/README.md, 'Price table'). Empty: no estimate. Prices "
                "change: update as_of and the source with them."
            ),
        }

    def clean(self):
        data = super().clean()
        if "kind" in data and "price_table" in data:
            given = {"price_table": data["price_table"]}
            problems = kind_problems({**given, "kind": data["kind"]} if data["kind"] else given)
            fields = {"kind": [], "price_table": []}
            for problem in problems:
                fields["kind" if problem.startswith("kind") else "price_table"].append(problem)
            for name, messages_ in fields.items():
                if messages_:
                    self.add_error(name, messages_)
        return data


@admin.register(models.Catalog)
class CatalogAdmin(LockedWhenPublished, admin.ModelAdmin):
    form = CatalogAdminForm
    list_display = ["slug", "version", "title_ja", "published_at", "created_at"]
    list_filter = ["slug"]
    inlines = [CriterionInline, PatternInline, QuestionGroupInline]
    readonly_fields = ["published_at", "created_at"]
    actions = ["publish", "new_draft"]

    def _published(self, obj):
        return obj is not None and obj.is_published

    def get_inline_instances(self, request, obj=None):
        return [] if self._published(obj) else super().get_inline_instances(request, obj)

    @admin.action(description=gettext_lazy("Publish the selected draft versions"))
    def publish(self, request, queryset):
        for catalog in queryset.filter(published_at__isnull=True):
            catalog.publish()
            self.message_user(request, _("Published %(catalog)s") % {"catalog": catalog})

    @admin.action(description=gettext_lazy("Copy into a new draft version"))
    def new_draft(self, request, queryset):
        for catalog in queryset:
            n = models.Catalog.objects.filter(slug=catalog.slug).count() + 1
            version = f"{catalog.version}-draft{n}"
            new = catalog_new_draft(catalog, version=version)
            self.message_user(
                request, _("Created the draft %(catalog)s") % {"catalog": new}, messages.SUCCESS
            )


class StatementInline(_Inline):
    model = models.Statement
    fields = ["key", "criterion", "kind", "text_ja", "text_en", "source_section", "order"]


class UseCaseInline(_Inline):
    model = models.UseCase


@admin.register(models.Pattern)
class PatternAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ["key", "name_ja", "catalog"]
    list_filter = ["catalog"]
    list_select_related = ["catalog"]
    inlines = [StatementInline, UseCaseInline]


@admin.register(models.Criterion)
class CriterionAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ["key", "name_ja", "catalog"]
    list_filter = ["catalog"]
    list_select_related = ["catalog"]


@admin.register(models.Statement)
class StatementAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ["key", "pattern", "criterion", "kind"]
    list_filter = ["pattern__catalog", "kind"]
    list_select_related = ["pattern", "criterion"]
    search_fields = ["key", "text_ja", "text_en"]


class QuestionInline(_Inline):
    model = models.Question
    fields = ["key", "order", "text_ja", "text_en"]


@admin.register(models.QuestionGroup)
class QuestionGroupAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ["key", "title_ja", "catalog"]
    list_filter = ["catalog"]
    inlines = [QuestionInline]


class ChoiceInline(_Inline):
    model = models.Choice


@admin.register(models.Question)
class QuestionAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ["key", "text_ja", "group", "choice_count"]
    list_filter = ["group__catalog"]
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group").annotate(n=Count("choices"))

    @admin.display(description=gettext_lazy("answer choices"))
    def choice_count(self, obj):
        return obj.n


class EffectInline(_Inline):
    model = models.ChoiceEffect


class ExclusionInline(_Inline):
    model = models.Exclusion


@admin.register(models.Choice)
class ChoiceAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ["__str__", "label_ja"]
    list_filter = ["question__group__catalog"]
    list_select_related = ["question"]
    inlines = [EffectInline, ExclusionInline]
