"""Teams, reviews and their records in the admin. A review is editable here only while it is
a draft (in review, its answers and decision are locked; approved or superseded, its record is
frozen); sign-offs, the audit trail and the stored records are always read-only: they come
from the sign-off workflow only. The models refuse changes to frozen reviews themselves
(FrozenReviewError): this keeps the admin from offering them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from patterns.admin import translate_derived_field_names

from .models import (
    Answer,
    Decision,
    DecisionRecord,
    Membership,
    Review,
    ReviewEvent,
    ReviewTemplate,
    Risk,
    Signature,
    Team,
)

translate_derived_field_names("reviews")


def _locked(obj) -> bool:
    review = obj if isinstance(obj, Review) else getattr(obj, "review", None)
    return review is not None and not review.is_draft


class DraftOnlyInline:
    """An inline of a review: add, change and delete only while the review is a draft."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _locked(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _locked(obj)


class AnswerInline(DraftOnlyInline, admin.TabularInline):
    model = Answer
    fields = ["question", "choice", "note", "answered_by", "answered_at"]
    raw_id_fields = ["answered_by"]


class DecisionInline(DraftOnlyInline, admin.StackedInline):
    model = Decision
    raw_id_fields = ["decided_by"]


class RiskInline(DraftOnlyInline, admin.TabularInline):
    model = Risk
    raw_id_fields = ["owner_user"]


class ReadOnlyInline:
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignatureInline(ReadOnlyInline, admin.TabularInline):
    model = Signature
    fields = ("approver", "state", "requested_at", "signed_at", "comment")
    readonly_fields = fields


class ReviewEventInline(ReadOnlyInline, admin.TabularInline):
    model = ReviewEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "comment")
    readonly_fields = fields


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "status", "owner", "created_at"]
    list_filter = ["status", "team"]
    list_select_related = ["team", "owner"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "revision_of"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [
        AnswerInline,
        DecisionInline,
        RiskInline,
        SignatureInline,
        ReviewEventInline,
    ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _locked(obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["review", "at", "actor", "action", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["review", "actor"]


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnlyAdmin):
    list_display = ["review", "sha256", "pdf_sha256", "created_at"]
    list_select_related = ["review"]
    search_fields = ["sha256", "pdf_sha256"]
    exclude = ["pdf", "canonical_json"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf", "canonical_json")


@admin.register(ReviewTemplate)
class ReviewTemplateAdmin(admin.ModelAdmin):
    """A team's starting answers: made from a review's page; renamed or removed here."""

    list_display = ["name", "team", "catalog", "created_by", "created_at"]
    list_filter = ["team"]
    list_select_related = ["team", "catalog", "created_by"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at"]


admin.site.site_header = gettext_lazy("Hakari administration")
admin.site.site_title = gettext_lazy("Hakari administration")
