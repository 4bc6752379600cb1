#!/usr/bin/env python3
"""Build the name and place pools of the synthetic note generator (scripts/gen_notes.py).

CI runs on a clean clone without the reference-data bundle, so the generator reads small,
committed samples instead of the full lists. This script draws them, deterministically:

  tests/synth/pools/given_names.tsv  given names of the US (rules/dictionaries/first_names.tsv)
                                     and of GB, IE, NZ and Ontario (names-world), every
                                     frequency band
  tests/synth/pools/surnames.tsv     US Census surnames (rules/dictionaries/surnames.tsv), every band
  tests/synth/pools/places.tsv       ~500 GeoNames towns per country (US, GB, IE, CA, AU, NZ)

tests/synth/pools/origins.tsv is hand-written and is not touched here.

Usage (from the repository root):
  python3 scripts/build_synth_pools.py [--data ../shared/data] [--seed 20240611]
Python 3.10+, standard library only. Same inputs and seed give the same bytes.
"""
import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DICT = ROOT / "rules" / "dictionaries"
OUT = ROOT / "tests" / "synth" / "pools"

# Rank bands: a name's band is the first whose upper rank bound exceeds its rank.
BANDS = [("top", 200), ("common", 2000), ("mid", 10000), ("rare", 10**9)]
# How many names to draw per band (given names per region, surnames overall).
GIVEN_PER_BAND = {"US": 150, "GB": 120, "IE": 90, "NZ": 90, "CA": 90}
SURNAMES_PER_BAND = 600
PLACES_PER_COUNTRY = 500
PLACES_TOP = 150  # the most populous towns always included; the rest drawn at random

# names-world regions pooled into the generator's countries.
REGION_COUNTRY = {"GB-EAW": "GB", "GB-SCT": "GB", "GB-NIR": "GB", "IE": "IE", "NZ": "NZ",
                  "CA-ON": "CA"}

NAMES_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Office for National Statistics; National Records of Scotland; Northern Ireland Statistics "
    "and Research Agency). Source: Central Statistics Office, Ireland, licensed under CC BY 4.0. "
    "Source: Department of Internal Affairs (New Zealand), licensed under CC BY 4.0. Contains "
    "information licensed under the Open Government Licence - Ontario. Modified: yearly counts "
    "summed, names sampled.")
US_NAMES_ATTRIBUTION = (
    "US names: Social Security Administration baby names 1930-2010 and US Census 1990 name files, "
    "via rules/dictionaries/first_names.tsv and surnames.tsv; US federal works, public domain in "
    "the US (17 U.S.C. 105). Modified: sampled.")
GEONAMES_ATTRIBUTION = (
    "Contains data from GeoNames (www.geonames.org), licensed under CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/). Modified: columns and rows selected, "
    "region names joined from GeoNames admin1.")


def band_of(rank):
    for name, limit in BANDS:
        if rank < limit:
            return name
    return BANDS[-1][0]


def read_tsv(path, comment=True):
    """Rows of a TSV file as lists, skipping `#` lines and the header line."""
    rows = []
    header_seen = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or (comment and line.startswith("#")):
                continue
            if not header_seen and not comment:
                header_seen = True
                continue
            rows.append(line.split("\t"))
    return rows


def plain_name(name):
    """A name the generator can use: letters with at most inner hyphens or apostrophes."""
    if len(name) < 2:
        return False
    core = name.replace("-", "").replace("'", "")
    return core.isalpha() and name[0].isalpha() and name[-1].isalpha()


def title_case(name):
    """Ontario publishes upper case; keep inner capitals after hyphens and apostrophes."""
    if not name.isupper():
        return name
    out, up = [], True
    for ch in name:
        out.append(ch.upper() if up else ch.lower())
        up = ch in "-'"
    return "".join(out)


def sample_bands(rng, ranked, per_band):
    """`ranked` is in frequency order; draw up to per_band names from each rank band."""
    by_band = {}
    for rank, item in enumerate(ranked):
        by_band.setdefault(band_of(rank), []).append(item)
    picked = []
    for band, _ in BANDS:
        items = by_band.get(band, [])
        keep = range(len(items)) if len(items) <= per_band else rng.sample(range(len(items)), per_band)
        picked.extend((band, items[i]) for i in sorted(keep))
    return picked


