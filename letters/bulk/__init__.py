"""Bulk letters for charities: planning a run from case files and spreadsheets, the worker
processes, the report.
"""
