#!/usr/bin/env python3
"""Deterministic generator for the Backbone demo seed data.

Reads the hand-written seed files in this directory (indicators.csv,
areas.csv, dimensions.csv, organisations.csv) and writes

    schools.csv       invented primary schools per municipality (areas of level "school")
    assignments.csv   which organisation reports which indicator for which area
    observations.csv  SYNTHETIC observation values 2015 .. 2025 (or 2015/16 .. 2025/26)
    targets.csv       SYNTHETIC baselines, milestones (2025) and targets (2030)

The segregation index is not reported: Backbone derives it from the pupil counts
per school (indicator primary-pupils); this script computes the same index only
to set baselines and targets.

ALL VALUES WRITTEN BY THIS SCRIPT ARE INVENTED FOR THE DEMO. They are not
real statistics of Groningen, the Ruhr area or any municipality; only the
area codes (CBS GM codes, German AGS) and the population sizes used to
scale cohorts are real-world approximations.

Usage (from the repository root):

    python3 seed_data/generate.py

Only the Python 3.11 standard library is used. The output is byte-for-byte
reproducible: a single random.Random(SEED) is consumed in a fixed order,
everything is iterated in file order or sorted order, rounding is done with
integer arithmetic (half up), and files are written with "\\n" line endings.
"""

from __future__ import annotations

import csv
import math
import os
import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

SEED = 20261123
HERE = os.path.dirname(os.path.abspath(__file__))

FIRST_YEAR = 2015
LAST_YEAR = 2025  # most recent period: 2025 resp. 2025/26
MILESTONE_YEAR = 2025
TARGET_YEAR = 2030
NOTE = "synthetic demo value"
PROVISIONAL = "provisional"
SUPPRESSED = "<5"
N_SUPPRESSED = 5  # rows with a "<5" marker from the source
N_RANDOM_GAPS = 8  # extra missing (indicator, area, period) cells
WITTEN = "05954036"
HATTINGEN = "05954016"
N_GAPS_WITTEN = 6  # indicators without the most recent period
N_GAPS_HATTINGEN = 5
SMALL_TOWN = 35_000  # population below which "<5" markers may occur

# ---------------------------------------------------------------------------
# Areas: approximate population (rounded, real order of magnitude) and an
# invented "deprivation" score in [-1, 1] that shifts the synthetic levels.
# ---------------------------------------------------------------------------
AREA_PROFILE = {
    # code: (population, deprivation, student_factor)
    "GM0014": (240_000, 0.2, 2.2),  # Groningen: large student city
    "05954004": (9_000, -0.7, 0.8),  # Breckerfeld
    "05954008": (30_000, -0.1, 0.8),  # Ennepetal
    "05954012": (31_000, 0.0, 0.8),  # Gevelsberg
    "05954016": (54_000, -0.3, 0.9),  # Hattingen
    "05954020": (22_500, -0.6, 1.1),  # Herdecke
    "05954024": (28_500, 0.1, 0.8),  # Schwelm
    "05954028": (24_500, -0.7, 0.8),  # Sprockhövel
    "05954032": (27_500, -0.4, 0.9),  # Wetter (Ruhr)
    "05954036": (96_000, 0.0, 1.3),  # Witten
    "05112000": (500_000, 0.8, 1.1),  # Duisburg
    "05113000": (580_000, 0.5, 1.2),  # Essen
    "05117000": (170_000, 0.1, 1.0),  # Mülheim an der Ruhr
    "05119000": (210_000, 0.5, 0.9),  # Oberhausen
    "05512000": (117_000, 0.2, 0.9),  # Bottrop
    "05513000": (262_000, 1.0, 0.9),  # Gelsenkirchen
    "05911000": (365_000, 0.4, 1.5),  # Bochum
    "05913000": (590_000, 0.6, 1.3),  # Dortmund
    "05914000": (189_000, 0.7, 1.0),  # Hagen
    "05915000": (180_000, 0.5, 0.9),  # Hamm
    "05916000": (157_000, 0.8, 1.0),  # Herne
}

