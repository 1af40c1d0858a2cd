"""Validation: Great Expectations suites judge the mapped data; failures go to quarantine."""
