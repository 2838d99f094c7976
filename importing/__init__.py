"""Reading official data files safely and saying what an import did: shared by the importers of councils
and of inspections, and knowing nothing of either (importing/files.py)."""