# Which organisation reports for which Ruhr municipality.
RUHR_REPORTER = {
    "05954004": "STADT-BRECKERFELD",
    "05954008": "STADT-ENNEPETAL",
    "05954012": "STADT-GEVELSBERG",
    "05954016": "STADT-HATTINGEN",
    "05954020": "STADT-HERDECKE",
    "05954024": "STADT-SCHWELM",
    "05954028": "STADT-SPROCKHOEVEL",
    "05954032": "STADT-WETTER",
    "05954036": "STADT-WITTEN",
    "05112000": "STADT-DUISBURG",
    "05113000": "STADT-ESSEN",
    "05117000": "STADT-MUELHEIM",
    "05119000": "STADT-OBERHAUSEN",
    "05512000": "STADT-BOTTROP",
    "05513000": "STADT-GELSENKIRCHEN",
    "05911000": "STADT-BOCHUM",
    "05913000": "STADT-DORTMUND",
    "05914000": "STADT-HAGEN",
    "05915000": "STADT-HAMM",
    "05916000": "STADT-HERNE",
}
GRONINGEN = "GM0014"
GRONINGEN_EARLY_YEARS_REPORTER = "KIDSFIRST"
GRONINGEN_REPORTER = "GM-GRONINGEN"

# ---------------------------------------------------------------------------
# Synthetic model per indicator.
#   model    pct (ratio in percent / per 1000), euro, index, count
#   frac     cohort (denominator) as a fraction of the population
#   base     level per breakdown value (or "total") for an average German area
#   dep      shift of the level per unit of deprivation
#   nl       shift of the level for the Dutch area
#   slope    yearly change in the "good" direction at trend factor 1
#   bias     mean trend factor (above ~1: mostly on track, below: mostly off)
#   ambition target 2030 relative to the baseline (see target_value())
#   shares   relative cohort shares per breakdown value (optional)
# ---------------------------------------------------------------------------
SES_GAP_WEIGHT = {"low": 1.3, "middle": 1.0, "high": 0.6, "total": 1.0}
GENDER_SHARE = {"girl": 0.55, "boy": 0.44, "other": 0.01}

