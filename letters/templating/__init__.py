"""Putting documents into words: the Jinja2 environment, and the limits a charity's own templates
run under.
"""
