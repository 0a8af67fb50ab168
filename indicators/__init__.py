"""The computational core of Backbone: numbers in, numbers out.

Nothing in this package imports a web framework or a database driver; the API,
the read model and the dashboard call these functions.
"""
