"""Data quality rules as SQL: what a value is checked against beyond being well formed.

``find`` leaves the table ``quality_hit``: one row per (rule, indicator, area, period, breakdown)
that breaks a rule, with the value observed, what was expected (a mean, median, total or the
previous value), the band it should lie in and a score. It runs in the read model's DuckDB over
the observations as they are, or as they would be after a batch (the table ``clean``), and then
reports only the batch's keys. Nothing here is evaluated by Python: an admin's rule between
indicators is parsed into a small grammar (``parse_expression``) and written as SQL.

All rules run as one statement over one pass of each series (``_data``: its count, sums and the
value before, by window functions); what they need of each indicator (thresholds, unit) is written
into the SQL as constants (``_per_indicator``). A re-check can be limited to a ``Scope``.

The built-in rules (all warnings: the value is stored and flagged):

- ``outlier_history``: the value against the other values of its own series (same indicator, area
  and breakdown): z = (x - mean) / sd of the others, the sd at least the sampling noise (a count's
  sqrt(mean), a rate's binomial sd over its denominator); flagged past the indicator's ``z_score``
  (default 3.0), with at least ``min_points`` others, and only when the value is also at least
  ``min_deviation`` (25 %) away from the mean: sampling noise alone passes z = 3 in one value of a
  hundred or so, a data error (a value ten times too large, a misplaced decimal) is far larger.
- ``outlier_peers``: a rate against the other areas of the same level in the same period:
  modified z = 0.6745 (x - median) / MAD (Iglewicz and Hoaglin); past ``modified_z_score`` (3.5),
  and ``min_deviation`` away from the median, where it was not past it in the area's previous
  period (an area that always differs is not a data error). Counts and amounts are left out (they
  grow with the area), and so are rates over fewer than 100.
- ``denominator_jump``: a denominator more than ``denominator_jump`` (2.0) times, or less than its
  inverse, the series' previous one.
- ``repeated_value``: a copied column: at least half of one organisation's values of an indicator
  for a period (four or more, each 10 or more, or over a denominator of 10 or more) are, with
  their numerators and denominators, exactly the previous period's; one value that happens to
  repeat is not flagged.
- ``breakdown_sum``: where every value of a dimension is reported, the counts (a count indicator)
  or the numerators and denominators (a rate) of its groups add up to the total's.

Errors (value out of range, a numerator over its denominator, a value that does not match its
parts) are refused by the import's own checks (``ingest/validate.py``) before these run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.db import insert_from_duckdb
from api.errors import ErrorItem, Invalid
from api.ingest.validate import sql_literal
from api.models import QualityFlag
from api.models.common import table_of, utcnow
from api.models.quality import FlagStatus, QualityThresholds

HIT_COLUMNS = (
    "rule",
    "severity",
    "indicator_id",
    "area_id",
    "period",
    "breakdown",
    "organisation_id",
    "observed",
    "expected",
    "low",
    "high",
    "score",
)
_FIGURES = ("observed", "expected", "low", "high", "score")
MAD_SCALE = 0.6745  # the modified z-score's constant: 1 / the 0.75 quantile of the standard normal, rounded
OPERATORS = {"<=": "<=", "<": "<", ">=": ">=", ">": ">", "=": "=", "!=": "<>"}
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<code>[A-Za-z0-9][A-Za-z0-9_.-]*)|(?P<op>[-+*()]))")


@dataclass(frozen=True)
class CustomRule:
    """An admin's rule: ``left operator right`` over indicator values, per area and period (totals)."""

    code: str
    left: str
    operator: str
    right: str
    severity: str


