"""A recommendation in plain words, in Japanese or English (command output, pages, records)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .scoring import CompiledCatalog


def sensitivity_sentence(compiled: CompiledCatalog, item: dict[str, Any], lang: str) -> str:
    """E.g. 'Set up a separate domain would come first if “How confidential…” were “High”.'"""
    with translation.override(lang):
        pattern = compiled.label(lang, "pattern", item["pattern"])
        if not item["changes"]:
            return _("No change of one or two answers puts “%(pattern)s” first.") % {
                "pattern": pattern
            }
        conditions = [
            _("“%(question)s” were answered “%(choice)s”")
            % {
                "question": compiled.label(lang, "question", change["question"]),
                "choice": compiled.label(lang, "choice", change["question"], change["to"]),
            }
            for change in item["changes"]
        ]
        return _("“%(pattern)s” would come first if %(conditions)s.") % {
            "pattern": pattern,
            "conditions": _(" and ").join(conditions),
        }


def recommendation_as_text(catalog, result: dict[str, Any], lang: str) -> str:
    """The `recommend` command's text output."""
    from .services import compiled_catalog

    compiled = compiled_catalog(catalog)
    with translation.override(lang):
        lines = [f"{catalog.slug} {catalog.version}"]
        if result["tie"]:
            lines.append(_("Tie: the first options have equal scores."))
        elif result["narrow"]:
            lines.append(_("No clear winner: the lead over the runner-up is under 10%."))
        for entry in result["ranking"]:
            name = compiled.label(lang, "pattern", entry["pattern"])
            flag = f"  [{_('excluded')}]" if entry["excluded"] else ""
            lines.append(f"{entry['rank']}. {name} ({entry['pattern']}): {entry['score']}{flag}")
            for exclusion in entry["exclusions"]:
                lines.append(
                    f"   ✕ {exclusion['question']}={exclusion['choice']}: {exclusion['text']}"
                )
            for reason in entry["reasons"]:
                lines.append(
                    f"   {reason['effect']:+d} [{reason['criterion']}] "
                    f"{reason['question']}={reason['choice']}: {reason['text']}"
                )
        if result["sensitivity"]:
            lines.append(_("Sensitivity:"))
            for item in result["sensitivity"]:
                lines.append("- " + sensitivity_sentence(compiled, item, lang))
        return "\n".join(lines) + "\n"


def explain(compiled: CompiledCatalog, result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The ranking with display names for a page or a record, in `lang`.

    Returns {"entries": [...], "tie", "narrow", "winner", "runner_up", "sensitivity": [str]}
    where each entry carries the pattern's name, rank, score and its reasons and exclusions
    with the question, the answer, the criterion and the catalog statement spelled out.
    """

    def label(*path):
        return compiled.label(lang, *path)

    entries = []
    for entry in result["ranking"]:
        entries.append(
            {
                **entry,
                "name": label("pattern", entry["pattern"]),
                "reasons": [
                    {
                        **reason,
                        "question_text": label("question", reason["question"]),
                        "choice_label": label("choice", reason["question"], reason["choice"]),
                        "criterion_name": label("criterion", reason["criterion"]),
                    }
                    for reason in entry["reasons"]
                ],
                "exclusions": [
                    {
                        **exclusion,
                        "question_text": label("question", exclusion["question"]),
                        "choice_label": label("choice", exclusion["question"], exclusion["choice"]),
                    }
                    for exclusion in entry["exclusions"]
                ],
            }
        )
    eligible = [e for e in entries if not e["excluded"]]
    return {
        "entries": entries,
        "tie": result["tie"],
        "narrow": result["narrow"],
        "tied": [e for e in eligible if e["score"] == eligible[0]["score"]]
        if result["tie"]
        else [],
        "winner": eligible[0] if eligible and not result["tie"] else None,
        "runner_up": eligible[1] if len(eligible) > 1 and not result["tie"] else None,
        "sensitivity": [
            {
                "pattern": item["pattern"],
                "changes": item["changes"],
                "sentence": sensitivity_sentence(compiled, item, lang),
            }
            for item in result["sensitivity"]
        ],
    }
