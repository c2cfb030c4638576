from django.urls import path

from .views import ok

urlpatterns = [path("bench/ok", ok, name="bench_ok")]