@dataclass(frozen=True)
class Scope:
    """What a re-check covers: these rules (None: every one) over these indicators' values (None: all).

    A rule between indicators needs the values of each indicator it names: the caller includes them.
    """

    rules: frozenset[str] | None = None
    indicators: frozenset[int] | None = None

    def covers(self, rule: str) -> bool:
        return self.rules is None or rule in self.rules

    def where(self, alias: str = "") -> str:
        """The SQL condition for a row (of ``alias``) that lies in the scope."""
        conditions = []
        if self.rules is not None:
            conditions.append(f"{alias}rule IN ({', '.join(map(sql_literal, sorted(self.rules))) or 'NULL'})")
        if self.indicators is not None:
            conditions.append(f"{alias}indicator_id IN ({', '.join(map(str, sorted(self.indicators))) or 'NULL'})")
        return " AND ".join(conditions) or "true"


EVERYTHING = Scope()


@dataclass
class Term:
    coefficient: float
    indicator: str | None  # None: a constant


def parse_expression(text: str, field: str = "expression") -> list[Term]:
    """``a + 2 * b - 3`` into terms; 422 at anything else (no parentheses, no other operators, no names)."""
    terms: list[Term] = []
    position, sign = 0, 1.0
    expect_term = True
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise _bad(field, f"cannot read '{text[position : position + 20]}'")
        position = match.end()
        if expect_term:
            if match["op"] == "-" and not terms and sign == 1.0:
                sign = -1.0
                continue
            if match["number"] is not None:
                number = float(match["number"])
                following = _TOKEN.match(text, position)
                if following and following["op"] == "*":
                    code = _TOKEN.match(text, following.end())
                    if not code or code["code"] is None or code["code"].replace(".", "").isdigit():
                        raise _bad(field, "a number times an indicator code, e.g. 0.5 * pupils-total")
                    terms.append(Term(sign * number, code["code"]))
                    position = code.end()
                else:
                    terms.append(Term(sign * number, None))
            elif match["code"] is not None:
                terms.append(Term(sign, match["code"]))
            else:
                raise _bad(field, f"expected an indicator code or a number, not '{match['op']}'")
            expect_term = False
        else:
            if match["op"] not in ("+", "-"):
                raise _bad(field, f"expected + or -, not '{match.group().strip()}'")
            sign = 1.0 if match["op"] == "+" else -1.0
            expect_term = True
    if expect_term:
        raise _bad(field, "the expression is empty or ends in an operator")
    return terms


def _bad(field: str, message: str) -> Invalid:
    return Invalid(
        f"The rule cannot be read: {message}",
        errors=[ErrorItem(code="invalid_expression", message=message, field=field)],
    )


_SCALE = {"percent": 100.0, "rate_per_1000": 1000.0}


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    return sql_literal(value) if isinstance(value, str) else repr(value)


def _by_indicator(values: dict[int, object]) -> str:
    """A value per indicator as SQL: one constant where they all share it, else a CASE on ``indicator_id``."""
    groups: dict[object, list[int]] = {}
    for indicator, value in values.items():
        groups.setdefault(value, []).append(indicator)
    if len(groups) <= 1:
        return _literal(next(iter(groups), None))
    *rest, (most, _ids) = sorted(groups.items(), key=lambda item: len(item[1]))
    cases = " ".join(f"WHEN indicator_id IN ({', '.join(map(str, ids))}) THEN {_literal(v)}" for v, ids in rest)
    return f"(CASE {cases} ELSE {_literal(most)} END)"


def _per_indicator(cur: duckdb.DuckDBPyConnection, settings: dict[int, QualityThresholds]) -> dict[str, str]:
    """What the rules need of each indicator, written into their SQL: its thresholds (``z_score`` ...), its
    ``unit`` and ``aggregation``, and a rate's ``scale`` (100 for a percentage; NULL for others)."""
    found = cur.execute("SELECT id, unit, aggregation FROM indicator").fetchall()
    default = QualityThresholds()
    values: dict[str, dict[int, object]] = {
        name: {i: getattr(settings.get(i, default), name) for i, _unit, _aggregation in found}
        for name in QualityThresholds.model_fields
    }
    values["unit"] = {i: unit for i, unit, _aggregation in found}
    values["aggregation"] = {i: aggregation for i, _unit, aggregation in found}
    values["scale"] = {i: _SCALE.get(unit) for i, unit, _aggregation in found}
    return {name: _by_indicator(per) for name, per in values.items()}


