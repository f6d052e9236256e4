"""The register of letters sent (SQLite), its checks and its exports.
"""
