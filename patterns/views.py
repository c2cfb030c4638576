import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import scoring
from .api import api_login_required, json_error
from .models import Catalog
from .selectors import catalog_grid
from .services import catalog_to_dict, compiled_catalog

MAX_BODY = 64 * 1024


def _published_catalog(request: HttpRequest, slug: str) -> Catalog:
    """The requested (?version=) or latest published version of `slug`, else 404."""
    version = request.GET.get("version")
    if version:
        catalog = Catalog.objects.published().filter(slug=slug, version=version).first()
    else:
        catalog = Catalog.objects.latest_published(slug)
    if catalog is None:
        raise Http404("No such catalog")
    return catalog


@require_GET
def catalog_list(request: HttpRequest) -> HttpResponse:
    catalogs = Catalog.objects.published().order_by("slug", "-published_at")
    latest: dict[str, Catalog] = {}
    for catalog in catalogs:
        latest.setdefault(catalog.slug, catalog)
    return render(request, "patterns/catalog_list.html", {"catalogs": list(latest.values())})


@require_GET
def catalog_detail(request: HttpRequest, slug: str) -> HttpResponse:
    catalog = _published_catalog(request, slug)
    return render(
        request, "patterns/catalog_detail.html", {"catalog": catalog, **catalog_grid(catalog)}
    )


@require_GET
@api_login_required
def api_catalog(request: HttpRequest, slug: str) -> JsonResponse:
    catalog = _published_catalog(request, slug)
    return JsonResponse(catalog_to_dict(catalog), json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # computes a ranking and changes nothing; scripts post JSON without a session
@require_POST
@api_login_required
def api_recommend(request: HttpRequest, slug: str) -> JsonResponse:
    catalog = _published_catalog(request, slug)
    if len(request.body) > MAX_BODY:
        return json_error(f"request body over {MAX_BODY} bytes")
    try:
        body = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return json_error(f"body is not valid JSON: {exc}")
    weights = None
    lang = request.GET.get("lang", "ja")
    if isinstance(body, dict) and isinstance(body.get("answers"), dict):
        # {"answers": {...}, "weights": {...}} is accepted beside the bare answers object
        weights = body.get("weights")
        body = body["answers"]
    try:
        result = scoring.rank(compiled_catalog(catalog), body, weights=weights, lang=lang)
    except scoring.AnswerError as exc:
        return json_error(str(exc))
    return JsonResponse(result, json_dumps_params={"ensure_ascii": False})