def _data(batch: bool, indicators: frozenset[int] | None = None) -> str:
    """The SELECT of ``q``: every observation with a value, as it would be after the batch, with what its
    series says of it.

    One pass over each series (same indicator, area and breakdown, in time: canonical periods of one type
    sort as text) gives what the history rules need: its count, sum and sum of squares (for the mean and sd
    of the other values, leave-one-out) and the value before.
    """
    fields = "indicator_id, area_id, period, breakdown, value, numerator, denominator, is_suppressed, organisation_id"
    rows = f"SELECT {fields} FROM observation"
    if indicators is not None:
        rows += f" WHERE {Scope(indicators=indicators).where()}"
    if batch:
        # Only what the batch's values are compared with: their series, the other areas and groups of their
        # indicator and period, and the other indicators of their area and period (the admins' rules).
        near = {
            "s": ("indicator_id", "area_id", "breakdown"),
            "p": ("indicator_id", "period"),
            "a": ("area_id", "period"),
        }
        joins = "".join(
            f" LEFT JOIN (SELECT DISTINCT {', '.join(keys)}, true AS hit FROM clean) {name} USING ({', '.join(keys)})"
            for name, keys in near.items()
        )
        # Each of those shares an indicator or an area with the batch: a filter the scan itself applies first.
        candidates = (
            "(SELECT * FROM observation WHERE indicator_id IN (SELECT indicator_id FROM clean)"
            " OR area_id IN (SELECT area_id FROM clean))"
        )
        stored = (
            f"SELECT {', '.join('o.' + f.strip() for f in fields.split(','))} FROM {candidates} o{joins} "
            "WHERE (s.hit OR p.hit OR a.hit) AND NOT EXISTS (SELECT 1 FROM clean c WHERE c.indicator_id = "
            "o.indicator_id AND c.area_id = o.area_id AND c.period = o.period AND c.breakdown = o.breakdown)"
        )
        rows = f"{stored} UNION ALL SELECT {fields} FROM clean"
    return f"""
        SELECT * EXCLUDE (is_suppressed),
            count(value) OVER whole AS n, sum(value) OVER whole AS total, sum(value * value) OVER whole AS squares,
            lag(value) OVER s AS previous, lag(numerator) OVER s AS previous_numerator,
            lag(denominator) OVER s AS previous_denominator, lag(period) OVER s AS previous_period
        FROM ({rows})
        WHERE NOT is_suppressed AND value IS NOT NULL AND isfinite(value)
        WINDOW whole AS (PARTITION BY indicator_id, area_id, breakdown),
            s AS (PARTITION BY indicator_id, area_id, breakdown ORDER BY period)
    """


