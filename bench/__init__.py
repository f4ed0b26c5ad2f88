"""Benchmarks: run with `.venv/bin/python -m bench.<name>`; results go to docs/BENCHMARKS.md."""
