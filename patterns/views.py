from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import scoring
from .api import api_login_required, json_error
from .compare import csv_response, select_patterns, statements_text
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


def _catalog_comparison(request: HttpRequest, catalog: Catalog) -> dict:
    """The chosen patterns (`?p=`, 2-4) of a catalog version, side by side per criterion."""
    patterns = list(catalog.patterns.all())
    names = {p.key: p.name() for p in patterns}
    selection = select_patterns(
        [p.key for p in patterns], request.GET.getlist("p"), label=lambda key: names[key]
    )
    grid = catalog_grid(catalog, selection.keys)
    columns = [
        {
            "key": pattern.key,
            "name": pattern.name(),
            "pattern": pattern,
            "entry": None,
            "cells": [{"criterion": c, "statements": cell} for c, cell in cells],
        }
        for pattern, cells in grid["columns"]
    ]
    return {
        "catalog": catalog,
        "selection": selection,
        "options": [
            {"key": p.key, "name": names[p.key], "checked": p.key in selection.keys}
            for p in patterns
        ],
        "columns": columns,
        "rows": [
            {"criterion": c, "cells": [column["cells"][i] for column in columns]}
            for i, c in enumerate(grid["criteria"])
        ],
    }


@require_GET
def catalog_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """2-4 options side by side; the choice is in the URL, so the page can be shared."""
    catalog = _published_catalog(request, slug)
    return render(request, "patterns/compare.html", _catalog_comparison(request, catalog))


@require_GET
def catalog_compare_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The comparison as CSV: one row per pattern x criterion, both languages."""
    catalog = _published_catalog(request, slug)
    context = _catalog_comparison(request, catalog)
    header = [
        "pattern",
        "pattern_name_ja",
        "pattern_name_en",
        "criterion",
        "criterion_name_ja",
        "criterion_name_en",
        "statements_ja",
        "statements_en",
    ]
    rows = [
        [
            column["key"],
            column["pattern"].name_ja,
            column["pattern"].name_en,
            cell["criterion"].key,
            cell["criterion"].name_ja,
            cell["criterion"].name_en,
            statements_text(cell["statements"], "ja"),
            statements_text(cell["statements"], "en"),
        ]
        for column in context["columns"]
        for cell in column["cells"]
    ]
    return csv_response(f"{catalog.slug}-{catalog.version}-comparison.csv", header, rows)


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
        body = scoring.load_json(request.body, "body")
    except scoring.AnswerError as exc:
        return json_error(str(exc))
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
    return JsonResponse(result.to_json(), json_dumps_params={"ensure_ascii": False})
