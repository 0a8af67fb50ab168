"""Primary suppression of small counts and of rates over small populations."""

from __future__ import annotations

from indicators.suppression import needs_suppression


def test_counts_below_the_threshold_are_suppressed_but_zero_is_not():
    assert needs_suppression(value=4, denominator=None, is_rate=False, threshold=5)
    assert not needs_suppression(value=5, denominator=None, is_rate=False, threshold=5)
    assert not needs_suppression(value=0, denominator=None, is_rate=False, threshold=5)


def test_rates_over_a_small_denominator_are_suppressed():
    assert needs_suppression(value=50.0, denominator=8, is_rate=True, threshold=10)
    assert not needs_suppression(value=50.0, denominator=10, is_rate=True, threshold=10)
    assert not needs_suppression(value=50.0, denominator=None, is_rate=True, threshold=10)


def test_threshold_zero_suppresses_nothing():
    assert not needs_suppression(value=1, denominator=None, is_rate=False, threshold=0)