# Each built-in rule: a SELECT over ``q`` (``_data``) giving HIT_COLUMNS, with what it needs of each indicator
# ({z_score}, {scale}, ...: ``_per_indicator``) filled in when it runs.
_PEER_GROUP = "indicator_id, period, breakdown, level"
_BUILT_IN = {
    "outlier_history": """
        SELECT 'outlier_history', 'warning', indicator_id, area_id, period, breakdown, organisation_id,
            value, mean, mean - z_limit * spread, mean + z_limit * spread, (value - mean) / spread
        FROM (
            SELECT *,
                -- the spread is at least the sampling noise: a count's Poisson sd, a rate's binomial sd
                CASE WHEN {unit} = 'count' THEN greatest(sd, sqrt(abs(mean)))
                     WHEN {scale} IS NOT NULL AND denominator > 0
                     THEN greatest(sd, {scale} * sqrt(greatest(mean / {scale} * (1 - mean / {scale}), 0) / denominator))
                     ELSE sd END AS spread,
                {z_score} AS z_limit
            FROM (
                -- the other values' mean and sample sd, from the sums without the value itself
                SELECT *, (total - value) / (n - 1) AS mean, sqrt(greatest(
                    (squares - value * value - (total - value) * (total - value) / (n - 1)) / (n - 2), 0)) AS sd
                FROM q WHERE n >= 3
            )
        )
        WHERE n - 1 >= {min_points} AND spread > 0 AND abs(value - mean) > z_limit * spread
            AND abs(value - mean) > {min_deviation} * abs(mean)
    """,
    "outlier_peers": f"""
        WITH rates AS NOT MATERIALIZED (
            -- rates only (a count or an amount grows with the area), and none of a small group
            SELECT q.*, a.level FROM q JOIN area a ON a.id = q.area_id
            WHERE {{scale}} IS NOT NULL AND coalesce(denominator, 1e9) >= 100
        ),
        centre AS (SELECT {_PEER_GROUP}, median(value) AS median, count(*) AS size FROM rates GROUP BY ALL),
        spread AS (
            SELECT {_PEER_GROUP}, any_value(c.median) AS median, any_value(c.size) - 1 AS others,
                median(abs(r.value - c.median)) AS mad, any_value({{min_points}}) AS min_points
            FROM rates r JOIN centre c USING ({_PEER_GROUP}) GROUP BY ALL
        ),
        far AS (
            SELECT *, {{modified_z_score}} AS z_limit
            FROM (
                SELECT r.*, g.median, g.mad, g.min_points,
                    {MAD_SCALE} * (r.value - g.median) / nullif(g.mad, 0) AS score
                FROM rates r JOIN spread g USING ({_PEER_GROUP}) WHERE g.others >= g.min_points
            )
            WHERE abs(score) > z_limit AND abs(value - median) > {{min_deviation}} * abs(median)
        )
        SELECT 'outlier_peers', 'warning', f.indicator_id, f.area_id, f.period, f.breakdown, f.organisation_id,
            f.value, f.median, f.median - f.z_limit * f.mad / {MAD_SCALE}, f.median + f.z_limit * f.mad / {MAD_SCALE},
            f.score
        FROM far f
        -- where the area's value before stood among its peers of that period
        LEFT JOIN spread b ON b.indicator_id = f.indicator_id AND b.period = f.previous_period
            AND b.breakdown = f.breakdown AND b.level = f.level
        -- an area that left the others this period (one that always differs is not a data error)
        WHERE b.mad IS NULL OR b.mad = 0 OR b.others < b.min_points OR f.previous_denominator < 100
            OR abs({MAD_SCALE} * (f.previous - b.median) / b.mad) <= f.z_limit
    """,
    "denominator_jump": """
        SELECT 'denominator_jump', 'warning', indicator_id, area_id, period, breakdown, organisation_id,
            denominator, previous_denominator, previous_denominator / jump, previous_denominator * jump,
            denominator / previous_denominator
        FROM (SELECT *, {denominator_jump} AS jump FROM q WHERE denominator > 0 AND previous_denominator > 0)
        WHERE denominator > previous_denominator * jump OR denominator < previous_denominator / jump
    """,
    "repeated_value": """
        WITH repeats AS (
            -- small numbers repeat by chance: only values (or rates' denominators) of 10 and more
            SELECT *, value = previous AND numerator IS NOT DISTINCT FROM previous_numerator
                AND denominator IS NOT DISTINCT FROM previous_denominator AS repeated
            FROM q WHERE coalesce(denominator, abs(value)) >= 10
        ),
        copied AS (
            -- a copied column: most of one organisation's values of an indicator for a period repeat the last
            SELECT indicator_id, organisation_id, period FROM repeats GROUP BY ALL
            HAVING count(*) >= 4 AND 2 * count(*) FILTER (WHERE repeated) >= count(*)
        )
        SELECT 'repeated_value', 'warning', indicator_id, area_id, period, breakdown, organisation_id,
            value, previous, NULL, NULL, NULL
        FROM repeats JOIN copied USING (indicator_id, organisation_id, period) WHERE repeated
    """,
    "breakdown_sum": """
        WITH dimension_value_key AS (
            -- each single-dimension breakdown key (``ses:low``) with its dimension, and how many groups it has
            SELECT d.code || ':' || v.code AS breakdown, d.code AS dimension,
                count(*) OVER (PARTITION BY d.id) AS size
            FROM dimension d JOIN dimension_value v ON v.dimension_id = d.id
        ),
        part AS (SELECT q.*, k.dimension FROM q JOIN dimension_value_key k USING (breakdown)),
        dimension_size AS (SELECT DISTINCT dimension, size FROM dimension_value_key),
        summed AS (
            SELECT indicator_id, area_id, period, dimension, count(*) AS parts, sum(value) AS value,
                sum(numerator) AS numerator, sum(denominator) AS denominator,
                count(numerator) AS numerators, count(denominator) AS denominators
            FROM part GROUP BY ALL
        ),
        compared AS (
            SELECT indicator_id, t.area_id, t.period, t.breakdown, t.organisation_id, {sum_tolerance} AS tolerance,
                {aggregation} AS aggregation,
                CASE WHEN {aggregation} = 'sum' THEN t.value ELSE t.numerator END AS total_numerator,
                CASE WHEN {aggregation} = 'sum' THEN s.value ELSE s.numerator END AS sum_numerator,
                t.denominator AS total_denominator, s.denominator AS sum_denominator,
                s.numerators, s.denominators, s.parts
            FROM q t JOIN summed s USING (indicator_id, area_id, period)
            JOIN dimension_size z ON z.dimension = s.dimension AND z.size = s.parts
            WHERE t.breakdown = '' AND {aggregation} IN ('sum', 'ratio')
        )
        SELECT 'breakdown_sum', 'warning', indicator_id, area_id, period, breakdown, organisation_id,
            sum_numerator, total_numerator, total_numerator - tolerance, total_numerator + tolerance,
            CASE WHEN abs(sum_numerator - total_numerator) > tolerance THEN sum_numerator - total_numerator
                 ELSE sum_denominator - total_denominator END
        FROM compared
        WHERE (aggregation = 'sum' AND abs(sum_numerator - total_numerator) > tolerance)
           OR (aggregation = 'ratio' AND numerators = parts AND denominators = parts
               AND total_numerator IS NOT NULL AND total_denominator IS NOT NULL
               AND (abs(sum_numerator - total_numerator) > tolerance
                    OR abs(sum_denominator - total_denominator) > tolerance))
    """,
}


