"""The catalog: versioned, bilingual patterns, criteria, statements, questions and scoring rules.

A catalog version is edited as a draft and then published; a published version is immutable
(every model here refuses to change a row of a published version, through save(), delete() or
its QuerySets: `patterns.immutability`), so a review that pinned it keeps meaning the same thing.
A change makes a new version (`services.catalog_new_draft`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .immutability import Lock, LockedModel, LockedQuerySet
from .validation import MAX_EFFECT


class CatalogLocked(Exception):
    """Raised when something tries to change a published catalog version."""


def pick(obj, base: str, lang: str | None = None) -> str:
    """The `base_ja` or `base_en` text of obj in the active (or given) language."""
    lang = (lang or get_language() or "ja")[:2]
    value = getattr(obj, f"{base}_{'en' if lang == 'en' else 'ja'}", "")
    return value or getattr(obj, f"{base}_ja", "")


def version_key(data) -> tuple:
    """Sort key of a catalog (or its file's dict) by slug, then version number (1.10 > 1.9)."""
    version = data.get("version") if isinstance(data, dict) else data.version
    slug = data.get("slug") if isinstance(data, dict) else data.slug
    parts = str(version or "").replace("-", ".").split(".")
    return (str(slug or ""), tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts))


def _published_message(row) -> str:
    return f"{row.catalog_of()} is published and cannot change; make a new version"


def published_lock(path: str = "") -> Lock:
    """Rows are locked once the catalog version at `path` (e.g. "pattern__catalog") is published."""
    lookup = f"{path}__published_at__isnull" if path else "published_at__isnull"
    return Lock(
        {lookup: False},
        CatalogLocked,
        _published_message,
        move_message="Move catalog rows one by one, between draft versions only.",
    )


class CatalogQuerySet(LockedQuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def latest_published(self, slug: str):
        """The newest published version of `slug` (highest version number), or None."""
        versions = list(self.published().filter(slug=slug).order_by("-published_at", "-pk"))
        return max(versions, key=version_key, default=None)


class Catalog(LockedModel):
    slug = models.SlugField(max_length=60)
    version = models.CharField(max_length=40)
    # the catalog kind (patterns/kinds/): its price table, cost formulas and demo; "" for none
    kind = models.SlugField(max_length=40, blank=True, default="")
    title_ja = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    summary_ja = models.TextField()
    summary_en = models.TextField()
    source_title_ja = models.CharField(max_length=200)
    source_title_en = models.CharField(max_length=200)
    source_publisher = models.CharField(max_length=200, blank=True)
    source_series = models.CharField(max_length=200, blank=True, default="")
    source_url = models.CharField(max_length=500, blank=True)
    source_as_of = models.DateField()
    parent_pattern_ja = models.CharField(max_length=200, blank=True)
    parent_pattern_en = models.CharField(max_length=200, blank=True)
    price_table = models.JSONField(null=True, blank=True)
    # the file format the version was written in (fixtures/catalogs/README.md), and format 2's
    # closing guidance shown with every ranking (the guide's own caveats)
    format = models.PositiveSmallIntegerField(default=1)
    guidance_ja = models.TextField(blank=True, default="")
    guidance_en = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = CatalogQuerySet.as_manager()
    lock = published_lock()

    class Meta:
        verbose_name = _("catalog version")
        verbose_name_plural = _("catalog versions")
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="catalog_slug_version")
        ]
        ordering = ["slug", "-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.slug} {self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def catalog_of(self) -> Catalog:
        return self

    def title(self) -> str:
        return pick(self, "title")

    def publish(self) -> None:
        """Make this draft the current version; from now on it never changes."""
        if self.is_published:
            raise CatalogLocked(f"{self} is already published")
        self.published_at = timezone.now()
        self.save(update_fields=["published_at"])


class CatalogPart(LockedModel):
    """A row that belongs to one catalog version and shares its immutability: each model says
    its path to the catalog with `catalog_path = "..."` (e.g. "pattern__catalog"); its `lock`
    and `catalog_of()` follow from it. Rows keep their catalog order (`order`, then `pk`)."""

    catalog_path: ClassVar[str]

    objects = LockedQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"
        ordering = ["order", "pk"]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.lock = published_lock(cls.catalog_path)

    def catalog_of(self) -> Catalog:
        row: Any = self
        for name in self.catalog_path.split("__"):
            row = getattr(row, name)
        assert isinstance(row, Catalog)
        return row


class Criterion(CatalogPart):
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=60)
    order = models.PositiveIntegerField(default=0)
    name_ja = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_ja = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    catalog_path = "catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["catalog", "key"], name="criterion_catalog_key")
        ]

    def __str__(self) -> str:
        return self.key

    def name(self) -> str:
        return pick(self, "name")


