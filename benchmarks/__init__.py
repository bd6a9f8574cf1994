"""Benchmarks for swmlc (issue 7): a synthetic repo generator and a runner.

``python benchmarks/run.py --agents 1000`` generates a repo and prints the figures; see
docs/performance.md for the latest run. This is a package only so that tests can import
``benchmarks.generate``; the scripts also run as plain files.
"""
