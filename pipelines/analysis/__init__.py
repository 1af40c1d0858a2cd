"""Participation analysis: one function per analytic question, polars frames in and out.

Every function takes the clean data (LazyFrames) already narrowed to an area and returns a
DataFrame whose columns are those of the data contract's table ids; disclosure control
(:mod:`pipelines.disclosure`) is applied after, never inside.
"""
