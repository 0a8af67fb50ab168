"""Reporting periods: reports submitted, approved or returned; admin locks; periods closed now; completeness."""
