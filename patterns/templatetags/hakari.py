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
