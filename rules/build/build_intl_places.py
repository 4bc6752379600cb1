#!/usr/bin/env python3
"""Writes rules/dictionaries/intl_places.tsv: the towns of the UK, Ireland, Canada, Australia
and New Zealand (GeoNames cities500, CC BY 4.0) with their population, and the US towns that
the Census list of incorporated places (us_places.tsv) lacks (census-designated places such as
"Hilo", "Chinle", "Metairie", and "Boise", which the Census calls "Boise City"), for the
detectors' place dictionary, from rules/risk/places.tsv (built by build_risk_tables.py from
GeoNames).

Usage: python3 rules/build/build_intl_places.py   (deterministic; stdlib only)
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "rules" / "risk" / "places.tsv"
OUT = ROOT / "rules" / "dictionaries" / "intl_places.tsv"

COMMON = ROOT / "rules" / "dictionaries" / "common_words.tsv"
US_PLACES = ROOT / "rules" / "dictionaries" / "us_places.tsv"
SAFE = ROOT / "rules" / "dictionaries" / "clinical_terms.txt"
ENGLISH = ROOT / "rules" / "dictionaries" / "english_words.txt"
NAME_LISTS = [
    ROOT / "rules" / "dictionaries" / "first_names.tsv",
    ROOT / "rules" / "dictionaries" / "surnames.tsv",
    ROOT / "rules" / "dictionaries" / "given_names_world.tsv",
]
# A town named by a frequent word (common_words.tsv: "Send", "Healing") is kept only when it is
# large; one named by a rare word of the big English list ("Parramatta", "Matamata", "Blarney":
# SCOWL size 80 holds them as words) from 1,000 people, and the detectors then want a place cue
# or a region after it before they call it a place.
COMMON_WORD_MIN_POP = 50_000
RARE_WORD_MIN_POP = 1_000

HEADER = """# intl_places.tsv - towns of the UK, Ireland, Canada, Australia and New Zealand with population,
# and US towns missing from us_places.tsv (census-designated places: "Hilo", "Chinle")
#
# Source: GeoNames (www.geonames.org), cities500 extract for GB, IE, CA, AU, NZ, US; licence CC BY 4.0.
# Modified: only towns (feature class P) kept, one row per name and country, the largest
# population kept; towns named by a clinical safe-list word ("Hospital") dropped, and towns
# named by a frequent English word ("Send", "Healing") dropped below 50,000 people, by a rare one
# ("Broke", "Moil") below 1,000 (an added US town at any size). A town GeoNames calls "X City" is listed as "X" too ("Manukau
# City" as "Manukau"), unless X is a word or a given name or surname ("Logan City", "White City").
# Derived from rules/risk/places.tsv by rules/build/build_intl_places.py.
# name\tcountry\tpopulation
"""


def words(path, tsv):
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            out.add((line.split("\t")[0] if tsv else line).strip().lower())
    return out


def main():
    common = words(COMMON, True)
    english = words(ENGLISH, False)
    safe = words(SAFE, False)
    # US towns the Census list already has (by name, any state) are not repeated.
    us_listed = words(US_PLACES, True)
    best = {}
    for line in SRC.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, country, _region, _code, pop, kind = line.split("\t")
        if kind != "town" or country == "US" and name.lower() in us_listed:
            continue
        low = name.lower()
        if (
            low in safe
            or (low in common and int(pop) < COMMON_WORD_MIN_POP)
            or (low in english and int(pop) < RARE_WORD_MIN_POP)
            # The added US towns are many and mostly unincorporated: none named by an English
            # word ("Progress", "Spring", "Paradise").
            or (country == "US" and (low in english or low in common))
        ):
            continue
        key = (name, country)
        best[key] = max(best.get(key, 0), int(pop))
    # "Manukau City" is written "Manukau": the stem too, when it is no word and no name.
    names = set()
    for path in NAME_LISTS:
        names |= words(path, True)
    for (name, country), pop in list(best.items()):
        stem = name[: -len(" City")] if name.endswith(" City") else ""
        low = stem.lower()
        if (
            stem
            and " " not in stem
            and low not in common
            and low not in english
            and low not in names
            and (stem, country) not in best
        ):
            best[(stem, country)] = pop
    rows = sorted(best.items(), key=lambda kv: (kv[0][0].lower(), kv[0][1]))
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER)
        for (name, country), pop in rows:
            f.write(f"{name}\t{country}\t{pop}\n")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} towns")


if __name__ == "__main__":
    main()
