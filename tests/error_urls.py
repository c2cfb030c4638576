"""The project's URLs plus views that fail, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config import urls as project_urls


@login_not_required
def boom(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [
    path("boom/", boom),
    path("api/boom", boom),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
