from django.urls import path

from . import views, views_compare, views_record

app_name = "reviews"

urlpatterns = [
    path("reviews/new/", views.review_new, name="new"),
    path("reviews/<int:pk>/", views.review_detail, name="detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="edit"),
    path("reviews/<int:pk>/steps/<slug:step>/", views.review_step, name="step"),
    path("reviews/<int:pk>/answers/<slug:question>/", views.answer_save, name="answer"),
    path(
        "reviews/<int:pk>/recommendation/",
        views.review_recommendation_page,
        name="recommendation",
    ),
    path("reviews/<int:pk>/compare/", views_compare.review_compare, name="compare"),
    path("reviews/<int:pk>/compare.csv", views_compare.review_compare_csv, name="compare_csv"),
    path("reviews/<int:pk>/costs/", views_compare.review_costs_save, name="costs"),
]

# The decision record: decision, risks, sign-off, revising, exports (reviews/views_record.py)
urlpatterns += [
    path("reviews/<int:pk>/decision/", views_record.decision_edit, name="decision"),
    path("reviews/<int:pk>/risks/", views_record.risk_add, name="risk_add"),
    path(
        "reviews/<int:pk>/risks/<int:risk>/delete/",
        views_record.risk_remove,
        name="risk_remove",
    ),
    path("reviews/<int:pk>/sign-off/", views_record.signoff_request, name="signoff"),
    path("reviews/<int:pk>/sign/", views_record.signoff_sign, name="sign"),
    path("reviews/<int:pk>/send-back/", views_record.signoff_send_back, name="send_back"),
    path("reviews/<int:pk>/withdraw/", views_record.signoff_withdraw, name="withdraw"),
    path("reviews/<int:pk>/revise/", views_record.review_revise, name="revise"),
    path("reviews/<int:pk>/record.<str:fmt>", views_record.record_download, name="record"),
    path("verify/", views_record.verify, name="verify"),
]
