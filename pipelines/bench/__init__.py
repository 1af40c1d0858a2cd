"""Benchmarks: the workbook's report runner against what a user would do without it."""
