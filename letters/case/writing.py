"""Writing case data back out as a YAML case file a person can read and edit.

The guided interview builds plain case data; this turns it into YAML in the order of the
reference example (``case-full.yaml``), with a comment above each part saying what it is for, and
long text folded over several lines. Values are written by PyYAML's safe dumper, so anything a
person typed (colons, quotes, "#", "yes") reads back exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from letters.case.grounds import load_grounds
from letters.case.schema import CASE_FIELDS
from letters.dates import long_date

#: Text longer than this is written as a folded block (``>-``), wrapped for an editor.
_FOLD_AT = 72
_SHORT_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,16}$")

# Plainer comments than the schema's help, where the help is written for the letter.
_COMMENTS = {
    "incomplete": "Not finished yet: run `swletter new --from {source}` to answer the rest.",
    "grounds": "Your reasons for asking for a change; `swletter grounds ID` explains each one.",
}


class _Dumper(yaml.SafeDumper):
    """Safe YAML with list items indented under their key, as people write it by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = ">" if len(text) > _FOLD_AT and "\n" not in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: Any) -> yaml.Node:
    # Evidence ids read best on one line: evidence: [E1, E2].
    flow = bool(items) and all(isinstance(i, str) and _SHORT_ID.match(i) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(items), flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def prune_empty(value: Any) -> Any:
    """``value`` without empty parts (None, "", [], {}) so the file holds only what was said."""
    if isinstance(value, Mapping):
        out = {k: prune_empty(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        items = [prune_empty(v) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    return value


def case_to_yaml(data: Mapping[str, Any], *, incomplete: bool = False, source: str = "case.yaml",
                 today: dt.date | None = None) -> str:
    """The case ``data`` as commented YAML, in the reference example's order."""
    clean = prune_empty({k: v for k, v in data.items() if k != "grounds"})
    clean.pop("incomplete", None)
    if isinstance(data.get("grounds"), Mapping):
        # A ground with nothing filled in yet is still a ground raised: keep it as {}.
        clean["grounds"] = {gid: prune_empty(g) if isinstance(g, Mapping) else g
                            for gid, g in data["grounds"].items()}
    when = long_date(today or dt.date.today())
    out = [
        f"# Case file written by `swletter new` on {when}.",
        "# Edit it in any text editor, or run `swletter new --from "
        f"{source}` to change your answers.",
        "# `swletter check` checks it; `swletter render` writes the letter.",
        "",
    ]
    if incomplete:
        out += [f"# {_COMMENTS['incomplete'].format(source=source)}", "incomplete: true", ""]
    order = [f.name for f in CASE_FIELDS if f.name != "incomplete"]
    order.insert(order.index("children") + 1, "grounds")
    helps = {f.name: f.help for f in CASE_FIELDS}
    keys = [k for k in order if k in clean] + [k for k in clean if k not in order]
    titles = {g.id: g.title for g in load_grounds()}
    for key in keys:
        comment = _COMMENTS.get(key) or helps.get(key, "")
        if comment:
            out.append(f"# {comment}")
        if key == "grounds" and isinstance(clean[key], dict):
            out.append("grounds:")
            for gid, gdata in clean[key].items():
                if gid in titles:
                    out.append(f"  # {titles[gid]}")
                body = _dump({gid: gdata or {}})
                out.extend("  " + line if line else line for line in body.splitlines())
        else:
            out.extend(_dump({key: clean[key]}).splitlines())
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
