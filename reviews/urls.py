from django.urls import path

from . import views

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
]
