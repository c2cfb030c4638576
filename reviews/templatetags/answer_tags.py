"""The wizard's small, frequent pieces built with `format_html`: the progress and a saved
answer's status line (on every htmx save, and once per question on a step page). Through the
template engine each cost a few translations and a dozen lookups; same markup, escaped."""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

PROGRESS = (
    '<div class="progress-summary small mb-1">{}{}</div>\n'
    '<div class="progress" role="progressbar" aria-label="{}" aria-valuenow="{}"'
    ' aria-valuemin="0" aria-valuemax="{}">\n'
    '  <div class="progress-bar w-{}"></div>\n</div>\n'
)
SAVED = '<span class="text-success">{}{}</span>{}'
NOTE_HINT = ' <span class="text-body-secondary">{}</span>'


@register.simple_tag
def progress_bar(progress) -> SafeString:
    """The wizard's progress (`selectors.Progress`): its summary line and its bar."""
    counts = {"answered": progress.answered, "total": progress.total}
    if progress.step_number:
        summary = _("Step %(step)s of %(steps)s · %(answered)s of %(total)s answered") % {
            "step": progress.step_number, "steps": progress.step_count, **counts
        }  # fmt: skip
    else:
        summary = _("%(answered)s of %(total)s questions answered") % counts
    skipped = progress.not_applicable
    not_applicable = ""
    if skipped:
        plural = ngettext("%(counter)s not applicable", "%(counter)s not applicable", skipped)
        not_applicable = " · " + plural % {"counter": skipped}
    return format_html(
        PROGRESS, summary, not_applicable, _("Questions answered"),
        progress.answered + skipped, progress.total, progress.percent,
    )  # fmt: skip


@register.simple_tag
def saved_status(answer) -> SafeString:
    """ "Saved 10:42:07 · by Alice Abe" for a stored answer (and, when it is marked not
    applicable without a note, the hint to say why)."""
    who = answer.answered_by.get_full_name() or answer.answered_by.username
    time = formats.time_format(timezone.localtime(answer.answered_at), "H:i:s")
    saved = _("Saved %(time)s · by %(who)s") % {"time": time, "who": who}
    prefix = _("Not applicable") + " · " if answer.not_applicable else ""
    hint = ""
    if answer.not_applicable and not answer.note:
        hint = format_html(NOTE_HINT, _("Say in the note why it does not apply."))
    return format_html(SAVED, prefix, saved, hint)
