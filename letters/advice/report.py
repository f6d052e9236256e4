"""Advice as text a person reads: findings grouped by the field they are about, each with its
suggestion, and the counts. Used by ``swletter check`` and ``render`` (the web form shows the
findings its own way)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from letters.advice.findings import Finding


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def count_findings(warnings: int, notes: int) -> str:
    """"Tone, readability and evidence: 2 warnings and 1 note." (or that there are none)."""
    if not warnings and not notes:
        return "No warnings about tone, readability or evidence."
    counts = [plural(n, noun) for n, noun in ((warnings, "warning"), (notes, "note")) if n]
    return f"Tone, readability and evidence: {' and '.join(counts)}."


def findings_text(findings: Sequence[Finding], *, summary: bool = True,
                  width: int = 100) -> str:
    """Findings grouped by field, each with its suggestion; then (``summary``) the counts.
    Empty when there are none."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.path or "text", []).append(finding)
    out: list[str] = []
    for path, items in groups.items():
        out.append(f"{path}:")
        for f in items:
            words = f'"{f.words}": ' if f.words and f'"{f.words}"' not in f.message else ""
            head = f"{f.severity.capitalize()} ({f.category.replace('_', ' ')}): {words}"
            out.append(textwrap.fill(head + f.message, width, initial_indent="  - ",
                                     subsequent_indent="    ", break_on_hyphens=False))
            out.append(textwrap.fill("Suggestion: " + f.suggestion, width,
                                     initial_indent="    ", subsequent_indent="    ",
                                     break_on_hyphens=False))
    if summary and groups:
        warnings = sum(1 for f in findings if f.is_fault)
        out.append(count_findings(warnings, len(findings) - warnings))
    return "\n".join(out)