class Pattern(CatalogPart):
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="patterns")
    key = models.SlugField(max_length=60)
    order = models.PositiveIntegerField(default=0)
    name_ja = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    summary_ja = models.TextField()
    summary_en = models.TextField()

    catalog_path = "catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["catalog", "key"], name="pattern_catalog_key")
        ]

    def __str__(self) -> str:
        return self.key

    def name(self) -> str:
        return pick(self, "name")


class Statement(CatalogPart):
    """What the guide says of one pattern on one criterion: a merit, a demerit or a note."""

    class Kind(models.TextChoices):
        MERIT = "merit", _("Merit")
        DEMERIT = "demerit", _("Demerit")
        NEUTRAL = "neutral", _("Note")

    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="statements")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="statements")
    key = models.CharField(max_length=60)
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text_ja = models.TextField()
    text_en = models.TextField()
    source_section = models.CharField(max_length=200)
    # format 2: {"type": "guide", "section"}, {"type": "kintone_help", "topic"} or
    # {"type": "inference"}
    basis = models.JSONField(null=True, blank=True)

    catalog_path = "pattern__catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.key

    def text(self) -> str:
        return pick(self, "text")


class UseCase(CatalogPart):
    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="use_cases")
    order = models.PositiveIntegerField(default=0)
    text_ja = models.TextField()
    text_en = models.TextField()
    source_section = models.CharField(max_length=200)

    catalog_path = "pattern__catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("use case")
        verbose_name_plural = _("use cases")

    def __str__(self) -> str:
        return self.text_en[:60]

    def text(self) -> str:
        return pick(self, "text")


class QuestionGroup(CatalogPart):
    """One step of the assessment wizard."""

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=60)
    order = models.PositiveIntegerField(default=0)
    title_ja = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    description_ja = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    catalog_path = "catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")
        constraints = [models.UniqueConstraint(fields=["catalog", "key"], name="step_catalog_key")]

    def __str__(self) -> str:
        return self.key

    def title(self) -> str:
        return pick(self, "title")


class Question(CatalogPart):
    group = models.ForeignKey(QuestionGroup, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    order = models.PositiveIntegerField(default=0)
    text_ja = models.CharField(max_length=500)
    text_en = models.CharField(max_length=500)
    help_ja = models.TextField(blank=True)
    help_en = models.TextField(blank=True)

    catalog_path = "group__catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.key

    def text(self) -> str:
        return pick(self, "text")


class Choice(CatalogPart):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(max_length=60)
    order = models.PositiveIntegerField(default=0)
    label_ja = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    # format 2: {criterion: 0-3}, the criterion's default weight when this choice is answered
    weights = models.JSONField(null=True, blank=True)

    catalog_path = "question__group__catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="choice_question_key")
        ]

    def __str__(self) -> str:
        return f"{self.question.key}={self.key}"

    def label(self) -> str:
        return pick(self, "label")


class ChoiceEffect(CatalogPart):
    """Choosing `choice` moves `pattern` by `weight` on `criterion`, because of `statement`."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="effects")
    order = models.PositiveIntegerField(default=0)
    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    weight = models.SmallIntegerField()
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    reason_ja = models.TextField()
    reason_en = models.TextField()
    when = models.JSONField(null=True, blank=True)  # format 2: {question: [choices]}, all hold

    catalog_path = "pattern__catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("choice effect")
        verbose_name_plural = _("choice effects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=-MAX_EFFECT, weight__lte=MAX_EFFECT)
                & ~models.Q(weight=0),
                name="effect_weight_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.choice} → {self.pattern.key} {self.weight:+d}"


class Exclusion(CatalogPart):
    """A hard requirement: choosing `choice` rules `pattern` out."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="exclusions")
    order = models.PositiveIntegerField(default=0)
    pattern = models.ForeignKey(Pattern, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    reason_ja = models.TextField()
    reason_en = models.TextField()
    when = models.JSONField(null=True, blank=True)  # format 2: {question: [choices]}, all hold

    catalog_path = "pattern__catalog"

    class Meta(CatalogPart.Meta):
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")

    def __str__(self) -> str:
        return f"{self.choice} excludes {self.pattern.key}"
