"""A therapist's plan's routine, checked as everything that plays or builds it checks it:
the builder (matcoach/plan_builds.py) and the skill (matcoach/plan_source.py)."""

from __future__ import annotations

import functools

from builder.draft import Draft, check_draft
from builder.parse import Context

ROUTINE_ID = "plan"   # the routine's id inside its folder (as web/therapist/editor.py's)


@functools.lru_cache(maxsize=256)
def checked_plan(text: str, context: Context, plan_id: int) -> Draft:
    """A plan's routine checked against a catalog, once per text and catalog (the builder
    looks at every plan each second, the skill at every request about one)."""
    return check_draft(text, context, f"plan {plan_id}", ROUTINE_ID)
