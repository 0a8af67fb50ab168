"""Observations in: batches from every channel through the one pipeline; uploads, templates, the entry form."""
