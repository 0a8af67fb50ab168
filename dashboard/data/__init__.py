"""The one place the dashboard reaches the services: every read and write the pages make, as the current user.

One module per area, like ``api/services``. Each function opens its own session or
transaction around the service calls, with the app's read model and settings, as the
API's routes do; the pages never see a session. Result types the pages and figures
need are re-exported here. Nothing else in the dashboard imports ``api.services``, and
nothing in it imports the pipeline, the read model or the database (tests/test_layers.py).
This package imports none of its modules: ``context`` uses ``sessions``, the others use ``context``.
"""
