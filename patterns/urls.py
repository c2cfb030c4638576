from django.urls import path

from . import views

app_name = "patterns"

urlpatterns = [
    path("catalogs/", views.catalog_list, name="catalog_list"),
    path("catalogs/<slug:slug>/", views.catalog_detail, name="catalog_detail"),
    path("catalogs/<slug:slug>/compare/", views.catalog_compare, name="catalog_compare"),
    path("catalogs/<slug:slug>/compare.csv", views.catalog_compare_csv, name="catalog_compare_csv"),
    path("api/catalogs/<slug:slug>", views.api_catalog, name="api_catalog"),
    path("api/catalogs/<slug:slug>/recommend", views.api_recommend, name="api_recommend"),
]
