"""Backbone: shared measurement for Collective Impact alliances."""

__version__ = "0.1.0"
