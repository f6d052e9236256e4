"""How long finding the part of the UK from a recipient takes: building the indexes once, then
each look-up (an exact name, a name inside a longer one, a postcode, nothing to go on).

    python benchmarks/bench_nations.py [--rounds 20000]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import time

from letters.case import nations

LOOKUPS = {
    "exact name": ("Cyngor Caerdydd", ["County Hall", "Cardiff", "CF10 4UW"]),
    "name inside another": ("Children's Services, Glasgow City Health and Social Care "
                            "Partnership", ["Commonwealth House", "Glasgow", "G2 1DU"]),
    "postcode": ("Family Support Hub", ["Lisburn Road", "Belfast", "BT9 7AB"]),
    "nothing to go on": ("Children's Services", ["Civic Centre", "High Street"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20_000)
    rounds = parser.parse_args().rounds

    start = time.perf_counter()
    nations.load_authorities()
    nations.nation_for_recipient("Cardiff Council", [])
    print(f"reading the data and building the indexes: "
          f"{(time.perf_counter() - start) * 1000:.1f} ms (once per process)")
    for label, (organisation, address) in LOOKUPS.items():
        start = time.perf_counter()
        for _ in range(rounds):
            nations.nation_for_recipient(organisation, address)
        each = (time.perf_counter() - start) / rounds * 1e6
        print(f"{label:>22}: {each:6.1f} µs a look-up ({rounds:,} rounds)")


if __name__ == "__main__":
    main()
