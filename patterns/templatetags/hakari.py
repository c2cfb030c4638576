from django import template

from patterns.models import pick

register = template.Library()


@register.filter
def tr(obj, base: str) -> str:
    """`{{ pattern|tr:"name" }}`: the `name_ja` or `name_en` text in the active language."""
    if isinstance(obj, dict):
        from django.utils.translation import get_language

        lang = "en" if (get_language() or "ja").startswith("en") else "ja"
        return obj.get(f"{base}_{lang}") or obj.get(f"{base}_ja", "")
    return pick(obj, base)


@register.filter
def get_item(mapping, key):
    """`{{ cells|get_item:key }}` for dict lookups with a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def basis(statement) -> str:
    """`{{ statement|basis }}`: what a statement rests on, in the active language (see
    `patterns.explanation.basis_text`); a format-1 statement gives its source section."""
    from django.utils.translation import get_language

    from patterns.explanation import basis_text

    data = statement.get("basis") if isinstance(statement, dict) else statement.basis
    if not data:
        if isinstance(statement, dict):
            return statement.get("source_section", "")
        return statement.source_section
    return basis_text(data, "en" if (get_language() or "ja").startswith("en") else "ja")


@register.filter
def basis_type(statement) -> str:
    data = statement.get("basis") if isinstance(statement, dict) else statement.basis
    return (data or {}).get("type", "")
