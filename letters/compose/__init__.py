"""Composing documents: the request, follow-ups and the supporting statement, the kinds of document
and the language layer.
"""