MODEL = {
    "ece-participation": dict(
        model="pct",
        frac=0.030,
        base={"low": 80.0, "middle": 90.0, "high": 94.5},
        dep=-4.0,
        nl=-2.0,
        slope=0.45,
        bias=1.2,
        ambition=0.40,
        cap=99.0,
    ),
    "ece-reach-indicated": dict(
        model="pct", frac=0.0045, base={"total": 72.0}, dep=-5.0, nl=8.0, slope=0.80, bias=1.5, ambition=0.45, cap=99.0
    ),
    "language-support-need": dict(
        model="pct",
        frac=0.0090,
        base={"low": 42.0, "middle": 20.0, "high": 9.0},
        dep=8.0,
        nl=-4.0,
        slope=0.35,
        bias=0.6,
        ambition=0.25,
    ),
    "ece-spending-per-child": dict(
        model="euro", frac=0.056, base={"total": 2300.0}, dep=250.0, nl=600.0, slope=0.030, bias=1.3, ambition=0.50
    ),
    "segregation-dissimilarity": dict(model="derived", dep=0.12, nl=0.10, slope=0.004, bias=0.7, ambition=0.20),
    "primary-pupils": dict(model="schools", pupils_per_school=(120, 520), residents_per_school=7_000),
    "pupils-concentrated-schools": dict(
        model="pct",
        frac=0.036,
        base={"low": 38.0, "middle": 13.0, "high": 5.0},
        dep=14.0,
        nl=0.0,
        slope=0.30,
        bias=0.6,
        ambition=0.30,
    ),
    "reading-standard": dict(
        model="pct",
        frac=0.0090,
        base={"low": 55.0, "middle": 72.0, "high": 86.0},
        dep=-3.0,
        nl=3.0,
        slope=0.40,
        bias=1.0,
        ambition=0.30,
    ),
    "math-standard": dict(
        model="pct",
        frac=0.0090,
        base={"low": 48.0, "middle": 66.0, "high": 82.0},
        dep=-3.0,
        nl=2.0,
        slope=0.35,
        bias=1.1,
        ambition=0.25,
    ),
    "academic-track-advice": dict(
        model="pct",
        frac=0.0090,
        base={"low": 22.0, "middle": 40.0, "high": 66.0},
        dep=-4.0,
        nl=2.0,
        slope=0.50,
        bias=1.6,
        ambition=0.15,
    ),
    "higher-education-entry": dict(
        model="pct",
        frac=0.0040,
        base={"low": 60.0, "middle": 71.0, "high": 83.0},
        dep=-2.0,
        nl=3.0,
        slope=0.55,
        bias=1.3,
        ambition=0.25,
        shares={"low": 0.6, "middle": 1.0, "high": 1.3},
    ),
    "first-generation-students": dict(
        model="count", frac=0.0045, base=GENDER_SHARE, dep=0.0, nl=0.0, slope=0.020, bias=1.3, ambition=0.30
    ),
    "early-school-leavers": dict(
        model="pct",
        frac=0.075,
        base={"low": 17.0, "middle": 8.0, "high": 3.5},
        dep=3.0,
        nl=-4.0,
        slope=0.25,
        bias=1.1,
        ambition=0.35,
    ),
    "leavers-without-qualification": dict(
        model="count",
        frac=0.0095,
        base={"low": 0.12, "middle": 0.05, "high": 0.015},
        dep=0.5,
        nl=-0.3,
        slope=0.025,
        bias=1.1,
        ambition=0.35,
    ),
    "neet-rate": dict(
        model="pct",
        frac=0.105,
        base={"total": 75.0},
        dep=20.0,
        nl=-30.0,
        slope=1.20,
        bias=1.2,
        ambition=0.25,
        cap=990.0,
    ),
}

