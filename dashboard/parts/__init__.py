"""The parts several pages are built of: links, notices and labels, small multiples, the league table, activities,
export buttons, import problems in words. Each page's own parts live in its package under ``dashboard/pages/``.
"""
