from django.urls import path

from .views import (
    catalog_version,
    compare,
    copies,
    costs,
    decision,
    records,
    reviews,
    signoff,
    weights,
    wizard,
)

app_name = "reviews"

urlpatterns = [
    path("reviews/new/", reviews.review_new, name="new"),
    path("reviews/<int:pk>/", reviews.review_detail, name="detail"),
    path("reviews/<int:pk>/edit/", reviews.review_edit, name="edit"),
    path("reviews/<int:pk>/steps/<slug:step>/", wizard.review_step, name="step"),
    path("reviews/<int:pk>/answers/<slug:question>/", wizard.answer_save, name="answer"),
    path("reviews/<int:pk>/continue/", wizard.review_continue, name="continue"),
    path("reviews/<int:pk>/weights/", weights.review_weights, name="weights"),
    path(
        "reviews/<int:pk>/recommendation/",
        wizard.review_recommendation_page,
        name="recommendation",
    ),
    path("reviews/<int:pk>/compare/", compare.review_compare, name="compare"),
    path("reviews/<int:pk>/compare.csv", compare.review_compare_csv, name="compare_csv"),
    path("reviews/<int:pk>/costs/", costs.review_costs_save, name="costs"),
    path(
        "reviews/<int:pk>/catalog-version/",
        catalog_version.review_catalog_version,
        name="catalog_version",
    ),
    path("reviews/<int:pk>/clone/", copies.review_clone_view, name="clone"),
    path("reviews/<int:pk>/template/", copies.template_create_view, name="template_create"),
]

# The decision record: decision, risks, sign-off, revising, exports, verify
urlpatterns += [
    path("reviews/<int:pk>/decision/", decision.decision_edit, name="decision"),
    path("reviews/<int:pk>/risks/", decision.risk_add, name="risk_add"),
    path("reviews/<int:pk>/risks/<int:risk>/delete/", decision.risk_remove, name="risk_remove"),
    path("reviews/<int:pk>/sign-off/", signoff.signoff_request, name="signoff"),
    path("reviews/<int:pk>/sign/", signoff.signoff_sign, name="sign"),
    path("reviews/<int:pk>/send-back/", signoff.signoff_send_back, name="send_back"),
    path("reviews/<int:pk>/withdraw/", signoff.signoff_withdraw, name="withdraw"),
    path("reviews/<int:pk>/revise/", reviews.review_revise, name="revise"),
    path("reviews/<int:pk>/record.<str:fmt>", records.record_download, name="record"),
    path("verify/", records.verify, name="verify"),
    path("verify/ca.pem", records.verify_ca, name="verify_ca"),
]
