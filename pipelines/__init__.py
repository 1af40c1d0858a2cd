"""Participation Workbook: validate, analyse and report consultation and engagement data."""

__version__ = "0.1.0"
