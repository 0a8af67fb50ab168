"""Ingestion: every channel (JSON batch, CSV or XLSX upload, CLI) stages its rows in
DuckDB, validates them there against the reference data and writes the clean
batch into the system of record in one transaction."""
