"""School, board and network dashboards: aggregates of professional development."""
