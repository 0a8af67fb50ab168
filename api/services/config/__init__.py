"""The alliance's set-up as files: one CSV per kind, in the format of ``seed_data/``.

``tables`` reads the set-up out of the database as those files' rows (the export, and what a
load compares with); ``load`` writes files into the database through the metadata and user
services, all or nothing, with every problem named by file, row and column.
"""
