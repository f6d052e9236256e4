"""Make the Easy Read sheet's pictures (letters/pictures/*.png) from the OpenMoji package.

    npm pack openmoji@17.0.0 && tar xzf openmoji-17.0.0.tgz
    python scripts/build_easyread_pictures.py package/

Only the pictures the sheet uses are shipped: each colour SVG is drawn as a 256 × 256 PNG by
Typst (already a dependency), unchanged but for the format. OpenMoji's graphics are licensed
CC BY-SA 4.0; ATTRIBUTION.md beside the pictures names each one's designer and the licence.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typst

#: The sheet's picture name → OpenMoji hexcode.
PICTURES = {
    "letter": "2709",          # envelope
    "child": "1F9D2",          # child
    "family": "1FAC2",         # people hugging
    "worker": "1F9D1-200D-1F4BC",  # office worker
    "talk": "1F4AC",           # speech balloon
    "change": "1F504",         # arrows going round
    "reply": "1F4DD",          # memo
    "calendar": "1F4C5",       # calendar
    "advocate": "1F91D",       # handshake
    "complaint": "1F4E3",      # megaphone
    "law": "2696",             # balance scale
    "heart": "2764",           # red heart
    "listen": "1F442",         # ear
    "question": "1F64B",       # person raising hand
}

OUT = Path(__file__).resolve().parent.parent / "letters" / "pictures"


def main(package: Path) -> None:
    data = {e["hexcode"]: e for e in json.loads((package / "data" / "openmoji.json").read_text())}
    version = json.loads((package / "package.json").read_text())["version"]
    rows = []
    for name, code in PICTURES.items():
        svg = (package / "color" / "svg" / f"{code}.svg").read_bytes()
        source = ("#set page(width: 72pt, height: 72pt, margin: 0pt)\n"
                  "#image(bytes(sys.inputs.svg), format: \"svg\", width: 100%)\n")
        png = typst.compile(source.encode(), format="png", ppi=256.0,
                            sys_inputs={"svg": svg.decode("utf-8")})
        assert isinstance(png, bytes)
        (OUT / f"{name}.png").write_bytes(png)
        entry = data[code]
        rows.append(f"| {name}.png | {entry['annotation']} | U+{code.replace('-', ' U+')} | "
                    f"{entry.get('openmoji_author') or 'OpenMoji'} |")
    (OUT / "ATTRIBUTION.md").write_text(
        "# The Easy Read sheet's pictures\n\n"
        f"All pictures here are from [OpenMoji](https://openmoji.org/) {version} – the "
        "open-source emoji and icon project – and are licensed under the Creative Commons "
        "Attribution-ShareAlike 4.0 International licence ([CC BY-SA 4.0]"
        "(https://creativecommons.org/licenses/by-sa/4.0/); its text is in LICENSE.txt beside "
        "them). They are OpenMoji's colour SVGs drawn as 256 × 256 pixel PNGs, otherwise "
        "unchanged, by `scripts/build_easyread_pictures.py`. They are not covered by swletter's "
        "MIT licence. Every Easy Read sheet swletter writes credits them in its footer.\n\n"
        "| file | picture | emoji | designer |\n|---|---|---|---|\n" + "\n".join(rows) + "\n",
        encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