SCALE = {"percent": 100, "rate_per_1000": 1000, "euro": 1}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def read_csv(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def period_label(year, period_type):
    if period_type == "school_year":
        return f"{year}/{(year + 1) % 100:02d}"
    return str(year)


def ratio_value(numerator, denominator, unit):
    """scale * numerator / denominator, rounded half up (exact integer maths).

    percent / rate_per_1000: one decimal; euro: whole euros."""
    scale = SCALE[unit]
    if unit == "euro":
        q = (2 * numerator * scale + denominator) // (2 * denominator)
        return str(q)
    q = (2 * numerator * scale * 10 + denominator) // (2 * denominator)
    return f"{q // 10}.{q % 10}"


def fmt_decimal(x, unit):
    """Format a float with the precision of the indicator's unit (half up)."""
    if unit in ("count", "euro"):
        quant = Decimal("1")
    elif unit == "index":
        quant = Decimal("0.001")
    else:
        quant = Decimal("0.1")
    return str(Decimal(repr(float(x))).quantize(quant, rounding=ROUND_HALF_UP))


def poisson(rng, mean):
    if mean <= 0:
        return 0
    if mean < 50:
        limit = math.exp(-mean)
        k, p = 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def binomial_like(rng, n, p):
    """Integer number of successes out of n with probability p (normal approx.)."""
    p = min(max(p, 0.0), 1.0)
    sd = math.sqrt(max(n * p * (1 - p), 0.0))
    k = round(n * p + rng.gauss(0.0, sd))
    return min(max(k, 0), n)


def trend_factor(rng, bias):
    """Per (indicator, area) trend multiplier; a few areas get worse."""
    if rng.random() < 0.12:
        return -rng.uniform(0.3, 1.0)
    return bias + rng.gauss(0.0, 0.45)


# ---------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------
def load():
    indicators = read_csv("indicators.csv")
    areas = read_csv("areas.csv")
    dims_rows = read_csv("dimensions.csv")
    orgs = {r["code"] for r in read_csv("organisations.csv")}

    dim_values = {}
    for r in dims_rows:
        dim_values.setdefault(r["dimension"], []).append((int(r["position"]), r["value"]))
    dim_values = {d: [v for _, v in sorted(vals)] for d, vals in dim_values.items()}

    by_code = {a["code"]: a for a in areas}

    def country(code):
        while by_code[code]["parent"]:
            code = by_code[code]["parent"]
        return code

    municipalities = [a["code"] for a in areas if a["level"] == "municipality"]
    for m in municipalities:
        if m not in AREA_PROFILE:
            raise SystemExit(f"no AREA_PROFILE for municipality {m}")
    for ind in indicators:
        if ind["code"] not in MODEL:
            raise SystemExit(f"no MODEL for indicator {ind['code']}")
    for org in [*RUHR_REPORTER.values(), GRONINGEN_REPORTER, GRONINGEN_EARLY_YEARS_REPORTER]:
        if org not in orgs:
            raise SystemExit(f"unknown organisation {org}")
    countries = {m: country(m) for m in municipalities}
    return indicators, municipalities, countries, dim_values


def breakdowns(ind, dim_values):
    """[(dimension, value)] - total first, then each value of each dimension."""
    out = [(None, None)]
    for d in ind["dimensions"].split():
        out.extend((d, v) for v in dim_values[d])
    return out


def ses_shares(rng, dep):
    low = min(max(0.25 + 0.10 * dep + rng.gauss(0, 0.02), 0.12), 0.45)
    high = min(max(0.30 - 0.08 * dep + rng.gauss(0, 0.02), 0.15), 0.45)
    return {"low": low, "middle": 1.0 - low - high, "high": high}


def generate_series(rng, ind, area, nl, dim_values, years):
    """Return {year: [row dicts in breakdown order]} for one indicator/area."""
    code, unit = ind["code"], ind["unit"]
    m = MODEL[code]
    pop, dep, student_factor = AREA_PROFILE[area]
    sign = 1 if ind["direction"] == "higher" else -1
    f = trend_factor(rng, m["bias"])
    if code == "segregation-dissimilarity" and area == GRONINGEN:
        f = -0.8  # segregation in Groningen was rising (reason for the akkoord)
    groups = [v for d, v in breakdowns(ind, dim_values) if d is not None]
    dim = ind["dimensions"].split()[0] if ind["dimensions"] else None
    demog = rng.gauss(0.0, 0.006)  # yearly cohort growth
    area_shift = rng.gauss(0.0, 1.0)  # idiosyncratic level, scaled below
    shares = ses_shares(rng, dep) if dim == "ses" else None
    if shares and "shares" in m:
        shares = {g: shares[g] * m["shares"][g] for g in shares}
        tot = sum(shares.values())
        shares = {g: s / tot for g, s in shares.items()}
    nl_shift = m["nl"] if nl else 0.0

    out = {}
    for t, year in enumerate(years):
        rows = []
        if m["model"] == "pct":
            scale = SCALE[unit]
            cap = m.get("cap", 99.7 if scale == 100 else 990.0)
            year_noise = rng.gauss(0.0, 0.5 if scale == 100 else 2.0)
            cohort = pop * m["frac"] * (1 + demog * t) * (1 + rng.gauss(0, 0.02))
            keys = groups or ["total"]
            for g in keys:
                share = shares[g] * (1 + rng.gauss(0, 0.02)) if shares else 1.0
                den = max(1, round(cohort * share))
                level = (
                    m["base"][g]
                    + m["dep"] * dep
                    + nl_shift
                    + area_shift * (1.5 if scale == 100 else 6.0)
                    + sign * m["slope"] * f * SES_GAP_WEIGHT.get(g, 1.0) * t
                    + year_noise
                )
                level = min(max(level, 0.3), cap)
                num = binomial_like(rng, den, level / scale)
                rows.append((g, num, den))
            if groups:
                rows.insert(0, ("total", sum(r[1] for r in rows), sum(r[2] for r in rows)))
            out[year] = [
                {"group": g, "value": ratio_value(num, den, unit), "numerator": str(num), "denominator": str(den)}
                for g, num, den in rows
            ]
        elif m["model"] == "euro":
            children = max(1, round(pop * m["frac"] * (1 + demog * t) * (1 + rng.gauss(0, 0.01))))
            per_child = (
                (m["base"]["total"] + m["dep"] * dep + nl_shift + area_shift * 150.0)
                * (1 + m["slope"] * f * t)
                * (1 + rng.gauss(0, 0.02))
            )
            euros = round(children * max(per_child, 500.0))
            out[year] = [
                {
                    "group": "total",
                    "value": ratio_value(euros, children, unit),
                    "numerator": str(euros),
                    "denominator": str(children),
                }
            ]
        elif m["model"] == "index":
            level = (
                m["base"]["total"]
                + m["dep"] * dep
                + nl_shift
                + area_shift * 0.03
                + sign * m["slope"] * f * t
                + rng.gauss(0, 0.012)
            )
            # fewer schools in small towns -> noisier index
            if pop < SMALL_TOWN:
                level += rng.gauss(0, 0.02) - 0.05
            milli = round(min(max(level, 0.05), 0.90) * 1000)
            out[year] = [{"group": "total", "value": f"{milli / 1000:.3f}", "numerator": "", "denominator": ""}]
        elif m["model"] == "count":
            growth = max(1 + sign * m["slope"] * f * t, 0.2)
            cohort = pop * m["frac"] * (1 + demog * t)
            counts = []
            for g in groups:
                if code == "first-generation-students":
                    mean = cohort * student_factor * m["base"][g] * growth
                else:
                    rate = m["base"][g] * (1 + m["dep"] * dep + (m["nl"] if nl else 0.0) + 0.15 * area_shift)
                    share = shares[g] if shares else 1.0
                    mean = cohort * share * max(rate, 0.001) * growth
                counts.append((g, poisson(rng, mean * (1 + rng.gauss(0, 0.03)))))
            counts.insert(0, ("total", sum(c for _, c in counts)))
            out[year] = [{"group": g, "value": str(c), "numerator": "", "denominator": ""} for g, c in counts]
        else:  # pragma: no cover
            raise SystemExit(f"unknown model {m['model']}")
    return out


SCHOOL_BOARDS_GRONINGEN = ("O2G2", "VCOG")  # Groningen's primary schools alternate between two boards


def school_code(area, n):
    return f"{area}-{'BS' if area == GRONINGEN else 'GS'}{n:02d}"


def generate_schools(rng, area, nl, years):
    """Invented primary schools of a municipality and their pupils by SES, per school year.

    Each school keeps its own place in the town (z): the further from the middle, the
    more its mix differs from the town's; the spread grows or shrinks with the trend,
    so the derived segregation index moves like the other indicators do.
    """
    m = MODEL["primary-pupils"]
    seg = MODEL["segregation-dissimilarity"]
    pop, dep, _ = AREA_PROFILE[area]
    count = max(2, round(pop / m["residents_per_school"]))
    low_share = min(max(0.25 + 0.10 * dep, 0.12), 0.45)
    f = -0.8 if area == GRONINGEN else trend_factor(rng, seg["bias"])  # Groningen: segregation was rising
    spread0 = 0.16 + 0.05 * dep + (0.04 if nl else 0.0) + rng.gauss(0, 0.02)
    schools = [
        (school_code(area, n), rng.gauss(0, 1), rng.randint(*m["pupils_per_school"])) for n in range(1, count + 1)
    ]
    series = {}
    for t, year in enumerate(years):
        spread = max(0.04, spread0 - seg["slope"] * 1.5 * f * t)
        counts = {}
        for code, z, size in schools:
            pupils = max(20, int(size * (1 + rng.gauss(0, 0.04))))
            share = min(max(low_share + spread * z, 0.01), 0.95)
            low = binomial_like(rng, pupils, share)
            middle = binomial_like(rng, pupils - low, 0.6)
            counts[code] = (pupils, low, middle, pupils - low - middle)
        series[year] = counts
    return [code for code, _, _ in schools], series


def dissimilarity(counts):
    """Duncan's D of low-SES pupils against the others (the same formula Backbone derives)."""
    low = [c[1] for c in counts.values()]
    other = [c[0] - c[1] for c in counts.values()]
    a, b = sum(low), sum(other)
    return 0.5 * sum(abs(x / a - y / b) for x, y in zip(low, other, strict=True))


def target_value(ind, baseline):
    """2030 target: an ambitious but plausible step in the good direction."""
    m = MODEL[ind["code"]]
    a, unit, higher = m["ambition"], ind["unit"], ind["direction"] == "higher"
    b = float(baseline)
    if unit == "percent" and higher:
        return b + a * (100.0 - b)
    return b * (1 + a) if higher else b * (1 - a)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def main():
    rng = random.Random(SEED)
    indicators, municipalities, countries, dim_values = load()
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))

    reported = [ind for ind in indicators if MODEL[ind["code"]]["model"] not in ("derived", "schools")]

    # schools -----------------------------------------------------------------
    schools, pupils = {}, {}
    for area in municipalities:
        schools[area], pupils[area] = generate_schools(rng, area, countries[area] == "NL", years)
    write_csv(
        "schools.csv",
        ["code", "name", "level", "parent"],
        [
            (code, f"{'Basisschool' if area == GRONINGEN else 'Grundschule'} {code[-2:]} (synthetic)", "school", area)
            for area in municipalities
            for code in schools[area]
        ],
    )

    # assignments -----------------------------------------------------------
    assignments = []
    for ind in reported:
        for area in municipalities:
            if area == GRONINGEN:
                org = GRONINGEN_EARLY_YEARS_REPORTER if ind["goal"] == "early-years" else GRONINGEN_REPORTER
            else:
                org = RUHR_REPORTER[area]
            assignments.append((org, ind["code"], area))
    for area in municipalities:
        for n, code in enumerate(schools[area]):
            org = SCHOOL_BOARDS_GRONINGEN[n % 2] if area == GRONINGEN else RUHR_REPORTER[area]
            assignments.append((org, "primary-pupils", code))
    write_csv("assignments.csv", ["organisation", "indicator", "area"], assignments)

    # series ------------------------------------------------------------------
    series = {}
    for ind in reported:
        for area in municipalities:
            series[(ind["code"], area)] = generate_series(rng, ind, area, countries[area] == "NL", dim_values, years)

    # gaps: (indicator, area, year) cells that are left out ----------------------
    codes = [ind["code"] for ind in reported]
    gaps = set()
    for area, n in ((WITTEN, N_GAPS_WITTEN), (HATTINGEN, N_GAPS_HATTINGEN)):
        for code in rng.sample(codes, n):
            gaps.add((code, area, LAST_YEAR))
    others = [m for m in municipalities if m not in (WITTEN, HATTINGEN)]
    while len([g for g in gaps if g[1] in others]) < N_RANDOM_GAPS:
        # never the first period (baseline) and never the most recent one
        gaps.add((rng.choice(codes), rng.choice(others), rng.randint(FIRST_YEAR + 1, LAST_YEAR - 1)))

    # observations --------------------------------------------------------------
    ind_by_code = {ind["code"]: ind for ind in indicators}
    obs = []
    for ind in reported:
        dims = breakdowns(ind, dim_values)
        for area in municipalities:
            s = series[(ind["code"], area)]
            for year in years:
                if (ind["code"], area, year) in gaps:
                    continue
                for (d, v), row in zip(dims, s[year], strict=True):
                    assert row["group"] == (v or "total")
                    obs.append(
                        [
                            ind["code"],
                            area,
                            period_label(year, ind["period_type"]),
                            row["value"],
                            row["numerator"],
                            row["denominator"],
                            PROVISIONAL if year == LAST_YEAR else "",
                            NOTE,
                            v if d == "ses" else "",
                            v if d == "gender" else "",
                        ]
                    )

    for area in municipalities:
        for year in years:
            period = period_label(year, "school_year")
            for code in schools[area]:
                total, low, middle, high = pupils[area][year][code]
                status = PROVISIONAL if year == LAST_YEAR else ""
                for group, value in (("", total), ("low", low), ("middle", middle), ("high", high)):
                    obs.append(["primary-pupils", code, period, str(value), "", "", status, NOTE, group, ""])

    # "<5" markers from the source: count indicators, breakdown rows, small towns
    candidates = [
        i
        for i, r in enumerate(obs)
        if ind_by_code[r[0]]["unit"] == "count"
        and r[1] in AREA_PROFILE
        and (r[8] or r[9])
        and AREA_PROFILE[r[1]][0] < SMALL_TOWN
        and r[3].isdigit()
        and 1 <= int(r[3]) <= 4
    ]
    for i in sorted(rng.sample(candidates, N_SUPPRESSED)):
        obs[i][3] = SUPPRESSED
    write_csv(
        "observations.csv",
        ["indicator", "area", "period", "value", "numerator", "denominator", "status", "note", "ses", "gender"],
        obs,
    )

    # targets -------------------------------------------------------------------
    targets = []
    for pos, ind in enumerate(ind for ind in indicators if ind["code"] != "primary-pupils"):
        unit, ptype = ind["unit"], ind["period_type"]
        base_p = period_label(FIRST_YEAR, ptype)
        mile_p = period_label(MILESTONE_YEAR, ptype)
        targ_p = period_label(TARGET_YEAR, ptype)
        with_milestone = pos % 2 == 0  # every other indicator: 7 of 14
        area_rows, baselines, finals = [], [], []
        for area in municipalities:
            if ind["code"] == "segregation-dissimilarity":
                baseline = fmt_decimal(dissimilarity(pupils[area][FIRST_YEAR]), unit)
            else:
                baseline = series[(ind["code"], area)][FIRST_YEAR][0]["value"]
            final = fmt_decimal(target_value(ind, baseline), unit)
            if unit == "index":
                final = fmt_decimal(min(max(float(final), 0.0), 1.0), unit)
            baselines.append(float(baseline))
            finals.append(float(final))
            if with_milestone:
                frac = (MILESTONE_YEAR - FIRST_YEAR) / (TARGET_YEAR - FIRST_YEAR)
                mile = fmt_decimal(float(baseline) + (float(final) - float(baseline)) * frac, unit)
                area_rows.append([ind["code"], area, base_p, baseline, mile_p, mile])
            area_rows.append([ind["code"], area, base_p, baseline, targ_p, final])
        targets.append(
            [
                ind["code"],
                "",
                base_p,
                fmt_decimal(statistics.median(baselines), unit),
                targ_p,
                fmt_decimal(statistics.median(finals), unit),
            ]
        )
        targets.extend(area_rows)
    write_csv(
        "targets.csv",
        ["indicator", "area", "baseline_period", "baseline_value", "target_period", "target_value"],
        targets,
    )

    print(f"schools.csv: {sum(len(v) for v in schools.values())} rows")
    print(f"assignments.csv: {len(assignments)} rows")
    print(f"observations.csv: {len(obs)} rows ({len(gaps)} gaps, {N_SUPPRESSED} '<5' markers)")
    print(f"targets.csv: {len(targets)} rows")


if __name__ == "__main__":
    main()
