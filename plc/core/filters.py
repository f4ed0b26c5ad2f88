"""The filters that lists share (search words, theme, school type, career stage), read from the
query string. Unknown values are ignored rather than refused: a filter link is a bookmark."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from plc.auth.models import CareerStage, SchoolType


def profile_filter_args(args: MultiDict[str, str]) -> dict[str, Any]:
    """`q`, `theme`, `school_type` and `career_stage` for a filters dataclass."""
    school_type = args.get("schooltype", "")
    stage = args.get("loopbaanfase", "")
    return {
        "q": args.get("q", "")[:200],
        "theme": args.get("thema", "")[:80],
        "school_type": SchoolType(school_type)
        if school_type in {t.value for t in SchoolType}
        else None,
        "career_stage": CareerStage(stage) if stage in {s.value for s in CareerStage} else None,
    }
