"""Professional development: the record of hours (and, later, plans and school goals)."""