def given_names(rng, data):
    rows = []
    us = [r[0] for r in read_tsv(DICT / "first_names.tsv") if plain_name(r[0])]
    for band, name in sample_bands(rng, us, GIVEN_PER_BAND["US"]):
        rows.append((name, "", "US", band))
    world = read_tsv(data / "names-world" / "given_names_by_region.tsv", comment=False)
    by_country = {}
    for region, name, sex, count, *_ in world:
        country = REGION_COUNTRY.get(region)
        if country is None:
            continue
        name = title_case(name)
        if not plain_name(name):
            continue
        by_country.setdefault(country, {})
        key = (name, sex)
        by_country[country][key] = by_country[country].get(key, 0) + int(count)
    for country in ("GB", "IE", "NZ", "CA"):
        ranked = sorted(by_country[country].items(), key=lambda kv: (-kv[1], kv[0]))
        for band, ((name, sex), _) in sample_bands(rng, ranked, GIVEN_PER_BAND[country]):
            rows.append((name, sex, country, band))
    return rows


def surnames(rng):
    ranked = [r[0] for r in read_tsv(DICT / "surnames.tsv") if plain_name(r[0])]
    return [(name, band) for band, name in sample_bands(rng, ranked, SURNAMES_PER_BAND)]


def places(rng, data):
    pw = data / "places-world"
    admin1 = {}
    for code, cc, a1, name, *_ in read_tsv(pw / "geonames_admin1.tsv", comment=False):
        admin1[(cc, a1)] = name
    by_cc = {}
    for gid, name, cc, a1, pop in read_tsv(pw / "geonames_cities500_us_gb_ie_ca_au_nz.tsv",
                                           comment=False):
        if len(name) < 3 or any(ch.isdigit() or ch in "()/," for ch in name):
            continue
        region = admin1.get((cc, a1), "")
        if cc != "US" and not region:
            continue
        by_cc.setdefault(cc, []).append((name, a1, region, int(pop or 0)))
    rows = []
    for cc in ("US", "GB", "IE", "CA", "AU", "NZ"):
        seen, uniq = set(), []
        for row in sorted(by_cc[cc], key=lambda r: (-r[3], r[0], r[1])):
            if row[0] not in seen:
                seen.add(row[0])
                uniq.append(row)
        top, rest = uniq[:PLACES_TOP], uniq[PLACES_TOP:]
        take = min(len(rest), PLACES_PER_COUNTRY - len(top))
        chosen = top + [rest[i] for i in sorted(rng.sample(range(len(rest)), take))]
        rows.extend((cc,) + row for row in chosen)
    return rows


def write(path, header_lines, columns, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in header_lines:
            f.write("# " + line + "\n")
        f.write("# Generated by scripts/build_synth_pools.py; do not edit by hand.\n")
        f.write("\t".join(columns) + "\n")
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"),
                    help="the reference-data bundle (names-world/, places-world/)")
    ap.add_argument("--seed", type=int, default=20240611)
    args = ap.parse_args()
    data = Path(args.data)
    if "physionet" in str(data) or "blind" in str(data):
        sys.exit("refusing an evaluation corpus as --data")
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    write(OUT / "given_names.tsv",
          ["Given names sampled per country and frequency band (top < 200th, common < 2000th,",
           "mid < 10000th, rare beyond) for the synthetic note generator.",
           "US: " + US_NAMES_ATTRIBUTION,
           "GB, IE, NZ, CA (Ontario): names-world/given_names_by_region.tsv. " + NAMES_ATTRIBUTION,
           "sex is empty for US names (the source sums both sexes)."],
          ["name", "sex", "country", "band"], given_names(rng, data))
    write(OUT / "surnames.tsv",
          ["Surnames sampled per frequency band for the synthetic note generator.",
           "Source: US Census 1990 dist.all.last via rules/dictionaries/surnames.tsv; US federal",
           "work, public domain in the US (17 U.S.C. 105). Modified: sampled."],
          ["name", "band"], surnames(rng))
    write(OUT / "places.tsv",
          ["Towns per country (the 150 most populous, the rest drawn at random) for the synthetic",
           "note generator. Source: GeoNames cities500 (places-world/geonames_cities500_us_gb_ie_ca_au_nz.tsv)",
           "and admin1 names (places-world/geonames_admin1.tsv).",
           GEONAMES_ATTRIBUTION],
          ["country", "name", "admin1_code", "region", "population"], places(rng, data))


if __name__ == "__main__":
    main()
