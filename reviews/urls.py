from django.urls import path

from . import views, views_compare

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