def _custom(rule: CustomRule, index: dict[str, int]) -> str | None:
    """An admin's rule as a SELECT over the totals of ``q``; None when it names no indicator, or one there is none
    of."""
    sides = {"left": parse_expression(rule.left, "left"), "right": parse_expression(rule.right, "right")}
    named = {t.indicator for terms in sides.values() for t in terms if t.indicator}
    if not named or any(code not in index for code in named):
        return None
    columns = {code: f"v{n}" for n, code in enumerate(sorted(named))}

    def sql(terms: list[Term]) -> str:
        return " + ".join(
            f"({t.coefficient!r} * {columns[t.indicator]})" if t.indicator else repr(t.coefficient) for t in terms
        )

    pivot = ", ".join(
        f"max(value) FILTER (WHERE indicator_id = {index[code]}) AS {column}" for code, column in columns.items()
    )
    present = " AND ".join(f"{c} IS NOT NULL" for c in columns.values()) or "true"
    first = index[sorted(named)[0]] if named else 0
    left, right = sql(sides["left"]), sql(sides["right"])
    return f"""
        SELECT {sql_literal(rule.code)}, {sql_literal(rule.severity)}, {first}, area_id, period, '', organisation_id,
            {left}, {right}, NULL, NULL, ({left}) - ({right})
        FROM (
            SELECT area_id, period, {pivot},
                max(organisation_id) FILTER (WHERE indicator_id = {first}) AS organisation_id
            FROM q WHERE breakdown = '' AND indicator_id IN ({", ".join(str(index[c]) for c in named)})
            GROUP BY area_id, period
        )
        WHERE {present} AND NOT (({left}) {OPERATORS[rule.operator]} ({right}) OR abs(({left}) - ({right})) <= 1e-9
            AND {sql_literal(rule.operator)} IN ('<=', '>=', '='))
    """


