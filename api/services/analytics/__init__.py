"""Figures from the read model.

Cells reported, rolled up or derived; what is hidden from whom; series, progress, equity gaps, league tables.
"""
