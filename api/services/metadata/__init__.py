"""The alliance's reference data, kept by backbone staff.

Agenda, goals, indicators, dimensions, areas, organisations, assignments, targets and boundaries.
"""