def find(
    cur: duckdb.DuckDBPyConnection,
    *,
    batch: bool,
    settings: dict[int, QualityThresholds] | None = None,
    custom: list[CustomRule] = (),  # type: ignore[assignment]
    scope: Scope = EVERYTHING,
) -> int:
    """The table ``quality_hit``; with ``batch``, only for the keys of ``clean``; else for the ``scope``.

    Returns how many hits. The rules run in one statement over one pass of the series (``q``).
    """
    per_indicator = _per_indicator(cur, settings or {})
    index = dict(cur.execute("SELECT code, id FROM indicator").fetchall())
    selects = [sql.format(**per_indicator) for code, sql in _BUILT_IN.items() if scope.covers(code)]
    selects += [sql for rule in custom if scope.covers(rule.code) and (sql := _custom(rule, index)) is not None]
    # a rule that runs nowhere (an admin's rule just deleted): no hits, so its flags close
    union = " UNION ALL ".join(f"({s})" for s in selects) or f"SELECT {', '.join(['NULL'] * len(HIT_COLUMNS))} LIMIT 0"
    where = ""
    if batch:  # the batch's keys; a total when one of its parts is in it; an admin's rule, its area and period
        built_in = ", ".join(sql_literal(code) for code in _BUILT_IN)
        where = (
            " WHERE EXISTS (SELECT 1 FROM clean c WHERE c.area_id = h.area_id AND c.period = h.period AND"
            f" (h.rule NOT IN ({built_in}) OR c.indicator_id = h.indicator_id"
            " AND (c.breakdown = h.breakdown OR h.breakdown = '')))"
        )
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE quality_hit AS WITH q AS MATERIALIZED ({_data(batch, scope.indicators)}) "
        f"SELECT * FROM ({union}) h({', '.join(HIT_COLUMNS)}){where}"
    )
    count: int = cur.execute("SELECT count(*) FROM quality_hit").fetchall()[0][0]
    return count


# What each rule says, in the three languages; {observed}, {expected}, {low}, {high}, {score} filled in.
TEXTS: dict[str, dict[str, str]] = {
    "outlier_history": {
        "en": "{observed} lies far from this series' other values (mean {expected}; z = {score})",
        "nl": "{observed} wijkt sterk af van de andere waarden van deze reeks (gemiddeld {expected}; z = {score})",
        "de": "{observed} weicht stark von den übrigen Werten dieser Reihe ab (Mittel {expected}; z = {score})",
    },
    "outlier_peers": {
        "en": "{observed} lies far from the other areas in this period (median {expected}; modified z = {score})",
        "nl": "{observed} wijkt sterk af van de andere gebieden in deze periode (mediaan {expected}; "
        "gemodificeerde z = {score})",
        "de": "{observed} weicht stark von den anderen Gebieten in diesem Zeitraum ab (Median {expected}; "
        "modifizierter z-Wert = {score})",
    },
    "denominator_jump": {
        "en": "the denominator {observed} is {score} times the previous period's ({expected})",
        "nl": "de noemer {observed} is {score} keer die van de vorige periode ({expected})",
        "de": "der Nenner {observed} ist das {score}-Fache des vorigen Zeitraums ({expected})",
    },
    "repeated_value": {
        "en": "{observed} is exactly the previous period's value: a copied column?",
        "nl": "{observed} is precies de waarde van de vorige periode: een gekopieerde kolom?",
        "de": "{observed} ist genau der Wert des vorigen Zeitraums: eine kopierte Spalte?",
    },
    "breakdown_sum": {
        "en": "the groups of a breakdown add up to {observed}, the total is {expected}",
        "nl": "de groepen van een uitsplitsing tellen op tot {observed}, het totaal is {expected}",
        "de": "die Gruppen einer Aufschlüsselung ergeben zusammen {observed}, die Summe ist {expected}",
    },
    "custom": {
        "en": "{left} {operator} {right} does not hold: {observed} against {expected}",
        "nl": "{left} {operator} {right} klopt niet: {observed} tegenover {expected}",
        "de": "{left} {operator} {right} gilt nicht: {observed} gegenüber {expected}",
    },
}


