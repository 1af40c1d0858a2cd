"""One renderer per report section: published tables and their words -> HTML fragments.

Each module has ``render``: it reads the tables :func:`pipelines.report.tables.publish_tables`
published and the figures :func:`pipelines.report.facts.gather_facts` gathered, takes its
words from :mod:`pipelines.report.wording`, and calls no analysis.
"""
