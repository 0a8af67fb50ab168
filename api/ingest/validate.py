"""Validation of a staged batch in DuckDB: every error at once, by row and column.

The staging table has one VARCHAR column per CSV column (``indicator``, ``area``,
``period``, ``value``, ``numerator``, ``denominator``, ``status``, ``note`` and one
per breakdown dimension) plus ``_row``, the row number the caller will recognise.
The checks join it against the read model's copy of the metadata; the result
is the table ``clean`` with ids, canonical periods and breakdown keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb

from api.models.common import UNIT_RANGE, UNIT_SCALE
from api.models.observation import ESTIMATED, MAX_NOTE, PROVISIONAL, SUPPRESSION_MARKERS
from indicators import periods

# A period closed to writes, as the lock rule checks it: (organisation, or None for every one; period;
# priority, the lowest explaining a row when several apply; the message). Worked out by the caller.
LockRule = tuple[int | None, str, int, str]

# Where an error in (row, column) is, in the terms of the channel it came from.
Locate = Callable[[int, str], dict[str, object]]


@dataclass
class Problem:
    row: int
    column: str
    code: str
    message: str


@dataclass
class Checked:
    rows: int  # checked, without the skipped ones
    skipped: int  # rows without any value, left out (files only)
    problems: list[Problem]  # capped
    problem_count: int
    forbidden: bool  # some rows lie outside the caller's assignments
    locked: bool = False  # some rows lie in a locked period (and the locks were enforced)
    lock_messages: list[str] = field(default_factory=list)  # why, one per lock that applies
    overridden: list[tuple[int, str]] = field(default_factory=list)  # (organisation, period) written despite a lock


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    """A text as an SQL string literal (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def _rules(cur: duckdb.DuckDBPyConnection) -> None:
    rows = [(unit.value, UNIT_SCALE.get(unit), low, high) for unit, (low, high) in UNIT_RANGE.items()]
    cur.execute("CREATE OR REPLACE TEMP TABLE unit_rule (unit VARCHAR, scale DOUBLE, low DOUBLE, high DOUBLE)")
    cur.executemany("INSERT INTO unit_rule VALUES (?, ?, ?, ?)", rows)


def _periods(cur: duckdb.DuckDBPyConnection, staged: str) -> None:
    # Few distinct periods per batch: parse those in Python with the one period parser.
    pairs = cur.execute(
        f"SELECT DISTINCT trim(s.period), i.period_type FROM (SELECT DISTINCT period, indicator FROM {staged}) s "
        "JOIN indicator i ON lower(i.code) = lower(trim(s.indicator)) WHERE nullif(trim(s.period), '') IS NOT NULL"
    ).fetchall()
    checked: list[tuple[str, str, str | None, str | None]] = []
    for raw, kind in pairs:
        try:
            checked.append((raw, kind, periods.normalize(raw, kind), None))
        except periods.PeriodError as exc:
            checked.append((raw, kind, None, str(exc)))
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE period_check (raw VARCHAR, period_type VARCHAR, period VARCHAR, problem VARCHAR)"
    )
    if checked:
        cur.executemany("INSERT INTO period_check VALUES (?, ?, ?, ?)", checked)


