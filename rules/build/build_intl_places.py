#!/usr/bin/env python3
"""Writes rules/dictionaries/intl_places.tsv: the towns of the UK, Ireland, Canada, Australia
and New Zealand (GeoNames cities500, CC BY 4.0) with their population, and the US towns that
the Census list of incorporated places (us_places.tsv) lacks (census-designated places such as
"Hilo", "Chinle", "Metairie", and "Boise", which the Census calls "Boise City"), for the
detectors' place dictionary, from rules/risk/places.tsv (built by build_risk_tables.py from
GeoNames); and the cities of every other country with 100,000 people or more (GeoNames
cities5000), where clients were born or lived before they came ("four years in Nairobi").

Usage: python3 rules/build/build_intl_places.py   (deterministic; stdlib only)
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "rules" / "risk" / "places.tsv"
WORLD = ROOT.parent / "shared" / "data" / "places-world" / "geonames_cities5000.tsv"
SIX = {"US", "GB", "IE", "CA", "AU", "NZ"}
# A city of another country is listed from this size: big enough to be where someone says they
# come from, few enough (about 4,000) that a rare name is rarely a word of a note.
WORLD_MIN_POP = 100_000
WORLD_MIN_CHARS = 5
WORLD_NAME_MAX_PM = 1.0
OUT = ROOT / "rules" / "dictionaries" / "intl_places.tsv"
WORLD_OUT = ROOT / "rules" / "dictionaries" / "world_cities.tsv"

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

WORLD_HEADER = """# world_cities.tsv - cities of 100,000 people or more outside the US, UK, Ireland, Canada,
# Australia and New Zealand ("Nairobi", "Tapachula"): where a client was born or lived before
#
# Source: GeoNames (www.geonames.org), cities5000 extract; licence CC BY 4.0.
# Modified: cities of the six countries and of fewer than 100,000 people dropped; each listed
# under its GeoNames name and its ASCII spelling ("Pīlibhīt", "Pilibhit"), one row per name and
# country with the largest population; a city is left out when either spelling is an English,
# common or clinical word, the start of a common or clinical word ("Essen"), a given name or
# surname of one per million people or more ("Mary", "Santos"), or shorter than five letters.
# Not a surrogate pool.
# Derived from shared/data/places-world/geonames_cities5000.tsv by rules/build/build_intl_places.py.
# name\tcountry\tpopulation
"""


def words(path, tsv):
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            out.add((line.split("\t")[0] if tsv else line).strip().lower())
    return out


def write_places(path, header, places, what):
    """Writes `places` ((name, country) -> population) sorted by name, then country."""
    rows = sorted(places.items(), key=lambda kv: (kv[0][0].lower(), kv[0][1]))
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        for (name, country), pop in rows:
            f.write(f"{name}\t{country}\t{pop}\n")
    print(f"{path.relative_to(ROOT)}: {len(rows)} {what}")


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
    write_places(OUT, HEADER, best, "towns")
    # Cities of the other countries, by name and ASCII spelling ("Pīlibhīt", "Pilibhit").
    # A city named like a person ("Mary", "Nancy", "Santos": a given name or surname of one in
    # a million or more) or like the start of a frequent or clinical word ("Essen", "Tema")
    # would be read as a place where a note names a person or abbreviates a word.
    person_pm = {}
    for path in NAME_LISTS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                cols = line.split("\t")
                try:
                    pm = float(cols[1])
                except (IndexError, ValueError):
                    pm = 1.0
                key = cols[0].strip().lower()
                person_pm[key] = max(person_pm.get(key, 0.0), pm)
    word_stems = {w[:i] for w in common | safe for i in range(WORLD_MIN_CHARS, len(w))}
    world = {}
    if not WORLD.exists():
        raise SystemExit(f"{WORLD} is missing (shared/data/places-world)")
    for line in WORLD.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        name, ascii_name, country, pop = cols[1], cols[2], cols[3], int(cols[7])
        if country in SIX or pop < WORLD_MIN_POP:
            continue
        spellings = {name, ascii_name}
        if any(
            len(n) < WORLD_MIN_CHARS
            or n.lower() in english
            or n.lower() in common
            or n.lower() in safe
            or n.lower() in person_pm and person_pm[n.lower()] >= WORLD_NAME_MAX_PM
            or n.lower() in word_stems
            for n in spellings
        ):
            continue
        for n in spellings:
            key = (n, country)
            world[key] = max(world.get(key, 0), pop)
    write_places(WORLD_OUT, WORLD_HEADER, world, "cities")


if __name__ == "__main__":
    main()
