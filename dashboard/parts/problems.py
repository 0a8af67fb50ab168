"""The import pipeline's error codes in words a reporter understands, in the interface's language.

The pipeline's own messages are English and name the exact value; the pages show
these translated explanations first and the pipeline's message as the detail.
"""

from __future__ import annotations

from dashboard.context import N_, _

PROBLEMS = {
    "not_a_number": N_("Not a number (or a suppression marker such as x or <5)."),
    "value_missing": N_("No value: give a number, or a suppression marker such as x or <5."),
    "value_out_of_range": N_("Outside the valid range (a percentage lies between 0 and 100, counts are not negative)."),
    "not_an_integer": N_("A count must be a whole number."),
    "inconsistent_ratio": N_("The value does not match numerator ÷ denominator."),
    "incomplete_ratio": N_("Give both numerator and denominator, or neither."),
    "invalid_denominator": N_("The denominator must be more than 0."),
    "ratio_not_allowed": N_("This indicator is not a rate: leave numerator and denominator empty."),
    "inconsistent_suppression": N_("A value suppressed at source has no numerator or denominator."),
    "invalid_status": N_("Unknown status: use provisional and/or estimated."),
    "too_long": N_("The note is too long (at most 1000 characters)."),
    "invalid_character": N_("The text contains a character that cannot be stored."),
    "not_assigned": N_("Your organisation is not assigned to report this indicator for this area."),
    "unknown_indicator": N_("Unknown indicator."),
    "unknown_area": N_("Unknown area."),
    "unknown_dimension": N_("Unknown breakdown dimension."),
    "unknown_dimension_value": N_("Unknown breakdown value."),
    "dimension_not_allowed": N_("This indicator has no breakdown by this dimension."),
    "invalid_period": N_("Not a valid period for this indicator."),
    "period_locked": N_("This period is locked (approved, submitted or closed by backbone staff)."),
    "duplicate_key": N_("The same indicator, area, period and breakdown appear more than once."),
    "required": N_("This field is empty."),
    "derived_indicator": N_("Backbone computes this indicator: report the figures it is computed from instead."),
    "too_many_columns": N_("The row has more fields than the header has columns."),
    "missing_columns": N_("The row has fewer fields than the header has columns."),
    "unquoted_value": N_("A quote is not closed, or stands inside an unquoted field."),
    "line_too_long": N_("A line is far too long: is this a CSV file?"),
    "invalid_encoding": N_("The row contains characters that cannot be read."),
    "missing_column": N_("A required column is missing."),
    "unknown_column": N_("Unknown column."),
    "duplicate_column": N_("The column appears twice."),
    "value_in_unnamed_column": N_("A column without a name has a value in this row: name the column or empty it."),
    "invalid_header": N_("The first row is not a valid header."),
    "empty_file": N_("The file is empty."),
    "no_rows": N_("The file has a header but no rows."),
    "unreadable_file": N_("The file cannot be read as CSV or XLSX."),
    "file_too_large": N_("The file is too large."),
    "too_many_rows": N_("The file has too many rows."),
    # source mappings: a publisher's file that does not fit its mapping, or a mapping with a problem in itself
    "not_in_map": N_("This text is not in the mapping's map: add it there, or set unmapped to keep or skip."),
    "invalid_measure": N_("The measure must be value, numerator or denominator."),
    "duplicate_cell": N_("Two cells give the same measure of one observation: combine: sum adds them up."),
    "no_measure_columns": N_("No column header matches the pattern of the measures."),
    "unknown_sheet": N_("The workbook has no sheet of this name."),
    "invalid_pattern": N_("Not a valid regular expression (RE2)."),
    "unknown_group": N_("The pattern has no group of this name."),
    "unreadable_mapping": N_("The text cannot be read as YAML or JSON."),
}


def explain(code: str, message: str) -> str:
    """The translated explanation of an error code; the pipeline's message when the code is not known here."""
    known = PROBLEMS.get(code)
    return _(known) if known else message
