"""Small operations on text that every stage of swletter uses."""

from __future__ import annotations


def capital(text: str) -> str:
    """Text with its first letter a capital, the rest untouched: "the children's" → "The
    children's" (``str.capitalize`` would lower the rest: "Ms Patel" would become "Ms patel")."""
    return text[:1].upper() + text[1:]
