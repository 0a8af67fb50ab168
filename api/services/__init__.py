"""The services: all logic and SQL between the routes (and dashboard) and the ingest, read model and database.

One package per domain (see docs/architecture.md). Importing any of them imports the
audit trail first, whose session listeners note every metadata change.
"""

from api.services.audit import trail as _trail  # noqa: F401  (registers the audit listeners)
