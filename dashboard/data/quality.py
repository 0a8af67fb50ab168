"""Data quality: the flags the rules raised, as the current user may see them, and confirming one.

Members see their own organisation's flags, staff and the steering group all (the numbers of a
flag left out where its value is hidden from the user); the service decides. The messages come in
the user's language.
"""

from __future__ import annotations

from api.models.common import Page
from api.models.observation import ObservationPublic
from api.models.quality import FlagConfirm, FlagStatus, QualityFlagPublic, QualityWarning
from api.services.analytics import observations as observation_service
from api.services.quality import checks
from api.services.quality import flags as flag_service
from dashboard import context

__all__ = [
    "FlagStatus",
    "ObservationPublic",
    "QualityFlagPublic",
    "QualityWarning",
    "confirm",
    "flags",
    "history",
    "warning_texts",
]


def flags(
    *,
    status: FlagStatus | None = None,
    indicator: str | None = None,
    area: str | None = None,
    organisation: str | None = None,
    period: str | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> Page[QualityFlagPublic]:
    """The flags this user may see, newest first, filtered; each message in the user's language."""
    backbone = context.backbone()
    with backbone.db.session() as session:
        return flag_service.list_flags(
            session=session,
            read_model=backbone.read_model,
            principal=context.user(),
            check=checks.quality_check(session),
            indicator=indicator,
            area=area,
            organisation=organisation,
            period=period,
            status=status,
            language=context.language(),
            limit=limit,
            offset=offset,
        )


def confirm(flag_id: int, comment: str) -> QualityFlagPublic:
    """The flagged value is right: confirmed with a comment, in one transaction (staff or the reporting member)."""
    backbone = context.backbone()
    with backbone.db.transaction() as session:
        return flag_service.confirm_flag(
            session=session,
            principal=context.user(),
            check=checks.quality_check(session),
            flag_id=flag_id,
            data=FlagConfirm(comment=comment),
        )


def history(indicator: str, area: str, breakdown: dict[str, str]) -> list[ObservationPublic]:
    """The current values of one indicator, area and breakdown in every period, oldest first, as the user sees them."""
    key = ",".join(f"{d}:{v}" for d, v in sorted(breakdown.items())) or "total"
    found = observation_service.list_observations(
        read_model=context.backbone().read_model,
        principal=context.user(),
        limit=500,
        offset=0,
        indicator=indicator,
        area=area,
        breakdown=key,
    )
    return sorted(found.items, key=lambda o: o.period)


def warning_texts(warnings: list[QualityWarning]) -> list[str]:
    """What each warning of a write says, in the user's language (an admin's rule in its own words)."""
    if not warnings:
        return []
    language = context.language()
    with context.backbone().db.session() as session:
        check = checks.quality_check(session)
    return [
        check.text(w.rule, {"observed": w.observed, "expected": w.expected, "score": w.score}, language)
        for w in warnings
    ]
