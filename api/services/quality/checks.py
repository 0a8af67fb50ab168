"""The rules values are checked against: the built-in ones with each indicator's thresholds, and the admins' own.

``quality_check`` gathers them for a write (``imports/batches``) or a re-check (``flags.recheck``).
An admin's rule between indicators is parsed when saved, so that one that cannot be read is refused
then, with the side that is wrong. A change of a rule or of thresholds re-checks what it touches at
once: that rule over the indicators it names, or the built-in rules over that indicator's values.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.errors import Conflict, ErrorItem, Invalid
from api.ingest.quality import TEXTS, CustomRule, QualityCheck, Scope, parse_expression
from api.models import Indicator, QualityRule, QualitySetting
from api.models.common import Translated
from api.models.quality import QualityRuleIn, QualityThresholds, RuleText, Severity
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.common import get_by_code
from api.services.quality import flags

BUILT_IN = {code: Severity.warning for code in TEXTS if code != "custom"}


def thresholds(session: Session) -> dict[int, QualityThresholds]:
    """Each indicator's thresholds where an admin set any (the rest keep the defaults)."""
    default = QualityThresholds()
    return {
        row.indicator_id: QualityThresholds(
            **{
                name: getattr(row, name) if getattr(row, name) is not None else getattr(default, name)
                for name in QualityThresholds.model_fields
            }
        )
        for row in session.exec(select(QualitySetting)).all()
    }


def quality_check(session: Session) -> QualityCheck:
    """What a write is checked against now."""
    rules = session.exec(select(QualityRule).where(col(QualityRule.active)).order_by(col(QualityRule.code))).all()
    return QualityCheck(
        settings=thresholds(session),
        custom=[CustomRule(r.code, r.left, r.operator, r.right, r.severity) for r in rules],
        messages={r.code: r.message.model_dump(exclude_none=True) for r in rules if r.message is not None},
    )


def _check_rule(session: Session, data: QualityRuleIn) -> None:
    problems = []
    known = set(session.exec(select(Indicator.code)).all())
    named = 0
    for side in ("left", "right"):
        try:
            terms = parse_expression(getattr(data, side), side)
        except Invalid as exc:
            problems.extend(exc.errors)
            named += 1  # a side that cannot be read is problem enough
            continue
        named += sum(t.indicator is not None for t in terms)
        problems.extend(
            ErrorItem(code="unknown_indicator", message=f"no indicator '{t.indicator}'", field=side)
            for t in terms
            if t.indicator is not None and t.indicator not in known
        )
    if not named:
        message = "a rule compares indicators' values: name at least one indicator"
        problems.append(ErrorItem(code="no_indicator", message=message, field="left"))
    if data.code in BUILT_IN:
        problems.append(ErrorItem(code="reserved_code", message=f"'{data.code}' is a built-in rule", field="code"))
    if problems:
        raise Invalid(f"The rule has {len(problems)} problem{'s' if len(problems) > 1 else ''}", errors=problems)


def list_rules(*, session: Session) -> list[QualityRuleIn]:
    rows = session.exec(select(QualityRule).order_by(col(QualityRule.code))).all()
    return [QualityRuleIn.model_validate(r, from_attributes=True) for r in rows]


def save_rule(
    *, session: Session, read_model: ReadModel, actor: Principal | None, data: QualityRuleIn
) -> QualityRuleIn:
    """Add an admin's rule, or replace the one with its code; re-check it over what is stored."""
    _check_rule(session, data)
    row = session.exec(select(QualityRule).where(QualityRule.code == data.code)).first()
    fields = data.model_dump(exclude={"message"})
    if row is None:
        row = QualityRule(**fields, message=data.message)
    else:
        for name, value in fields.items():
            setattr(row, name, value)
        row.message = data.message
    session.add(row)
    flags.acting(session, actor)
    session.flush()
    named = {t.indicator for side in (data.left, data.right) for t in parse_expression(side) if t.indicator}
    ids = {i for i in session.exec(select(Indicator.id).where(col(Indicator.code).in_(named))).all() if i is not None}
    _recheck(session, read_model, actor, Scope(rules=frozenset({data.code}), indicators=frozenset(ids)))
    return data


def delete_rule(*, session: Session, read_model: ReadModel, actor: Principal | None, code: str) -> None:
    """Remove an admin's rule; its flags close (the rule no longer holds anyone to it)."""
    session.delete(get_by_code(session, QualityRule, code, "quality rule"))
    flags.acting(session, actor)
    session.flush()
    _recheck(session, read_model, actor, Scope(rules=frozenset({code})))


def get_thresholds(*, session: Session, indicator: str) -> QualityThresholds:
    found = get_by_code(session, Indicator, indicator, "indicator")
    return thresholds(session).get(found.id or 0, QualityThresholds())


def set_thresholds(
    *, session: Session, read_model: ReadModel, actor: Principal | None, indicator: str, data: QualityThresholds
) -> QualityThresholds:
    """One indicator's thresholds (all of them: the defaults are said again where they stay); the built-in
    rules re-check that indicator's values with them."""
    found = get_by_code(session, Indicator, indicator, "indicator")
    if found.id is None:
        raise Conflict("The indicator is not stored yet")
    row = session.get(QualitySetting, found.id) or QualitySetting(indicator_id=found.id)
    for name, value in data.model_dump().items():
        setattr(row, name, value)
    session.add(row)
    flags.acting(session, actor)
    session.flush()
    _recheck(session, read_model, actor, Scope(rules=frozenset(BUILT_IN), indicators=frozenset({found.id})))
    return data


def _recheck(session: Session, read_model: ReadModel, actor: Principal | None, scope: Scope) -> None:
    flags.recheck(session=session, read_model=read_model, check=quality_check(session), actor=actor, scope=scope)


def all_rules(*, session: Session) -> list[RuleText]:
    """The built-in rules with their texts, then the admins' rules between indicators."""
    built_in = [
        RuleText(code=code, severity=severity, built_in=True, message=Translated(**TEXTS[code]))
        for code, severity in BUILT_IN.items()
    ]
    return built_in + [
        RuleText(
            code=r.code,
            severity=r.severity,
            built_in=False,
            message=r.message or Translated(**TEXTS["custom"]),
            left=r.left,
            operator=r.operator,
            right=r.right,
            active=r.active,
        )
        for r in list_rules(session=session)
    ]