def _number(value: float | None, language: str) -> str:
    """A number for a message: four significant digits, or whole and grouped from 10,000 on; in Dutch and
    German with a decimal comma (62,5) and a point between thousands (12.345)."""
    if value is None:
        return "–"
    text = f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return text.translate(str.maketrans(",.", ".,")) if language in ("nl", "de") else text


def describe(
    rule: str,
    values: dict[str, float | None],
    *,
    language: str = "en",
    custom: CustomRule | None = None,
    message: dict[str, str] | None = None,
) -> str:
    """A flag in words, in the language asked for (English where a text has none)."""
    filled = {name: _number(values.get(name), language) for name in ("observed", "expected", "low", "high", "score")}
    if custom is not None:
        text = (message or {}).get(language) or (message or {}).get("en") or TEXTS["custom"][language]
        return text.format(left=custom.left, operator=custom.operator, right=custom.right, **filled)
    return TEXTS.get(rule, {}).get(language, rule).format(**filled)


@dataclass
class QualityCheck:
    """What a write is checked against beyond the import's own rules: the thresholds and the admins' rules."""

    settings: dict[int, QualityThresholds]
    custom: list[CustomRule]
    messages: dict[str, dict[str, str]]  # a custom rule's own message per language

    def text(self, rule: str, values: dict[str, float | None], language: str = "en") -> str:
        custom = next((c for c in self.custom if c.code == rule), None)
        return describe(rule, values, language=language, custom=custom, message=self.messages.get(rule))


# The staged column a rule's flag is shown at.
COLUMN = {"denominator_jump": "denominator"}


def located_hits(cur: duckdb.DuckDBPyConnection, severity: str, limit: int) -> list[dict[str, Any]]:
    """The hits of one severity with the batch row they belong to (a total's: its first part's), codes named."""
    names = ", ".join(f"h.{c}" for c in HIT_COLUMNS)
    rows = cur.execute(
        f"""SELECT {names}, coalesce(c._row, (SELECT min(_row) FROM clean p WHERE p.indicator_id = h.indicator_id
                AND p.area_id = h.area_id AND p.period = h.period)) AS _row, i.code AS indicator, a.code AS area
            FROM quality_hit h LEFT JOIN clean c USING (indicator_id, area_id, period, breakdown)
            JOIN indicator i ON i.id = h.indicator_id JOIN area a ON a.id = h.area_id
            WHERE h.severity = ? ORDER BY _row, h.rule LIMIT ?""",
        [severity, limit],
    ).fetchall()
    columns = [*HIT_COLUMNS, "_row", "indicator", "area"]
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _as_stored(session: Session, column_type: Any, moment: datetime) -> str:
    """A timestamp as the database driver is handed it for ``column_type`` (SQLite: text), as text."""
    dialect = session.get_bind().dialect
    processor = column_type.bind_processor(dialect)
    value = processor(moment) if processor else moment
    return value if isinstance(value, str) else value.isoformat()


