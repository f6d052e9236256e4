"""Advice on a letter before it is sent: tone, readability and evidence.
"""
