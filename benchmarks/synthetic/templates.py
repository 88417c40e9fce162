"""Standard change templates, and the CIs in use each one can be applied to."""

from __future__ import annotations

from .draft import CatalogDraft, envelope
from .model import TemplateInfo
from .text import make_tags, markdown, unique_id
from .vocabulary import AREAS, CHANGE_TEMPLATES
from .yaml_writer import Inline


def make_templates(draft: CatalogDraft) -> None:
    """Write the templates to catalog/templates/; CIs must be made first."""
    rng = draft.rng
    used: dict[str, int] = {}
    for i in range(draft.counts.templates):
        slug, title, ci_types, durations = CHANGE_TEMPLATES[i % len(CHANGE_TEMPLATES)]
        wave = i // len(CHANGE_TEMPLATES)  # the first wave is for infrastructure
        variant = "" if wave == 0 else AREAS[wave % len(AREAS)][0]
        base = f"{slug}-{variant}" if variant else slug
        template_id = unique_id(base, used)
        area = variant or "infrastructure"
        owner = draft.team_for(area).id
        max_duration = rng.choice(durations)
        minutes = int(max_duration[:-1]) * (60 if max_duration.endswith("h") else 1)
        name = title + (f" ({AREAS[wave % len(AREAS)][1]})" if variant else "")
        if template_id != base:
            name += f" {template_id.rsplit('-', 1)[-1]}"
        document = envelope(
            "ChangeTemplate",
            template_id,
            name,
            markdown(
                f"Pre-approved standard change: {title[0].lower() + title[1:]} for "
                f"{', '.join(ci_types)} configuration items. Low risk, done many times, "
                "fully scripted."
            ),
            make_tags(slug.split("-")[0], "standard-change"),
            draft.links(template_id, ("runbook",), 1),
        )
        document["spec"] = {
            "owner": owner,
            "ciTypes": Inline(ci_types),
            "maxDuration": max_duration,
            "plan": {
                "implementation": (
                    "1. Confirm last night's backup succeeded and monitoring is green.\n"
                    f"2. Apply the {title[0].lower() + title[1:]} with the automation job.\n"
                    "3. Watch the error rate for ten minutes.\n"
                ),
                "backout": "Run the automation job's rollback step and confirm the "
                "previous state is restored.",
                "validation": "Monitoring is green for 30 minutes and the smoke test passes.",
            },
        }
        template = TemplateInfo(template_id, title, ci_types, minutes)
        draft.templates.append(template)
        pool = [ci for t in ci_types for ci in draft.usable_by_type.get(t, ())]
        if pool:
            draft.standard_pools.append((template, pool))
        draft.emit(f"catalog/templates/{template_id}.yaml", document)