def sync_flags(
    session: Session, cur: duckdb.DuckDBPyConnection, *, user_id: int | None, batch: bool, scope: Scope = EVERYTHING
) -> tuple[int, int, int]:
    """The stored flags brought in line with ``quality_hit``: (opened, closed, standing).

    With ``batch`` (after a write) only the flags of the keys it changed (``classified``): closed, unless
    the same rule still finds the same value; without (a re-check) every flag in the ``scope``. Hits not
    flagged yet are new; a confirmed flag whose value still breaks the rule stays confirmed. Standing: the
    flags of the scope that still hold.
    """
    table = table_of(QualityFlag)
    existing = session.execute(
        select(
            table.c.id,
            table.c.rule,
            table.c.indicator_id,
            table.c.area_id,
            table.c.period,
            table.c.breakdown,
            table.c.observed,
        ).where(table.c.status != FlagStatus.resolved)
    ).all()
    names = ("id", "rule", "indicator_id", "area_id", "period", "breakdown", "observed")
    types = (pa.int64(), pa.string(), pa.int64(), pa.int64(), pa.string(), pa.string(), pa.float64())
    cur.register(
        "flag_in",
        pa.table(
            {n: pa.array([r[k] for r in existing], type=t) for k, (n, t) in enumerate(zip(names, types, strict=True))}
        ),
    )
    built_in = ", ".join(sql_literal(code) for code in _BUILT_IN)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE flag_now AS SELECT *, rule IN ({built_in}) AS builtin FROM flag_in")
    cur.unregister("flag_in")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE hit_now AS SELECT *, rule IN ({built_in}) AS builtin FROM quality_hit")
    touched = scope.where("f.")
    if batch:  # a key the batch changed; a total when one of its parts changed; an admin's rule, its area and period
        touched = """EXISTS (SELECT 1 FROM classified c WHERE c.action <> 'same' AND c.area_id = f.area_id
            AND c.period = f.period AND (NOT f.builtin OR c.indicator_id = f.indicator_id
            AND (c.breakdown = f.breakdown OR f.breakdown = '')))"""
    same = " AND ".join(f"a.{c} = f.{c}" for c in ("rule", "indicator_id", "area_id", "period", "breakdown"))
    same += " AND a.observed IS NOT DISTINCT FROM f.observed"
    closed = [
        i
        for (i,) in cur.execute(
            f"SELECT id FROM flag_now f WHERE {touched} AND NOT EXISTS (SELECT 1 FROM hit_now a WHERE {same})"
        ).fetchall()
    ]
    new = f"FROM hit_now f WHERE {touched} AND NOT EXISTS (SELECT 1 FROM flag_now a WHERE {same})"
    opened = cur.execute(f"SELECT count(*) {new}").fetchall()[0][0]
    now = utcnow()
    if closed:
        session.execute(
            update(table)
            .where(table.c.id.in_(closed))
            .values(status=FlagStatus.resolved, changed_at=now, changed_by_id=user_id)
        )
    if opened:  # in bulk: a first import of a long, rough history can open thousands
        stamp = sql_literal(_as_stored(session, table.c.found_at.type, now))
        # Figures as doubles: a rule's constant comes out of DuckDB as a DECIMAL, which drivers may not take.
        columns = ", ".join(f"{c}::DOUBLE" if c in _FIGURES else c for c in HIT_COLUMNS)
        insert_from_duckdb(
            session.connection(),
            table,
            (*HIT_COLUMNS, "status", "found_at", "changed_at"),
            cur,
            f"SELECT {columns}, {sql_literal(FlagStatus.open)}, {stamp}, {stamp} {new}",
        )
    standing = cur.execute(f"SELECT count(*) FROM flag_now f WHERE {scope.where('f.')}").fetchall()[0][0]
    return opened, len(closed), standing - len(closed)