def _statuses(cur: duckdb.DuckDBPyConnection, staged: str) -> None:
    """The table ``status_check``: each distinct status text read as words (few per batch, like periods)."""
    provisional = ", ".join(sql_literal(t) for t in PROVISIONAL)
    estimated = ", ".join(sql_literal(t) for t in ESTIMATED)
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE status_check AS
        WITH words AS (
            SELECT raw, list_filter(string_split_regex(lower(raw), '[\\s|+,;/]+'), lambda t: t <> '') AS tokens
            FROM (SELECT DISTINCT nullif(trim(status), '') AS raw FROM {staged}) WHERE raw IS NOT NULL
        )
        SELECT raw, list_has_any(tokens, [{provisional}]) AS is_provisional,
            list_has_any(tokens, [{estimated}]) AS is_estimated,
            nullif(array_to_string(list_filter(tokens, lambda t: t NOT IN ({provisional}, {estimated})), ' '), '')
                AS bad_status
        FROM words
    """)


def number_text(column: str, decimal_comma: bool) -> str:
    """SQL turning a raw text column into a cleaned numeric text (decimal point, no spaces)."""
    text = f"replace(replace({column}, ' ', ''), chr(160), '')"
    if decimal_comma:
        text = f"CASE WHEN contains({text}, ',') THEN replace(replace({text}, '.', ''), ',', '.') ELSE {text} END"
    return text


def suppression_marker(column: str) -> str:
    """SQL: whether a text column holds a suppression marker (x . - * or <n)."""
    markers = ", ".join(sql_literal(m) for m in SUPPRESSION_MARKERS)
    less_than = f"(left({column}, 1) = '<' AND try_cast(trim(substr({column}, 2)) AS BIGINT) IS NOT NULL)"
    return f"coalesce(lower({column}) IN ({markers}) OR {less_than}, false)"


def check(
    cur: duckdb.DuckDBPyConnection,
    *,
    staged: str,
    dimensions: Sequence[str],
    organisation_id: int | None,
    decimal_comma: bool,
    max_problems: int,
    skip_blank: bool = False,
    locks: Sequence[LockRule] = (),
    enforce_locks: bool = True,
) -> Checked:
    """Validate the staged rows; leave the table ``clean`` for the writer.

    With ``organisation_id`` every row must lie within that organisation's assignments;
    without (backbone staff loading a file for everyone), each row goes to the
    organisation assigned to its indicator and area, and must have one.
    ``locks`` are the (organisation or None for all, period, priority, message) pairs closed to
    writes; their rows are errors unless ``enforce_locks`` is off (an admin's explicit override).
    """
    _rules(cur)
    _periods(cur, staged)
    _statuses(cur, staged)
    # A template row left empty (no value, numerator or denominator) is not reported yet: skip it.
    blank = " AND ".join(f"nullif(trim({c}), '') IS NULL" for c in ("value", "numerator", "denominator"))
    blank_filter = f"WHERE NOT ({blank})" if skip_blank else ""
    skipped = cur.execute(f"SELECT count(*) FROM {staged} WHERE {blank}").fetchall()[0][0] if skip_blank else 0
    known = dict(cur.execute("SELECT code, id FROM dimension").fetchall())
    dims = sorted(d for d in dimensions if d in known)

    dim_select = "".join(f", nullif(lower(trim({_q(d)})), '') AS {_q('dim_' + d)}" for d in dims)
    dim_join = "".join(
        f" LEFT JOIN dimension_value {_q('dv_' + d)} ON {_q('dv_' + d)}.dimension_id = {known[d]}"
        f" AND {_q('dv_' + d)}.code = s.{_q('dim_' + d)}"
        f" LEFT JOIN indicator_dimension {_q('id_' + d)} ON {_q('id_' + d)}.indicator_id = i.id"
        f" AND {_q('id_' + d)}.dimension_id = {known[d]}"
        for d in dims
    )
    dim_cols = "".join(
        f", {_q('dv_' + d)}.id IS NOT NULL AS {_q('ok_' + d)}"
        f", {_q('id_' + d)}.indicator_id IS NOT NULL AS {_q('allowed_' + d)}"
        for d in dims
    )
    breakdown = "concat_ws(',', " + ", ".join(f"'{d}:' || s.{_q('dim_' + d)}" for d in dims) + ")" if dims else "''"
    # Every row as the rules read it, a view: one pass over it writes the narrow ``clean``, and only a
    # batch with a problem keeps it whole as the table ``checked``, for the rules' messages.
    cur.execute(f"""
        CREATE OR REPLACE TEMP VIEW checking AS
        WITH r AS (
            SELECT _row,
                nullif(trim(indicator), '') AS indicator_raw,
                nullif(trim(area), '') AS area_raw,
                nullif(trim(period), '') AS period_raw,
                nullif(trim(value), '') AS value_raw,
                nullif(trim(numerator), '') AS numerator_raw,
                nullif(trim(denominator), '') AS denominator_raw,
                nullif(trim(status), '') AS status_raw,
                -- the leading ' an export puts before = + - @ (against formula injection) is not part of the note
                nullif(trim(CASE WHEN starts_with(note, '''') THEN regexp_replace(note, '^''([=+@\t\r-])', '\\1')
                                 ELSE note END), '') AS note
                {dim_select}
            FROM {staged} {blank_filter}
        ),
        n AS (
            SELECT *, {number_text("value_raw", decimal_comma)} AS value_text,
                try_cast({number_text("numerator_raw", decimal_comma)} AS DOUBLE) AS numerator,
                try_cast({number_text("denominator_raw", decimal_comma)} AS DOUBLE) AS denominator
            FROM r
        ),
        s AS (
            -- a suppression marker is never a number: only a text that is not one is looked at again
            SELECT *, try_cast(value_text AS DOUBLE) AS value_num,
                CASE WHEN value_num IS NULL THEN {suppression_marker("value_raw")} ELSE false END AS is_suppressed,
                CASE WHEN numerator IS NULL THEN {suppression_marker("numerator_raw")} ELSE false END
                    AS numerator_marker,
                CASE WHEN denominator IS NULL THEN {suppression_marker("denominator_raw")} ELSE false END
                    AS denominator_marker
            FROM n
        ),
        joined AS (
            SELECT s.*, i.id AS indicator_id, i.code AS indicator_code, i.unit, i.aggregation,
                i.derivation, source.code AS derived_from,
                coalesce(i.min_value, u.low) AS low, coalesce(i.max_value, u.high) AS high, u.scale,
                a.id AS area_id, pc.period, pc.problem AS period_problem, asg.organisation_id AS assigned_to,
                {breakdown} AS breakdown,
                CASE WHEN instr(s.value_text, '.') > 0 THEN length(s.value_text) - instr(s.value_text, '.') ELSE 0 END
                     AS value_decimals,
                coalesce(st.is_provisional, false) AS is_provisional, coalesce(st.is_estimated, false) AS is_estimated,
                st.bad_status
                {dim_cols}
            FROM s
            LEFT JOIN indicator i ON lower(i.code) = lower(s.indicator_raw)
            LEFT JOIN indicator source ON source.id = i.derived_from_id
            LEFT JOIN unit_rule u ON u.unit = i.unit
            LEFT JOIN area a ON upper(a.code) = upper(s.area_raw)
            LEFT JOIN period_check pc ON pc.raw = s.period_raw AND pc.period_type = i.period_type
            LEFT JOIN assignment asg ON asg.indicator_id = i.id AND asg.area_id = a.id
            LEFT JOIN status_check st ON st.raw = s.status_raw
            {dim_join}
        )
        SELECT *,
            CASE WHEN is_suppressed THEN NULL
                 WHEN value_num IS NOT NULL THEN value_num
                 WHEN aggregation = 'ratio' AND numerator IS NOT NULL AND denominator > 0
                 THEN scale * numerator / denominator END AS value
        FROM joined
    """)
    reporter = "assigned_to" if organisation_id is None else str(int(organisation_id))
    rules = _rules_for(dims, organisation_id)
    if enforce_locks:
        rules.insert(_BEFORE_DIMENSIONS, LOCK_RULE)
    any_problem = " OR ".join(f"({rule.when})" for rule in rules if rule.source == "checked")
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE clean AS
        SELECT {reporter} AS organisation_id, indicator_id, area_id, period, breakdown, value, numerator,
               denominator, is_provisional, is_estimated, is_suppressed, note, _row,
               coalesce({any_problem}, false) AS has_problem
        FROM checking ORDER BY _row
    """)
    cur.execute("""
        CREATE OR REPLACE TEMP TABLE duplicate AS
        SELECT indicator_id, area_id, period, breakdown, min(_row) AS first_row FROM clean
        WHERE indicator_id IS NOT NULL AND area_id IS NOT NULL AND period IS NOT NULL
        GROUP BY ALL HAVING count(*) > 1
    """)
    locked_rows = _locked_rows(cur, locks)
    count, unassigned, locked, listed = 0, False, False, []
    ((rows, flagged),) = cur.execute("SELECT count(*), count(*) FILTER (has_problem) FROM clean").fetchall()
    if flagged or cur.execute("SELECT count(*) FROM duplicate").fetchall()[0][0] or (enforce_locks and locked_rows):
        cur.execute("CREATE OR REPLACE TEMP TABLE checked AS SELECT * FROM checking")
        cur.execute(f"CREATE OR REPLACE TEMP TABLE problem AS {_problem_queries(rules)}")
        ((count, unassigned, locked),) = cur.execute(
            "SELECT count(*), coalesce(bool_or(code = 'not_assigned'), false), "
            "coalesce(bool_or(code = 'period_locked'), false) FROM problem"
        ).fetchall()
        listed = cur.execute(
            "SELECT _row, col, code, message FROM problem ORDER BY _row, ord, code LIMIT ?", [max_problems]
        ).fetchall()
    return Checked(
        rows=rows,
        skipped=skipped,
        problems=[Problem(r, c, code, m) for r, c, code, m in listed],
        problem_count=count,
        forbidden=bool(unassigned) and organisation_id is not None,
        locked=bool(locked),
        lock_messages=[m for (m,) in cur.execute("SELECT DISTINCT lock_message FROM locked_row ORDER BY 1").fetchall()]
        if locked
        else [],
        overridden=[]
        if enforce_locks
        else [
            (o, p)
            for o, p in cur.execute("SELECT DISTINCT locked_org, locked_period FROM locked_row ORDER BY ALL").fetchall()
        ],
    )


def _locked_rows(cur: duckdb.DuckDBPyConnection, locks: Sequence[LockRule]) -> int:
    """The table ``locked_row``: each clean row in a closed period, with the lock that explains it."""
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE lock_rule (organisation_id BIGINT, period VARCHAR, priority INT, message VARCHAR)"
    )
    if locks:
        cur.executemany("INSERT INTO lock_rule VALUES (?, ?, ?, ?)", [tuple(lock) for lock in locks])
    cur.execute("""
        CREATE OR REPLACE TEMP TABLE locked_row AS
        SELECT c._row, c.organisation_id AS locked_org, c.period AS locked_period,
               arg_min(l.message, l.priority) AS lock_message
        FROM clean c JOIN lock_rule l ON l.period = c.period
             AND (l.organisation_id IS NULL OR l.organisation_id = c.organisation_id)
        WHERE c.organisation_id IS NOT NULL
        GROUP BY ALL
    """)
    count: int = cur.execute("SELECT count(*) FROM locked_row").fetchall()[0][0]
    return count


class Rule(NamedTuple):
    column: str  # where the problem is shown
    code: str  # stable error code
    when: str  # SQL condition over the view ``checking`` (and the table ``checked``, its rows kept)
    message: str  # SQL expression of the message
    source: str = "checked"


# Errors sort by row, then in this order: the order a reporter reads a row in.
# fmt: off
RULES = [
    Rule("indicator", "duplicate_key", "_row <> first_row",
         "'the same indicator, area, period and breakdown is also in row ' || first_row",
         "checked JOIN duplicate USING (indicator_id, area_id, period, breakdown)"),
    Rule("indicator", "required", "indicator_raw IS NULL", "'indicator is empty'"),
    Rule("indicator", "unknown_indicator", "indicator_raw IS NOT NULL AND indicator_id IS NULL",
         "'unknown indicator ''' || indicator_raw || ''''"),
    Rule("area", "required", "area_raw IS NULL", "'area is empty'"),
    Rule("area", "unknown_area", "area_raw IS NOT NULL AND area_id IS NULL",
         "'unknown area ''' || area_raw || ''''"),
    Rule("indicator", "derived_indicator", "derivation IS NOT NULL",
         "'''' || indicator_code || ''' is computed from ''' || derived_from || ''': report that instead'"),
    Rule("period", "required", "period_raw IS NULL", "'period is empty'"),
    Rule("period", "invalid_period", "period_problem IS NOT NULL", "period_problem"),
    # (the breakdown dimensions' rules come here, see _problem_queries)
    Rule("value", "not_a_number", "value_raw IS NOT NULL AND NOT is_suppressed AND value_num IS NULL",
         "'''' || value_raw || ''' is not a number (or a suppression marker such as x or <5)'"),
    Rule("value", "not_a_number", "value_num IS NOT NULL AND NOT isfinite(value_num)",
         "'''' || value_raw || ''' is not a finite number'"),
    Rule("value", "value_missing", "value_raw IS NULL AND numerator_raw IS NULL AND denominator_raw IS NULL",
         "'no value: give a number, or a suppression marker such as x or <5'"),
    Rule("value", "value_out_of_range",
         "isfinite(value) AND ((low IS NOT NULL AND value < low) OR (high IS NOT NULL AND value > high))",
         "'value ' || value || ' is outside the valid range ' || coalesce(low::VARCHAR, '') || ' to ' "
         "|| coalesce(high::VARCHAR, '…') || ' for ' || unit"),
    Rule("value", "not_an_integer", "unit = 'count' AND isfinite(value) AND value <> round(value)",
         "'a count must be a whole number, not ' || value_raw"),
    Rule("value", "inconsistent_ratio",
         "aggregation = 'ratio' AND isfinite(value_num) AND denominator > 0 AND numerator IS NOT NULL "
         "AND abs(value_num - scale * numerator / denominator) "
         "> 0.5 * pow(10, -value_decimals) + 1e-9 * abs(value_num)",
         "'value ' || value_raw || ' does not match numerator / denominator = ' "
         "|| round(scale * numerator / denominator, 4)"),
    Rule("numerator", "not_a_number",
         "numerator_raw IS NOT NULL AND NOT numerator_marker AND (numerator IS NULL OR NOT isfinite(numerator))",
         "'''' || numerator_raw || ''' is not a number'"),
    Rule("numerator", "ratio_not_allowed",
         "indicator_id IS NOT NULL AND aggregation <> 'ratio' AND numerator IS NOT NULL",
         "'indicator ''' || indicator_code || ''' is not a rate: leave the numerator empty'"),
    Rule("denominator", "ratio_not_allowed",
         "indicator_id IS NOT NULL AND aggregation NOT IN ('ratio', 'weighted_mean') AND denominator IS NOT NULL",
         "'indicator ''' || indicator_code || ''' is not a rate: leave the denominator empty'"),
    Rule("numerator", "value_out_of_range", "aggregation = 'ratio' AND numerator < 0",
         "'the numerator cannot be negative'"),
    Rule("numerator", "inconsistent_suppression", "is_suppressed AND numerator IS NOT NULL",
         "'the value is suppressed, so the numerator must be empty too'"),
    Rule("denominator", "not_a_number",
         "denominator_raw IS NOT NULL AND NOT denominator_marker "
         "AND (denominator IS NULL OR NOT isfinite(denominator))",
         "'''' || denominator_raw || ''' is not a number'"),
    Rule("denominator", "incomplete_ratio",
         "aggregation = 'ratio' AND (numerator IS NULL) <> (denominator IS NULL) AND NOT is_suppressed",
         "'give both numerator and denominator, or neither'"),
    Rule("denominator", "invalid_denominator", "aggregation IN ('ratio', 'weighted_mean') AND denominator <= 0",
         "'the denominator must be more than 0'"),
    Rule("status", "invalid_status", "bad_status IS NOT NULL",
         "'unknown status ''' || bad_status || ''': use provisional and/or estimated'"),
    Rule("note", "too_long", f"length(note) > {MAX_NOTE}", f"'the note is longer than {MAX_NOTE} characters'"),
    Rule("note", "invalid_character", "contains(note, chr(0))", "'the note contains a NUL character'"),
]
# fmt: on
_BEFORE_DIMENSIONS = 8  # rules of indicator, area and period
# A row in a closed period (approved report, admin lock, passed deadline): see api/services/periods/closed.py.
LOCK_RULE = Rule("period", "period_locked", "true", "lock_message", "checked JOIN locked_row USING (_row)")


def _dimension_rules(dimension: str) -> list[Rule]:
    ok, allowed, raw = _q("ok_" + dimension), _q("allowed_" + dimension), _q("dim_" + dimension)
    return [
        Rule(
            dimension,
            "unknown_dimension_value",
            f"{raw} IS NOT NULL AND NOT {ok}",
            f"'''' || {raw} || ''' is not a value of {dimension}'",
        ),
        Rule(
            dimension,
            "dimension_not_allowed",
            f"{raw} IS NOT NULL AND indicator_id IS NOT NULL AND NOT {allowed}",
            f"'indicator ''' || indicator_code || ''' has no breakdown by {dimension}'",
        ),
    ]


def _assignment_rule(organisation_id: int | None) -> Rule:
    known = "indicator_id IS NOT NULL AND derivation IS NULL AND area_id IS NOT NULL AND "
    what = "''' || indicator_code || ''' for ''' || area_raw || ''''"
    if organisation_id is None:
        return Rule(
            "area", "not_assigned", known + "assigned_to IS NULL", f"'no organisation is assigned to report {what}"
        )
    return Rule(
        "area",
        "not_assigned",
        known + f"assigned_to IS DISTINCT FROM {int(organisation_id)}",
        f"'your organisation is not assigned to report {what}",
    )


def _rules_for(dims: Sequence[str], organisation_id: int | None) -> list[Rule]:
    dimension_rules = [rule for d in dims for rule in _dimension_rules(d)]
    head, tail = RULES[:_BEFORE_DIMENSIONS], RULES[_BEFORE_DIMENSIONS:]
    return [*head, _assignment_rule(organisation_id), *dimension_rules, *tail]


def _problem_queries(rules: list[Rule]) -> str:
    """One SELECT per rule, each giving (_row, col, ord, code, message)."""
    return " UNION ALL ".join(
        f"SELECT _row, {sql_literal(rule.column)} AS col, {order} AS ord, {sql_literal(rule.code)} AS code, "
        f"{rule.message} AS message FROM {rule.source} WHERE {rule.when}"
        for order, rule in enumerate(rules)
    )
