"""The reasons under each option of the recommendation panel, built with `format_html` in one
pass: through the template engine they were most of the panel's cost (a dozen lookups and a
translation per reason, a few dozen reasons per ranking). Same markup, every value escaped."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patterns.explanation import ExplainedPattern

register = template.Library()

REASONS = (
    '\n<details class="small reasons">\n  <summary>{}</summary>\n  <ul class="mb-0">\n{}'
    "  </ul>\n</details>\n"
)
REASON = (
    '    <li data-question="{}"><span class="effect {}">{}</span>\n'
    '      {} → <strong>{}</strong> <span class="badge text-bg-light">{}</span>: {}\n'
    '      <div class="text-body-secondary statement-ref">{}: {}{}</div></li>\n'
)
BASIS = ' <span class="badge text-bg-light basis" data-basis="{}">{}</span>'


@register.simple_tag
def explained_reasons(entry: ExplainedPattern) -> SafeString:
    """The folded list of why `entry` scores what it does ("" when there is no reason)."""
    if not entry.reasons:
        return SafeString("")
    catalog = _("Catalog")
    rows = (
        (
            r.question,
            "text-success" if r.effect > 0 else "text-danger",
            f"+{r.effect}" if r.effect > 0 else str(r.effect),
            r.question_text,
            r.choice_label,
            r.criterion_name,
            r.text,
            catalog,
            r.statement_text,
            format_html(BASIS, r.basis_type, r.basis_label) if r.basis_label else "",
        )
        for r in entry.reasons
    )
    count = len(entry.reasons)
    summary = ngettext("%(counter)s reason", "%(counter)s reasons", count) % {"counter": count}
    return format_html(REASONS, summary, format_html_join("", REASON, rows))
