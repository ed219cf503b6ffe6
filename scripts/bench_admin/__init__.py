"""Admin pages at scale: the change list, its search box and filters, the
change form, the history and the dashboard, on the search benchmark's
database of 100,000 publications (run ``make bench-search`` first).
"""
