#!/usr/bin/env python3
"""Build the deid lookup dictionaries in rules/dictionaries/ from public reference data.

Run from the repository root:

    python3 rules/build/build_dictionaries.py --data ../shared/data

Inputs (read only):

* ``<data>/names/ssa_first_names.tsv``   SSA baby names 1930-2010, both sexes (public domain)
* ``<data>/names/dist.female.first``     Census 1990 female first names (public domain)
* ``<data>/names/dist.male.first``       Census 1990 male first names (public domain)
* ``<data>/names/dist.all.last``         Census 1990 surnames (public domain)
* ``<data>/places/places_2019.tsv``      Census PEP V2019 incorporated places (public domain)
* ``<data>/places/counties_2019.tsv``    Census PEP V2019 states and counties (public domain)
* ``<dict>/american-english``            SCOWL size 50 word list (Debian package ``wamerican``)
* ``<dict>/american-english-small``      SCOWL size 35 word list (Debian package ``wamerican-small``)

Outputs (overwritten on every run; the output is deterministic, no timestamps):

* ``first_names.tsv``   name, per_million, sex (F, M or U)
* ``surnames.tsv``      name, per_million
* ``us_places.tsv``     name, state (USPS code), population
* ``us_states.tsv``     name, usps_abbreviation
* ``us_counties.tsv``   name, state (USPS code), population
* ``common_words.tsv``  word, tier

``clinical_terms.txt`` in the same folder is hand-written and is NOT generated; this script only
checks it (lower case, no duplicates, no weekday or month names) and reports how many of its
terms collide with the generated name and place dictionaries.

Every output file starts with ``#`` comment lines (source, licence, generating command, input
sha256) and then has TAB-separated data lines, UTF-8, ``\\n`` line ends.

Never point ``--data`` at, or read anything from, ``physionet-dev/``: it is an evaluation corpus and
nothing from it may enter a dictionary. The script refuses to run if a data path contains
``physionet``.

Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data"
DEFAULT_DICT = Path("/usr/share/dict")
DEFAULT_OUT = REPO_ROOT / "rules" / "dictionaries"
COMMAND = "python3 rules/build/build_dictionaries.py --data ../shared/data"

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

# Total SSA births 1930-2010 (all names, both sexes, before the >= 50 cut), as stated in
# shared/data/names/README.md. The file itself keeps 273,987,367 of them; 788,329 births in pairs
# with a total < 50 were dropped. Checked at run time.
SSA_TOTAL_BIRTHS_1930_2010 = 274_775_696
SSA_DROPPED_BIRTHS = 788_329

# 1990 Census resident population by sex (1990 Census of Population, General Population
# Characteristics, United States; total 248,709,873). Used to turn the Census first-name
# percentages (percent of females / percent of males) into per-million of the whole population.
CENSUS_1990_FEMALE = 127_470_455
CENSUS_1990_MALE = 121_239_418
CENSUS_1990_TOTAL = CENSUS_1990_FEMALE + CENSUS_1990_MALE

# Census surnames printed with frequency 0.000 (i.e. < 0.0005 %, fewer than ~1,250 people) are
# real but rare; give them this per-million value instead of 0.
SURNAME_ZERO_PER_MILLION = 0.5

# USPS codes: 50 states + DC, then the five inhabited territories.
STATES = [
    ("Alabama", "AL"), ("Alaska", "AK"), ("Arizona", "AZ"), ("Arkansas", "AR"),
    ("California", "CA"), ("Colorado", "CO"), ("Connecticut", "CT"), ("Delaware", "DE"),
    ("District of Columbia", "DC"), ("Florida", "FL"), ("Georgia", "GA"), ("Hawaii", "HI"),
    ("Idaho", "ID"), ("Illinois", "IL"), ("Indiana", "IN"), ("Iowa", "IA"), ("Kansas", "KS"),
    ("Kentucky", "KY"), ("Louisiana", "LA"), ("Maine", "ME"), ("Maryland", "MD"),
    ("Massachusetts", "MA"), ("Michigan", "MI"), ("Minnesota", "MN"), ("Mississippi", "MS"),
    ("Missouri", "MO"), ("Montana", "MT"), ("Nebraska", "NE"), ("Nevada", "NV"),
    ("New Hampshire", "NH"), ("New Jersey", "NJ"), ("New Mexico", "NM"), ("New York", "NY"),
    ("North Carolina", "NC"), ("North Dakota", "ND"), ("Ohio", "OH"), ("Oklahoma", "OK"),
    ("Oregon", "OR"), ("Pennsylvania", "PA"), ("Rhode Island", "RI"), ("South Carolina", "SC"),
    ("South Dakota", "SD"), ("Tennessee", "TN"), ("Texas", "TX"), ("Utah", "UT"),
    ("Vermont", "VT"), ("Virginia", "VA"), ("Washington", "WA"), ("West Virginia", "WV"),
    ("Wisconsin", "WI"), ("Wyoming", "WY"),
]
TERRITORIES = [
    ("Puerto Rico", "PR"), ("Guam", "GU"), ("US Virgin Islands", "VI"),
    ("American Samoa", "AS"), ("Northern Mariana Islands", "MP"),
]
USPS = dict(STATES)

# Legal-type words the places mirror left on some names (it stripped only city/town/village/
# borough). Longest first. They are removed; the place is kept.
PLACE_LEGAL_SUFFIXES = [
    " city and borough",
    " and borough",
    " (balance)",
    " municipality",
    " metroship",
    " corporation",
    " borough",
    " CDP",
]

# Consolidated city-county governments missing from places_2019.tsv (see places/README.md).
# Each is given the July 2019 population of the county it is consolidated with. The first name is
# the everyday one; the others are the Census consolidated-government names.
CONSOLIDATED = [
    (("Indianapolis",), "IN", "Marion County"),
    (("Nashville", "Nashville-Davidson"), "TN", "Davidson County"),
    (("Louisville", "Louisville/Jefferson County"), "KY", "Jefferson County"),
    (("Lexington", "Lexington-Fayette"), "KY", "Fayette County"),
    (("Augusta", "Augusta-Richmond County"), "GA", "Richmond County"),
    (("Athens", "Athens-Clarke County"), "GA", "Clarke County"),
    (("Macon", "Macon-Bibb County"), "GA", "Bibb County"),
    (("Butte", "Butte-Silver Bow"), "MT", "Silver Bow County"),
]

# Everyday names for places whose Census name is a longer form (same population).
PLACE_ALIASES = {
    ("Urban Honolulu", "HI"): "Honolulu",
    ("Islamorada, Village of Islands", "FL"): "Islamorada",
}

# Weekday and month names/abbreviations must not be in clinical_terms.txt (they are date cues).
CALENDAR_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}

PUBLIC_DOMAIN = ("US federal government work, public domain in the US (17 U.S.C. 105)")


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fmt_num(v: float) -> str:
    """Compact, deterministic number: integers >= 1000, else 4 significant digits."""
    if v >= 1000:
        return str(int(round(v)))
    s = f"{v:.4g}"
    assert "e" not in s, v
    return s


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(header):
            sys.exit(f"{path}:{n}: expected {len(header)} fields, got {len(fields)}")
        rows.append(dict(zip(header, fields)))
    return rows


def read_census_dist(path: Path) -> list[tuple[str, float]]:
    """Census 1990 dist.* file: NAME freq cumfreq rank (whitespace separated, no header)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        parts = line.split()
        if len(parts) != 4 or not re.fullmatch(r"[A-Z]+", parts[0]):
            sys.exit(f"{path}:{n}: unexpected line {line!r}")
        out.append((parts[0], float(parts[1])))
    return out


def title_name(upper: str, mc: bool) -> str:
    """MARY -> Mary; with mc=True, MCDONALD -> McDonald (only the MC prefix is handled)."""
    if mc and upper.startswith("MC") and len(upper) >= 4:
        return "Mc" + upper[2:].capitalize()
    return upper.capitalize()


def write_out(path: Path, header: list[str], columns: list[str], rows: list[tuple]) -> None:
    lines = [f"# {h}" if h else "#" for h in header]
    lines.append("# columns: " + "<TAB>".join(columns))
    for row in rows:
        fields = [str(x) for x in row]
        for x in fields:
            assert "\t" not in x and "\n" not in x and x, (path, row)
        lines.append("\t".join(fields))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def common_header(title: str, sources: list[tuple[str, Path]], licence: list[str],
                  transform: list[str]) -> list[str]:
    h = [title, ""]
    h.append("Source:")
    for desc, p in sources:
        h.append(f"  {desc}")
        h.append(f"    file {p.name}, sha256 {sha256(p)}")
    h.append("Licence:")
    h += [f"  {x}" for x in licence]
    h.append("Transformation:")
    h += [f"  {x}" for x in transform]
    h.append("Generated by (from the repository root; do not edit by hand):")
    h.append(f"  {COMMAND}")
    h.append("See rules/SOURCES.md.")
    return h


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------

# A first name is female (F) or male (M) when at least this share of its bearers is of that sex,
# otherwise given to both (U). Read by the surrogate strategy to keep a person's sex.
SEX_SHARE = 0.9


def name_sex(female: float, male: float) -> str:
    total = female + male
    if total <= 0:
        return "U"
    if female / total >= SEX_SHARE:
        return "F"
    if male / total >= SEX_SHARE:
        return "M"
    return "U"


def build_first_names(data: Path) -> dict[str, tuple[str, float, str]]:
    """Return {lower: (display name, per_million, sex)}."""
    ssa_path = data / "names" / "ssa_first_names.tsv"
    ssa_rows = read_tsv(ssa_path)
    kept = sum(int(r["count_1930_2010"]) for r in ssa_rows)
    if kept + SSA_DROPPED_BIRTHS != SSA_TOTAL_BIRTHS_1930_2010:
        sys.exit(f"SSA total mismatch: kept {kept} + dropped {SSA_DROPPED_BIRTHS}"
                 f" != {SSA_TOTAL_BIRTHS_1930_2010}")
    ssa: dict[str, list] = {}
    for r in ssa_rows:
        name = r["name"]
        key = name.lower()
        entry = ssa.setdefault(key, [name, 0, 0, 0])
        entry[1] += int(r["count_1930_2010"])
        entry[2 if r["sex"] == "F" else 3] += int(r["count_1930_2010"])
    ssa_pm = {k: (v[0], v[1] / SSA_TOTAL_BIRTHS_1930_2010 * 1e6) for k, v in ssa.items()}

    census: dict[str, float] = {}
    census_by_sex: dict[str, list[float]] = {}
    for i, (fname, share) in enumerate(
            (("dist.female.first", CENSUS_1990_FEMALE / CENSUS_1990_TOTAL),
             ("dist.male.first", CENSUS_1990_MALE / CENSUS_1990_TOTAL))):
        for upper, pct in read_census_dist(data / "names" / fname):
            key = upper.lower()
            # percent of one sex -> per million of that sex (x 1e4) -> per million of all people
            census[key] = census.get(key, 0.0) + pct * 1e4 * share
            census_by_sex.setdefault(key, [0.0, 0.0])[i] += pct * 1e4 * share

    out: dict[str, tuple[str, float, str]] = {}
    for key in set(ssa_pm) | set(census):
        if len(key) < 2:
            continue
        if key in ssa_pm:
            display, pm = ssa_pm[key]
            pm = max(pm, census.get(key, 0.0))
            sex = name_sex(ssa[key][2], ssa[key][3])
        else:
            display, pm = key.upper().capitalize(), census[key]
            sex = name_sex(*census_by_sex[key])
        out[key] = (display, pm, sex)
    return out


def build_surnames(data: Path) -> dict[str, tuple[str, float]]:
    out: dict[str, tuple[str, float]] = {}
    for upper, pct in read_census_dist(data / "names" / "dist.all.last"):
        if len(upper) < 2:
            continue
        pm = pct * 1e4 if pct > 0 else SURNAME_ZERO_PER_MILLION
        key = upper.lower()
        if key in out:
            sys.exit(f"duplicate surname {upper}")
        out[key] = (title_name(upper, mc=True), pm)
    return out


def clean_place_name(name: str, state: str) -> tuple[str, list[str]]:
    """Return (clean name, aliases)."""
    aliases: list[str] = []
    changed = True
    while changed:
        changed = False
        for suf in PLACE_LEGAL_SUFFIXES:
            if name.endswith(suf):
                name = name[: -len(suf)]
                changed = True
    # Massachusetts "Town cities": Census legal name "Agawam Town city"; the mirror stripped only
    # the final "city". Everyone calls the place "Agawam".
    if state == "MA" and name.endswith(" Town"):
        name = name[: -len(" Town")]
    # "San Buenaventura (Ventura)": keep both the legal name and the everyday name.
    m = re.fullmatch(r"(.+?) \((.+)\)", name)
    if m:
        name = m.group(1)
        aliases.append(m.group(2))
    # "City of Creede", "Village of Clarkston", "The Village of Indian Hill": add the bare name.
    m = re.fullmatch(r"(?:The )?(?:City|Town|Village) of ([A-Z].*)", name)
    if m:
        aliases.append(m.group(1))
    if (name, state) in PLACE_ALIASES:
        aliases.append(PLACE_ALIASES[(name, state)])
    return name, aliases


def build_counties(data: Path) -> list[tuple[str, str, int]]:
    rows = read_tsv(data / "places" / "counties_2019.tsv")
    out = []
    for r in rows:
        if r["COUNTY"] == "000":
            continue
        st = USPS[r["STNAME"]]
        out.append((r["CTYNAME"], st, int(r["POPESTIMATE2019"])))
    return out


def build_places(data: Path, counties: list[tuple[str, str, int]]
                 ) -> tuple[dict[tuple[str, str], int], list[str]]:
    rows = read_tsv(data / "places" / "places_2019.tsv")
    places: dict[tuple[str, str], int] = {}
    notes: list[str] = []

    def add(name: str, st: str, pop: int) -> None:
        name = name.strip()
        if len(name) < 2:
            return
        key = (name, st)
        places[key] = max(pop, places.get(key, -1))

    for r in rows:
        st = USPS[r["STNAME"]]
        pop = int(r["POPESTIMATE2019"])
        name, aliases = clean_place_name(r["NAME"], st)
        if name != r["NAME"] or aliases:
            notes.append(f"{r['NAME']!r} ({st}) -> {name!r}" + (f" + {aliases}" if aliases else ""))
        add(name, st, pop)
        for a in aliases:
            add(a, st, pop)

    county_pop = {(n, st): p for n, st, p in counties}
    for names, st, county in CONSOLIDATED:
        pop = county_pop[(county, st)]
        for n in names:
            if (n, st) in places:
                notes.append(f"consolidated {n} ({st}) already present")
            add(n, st, pop)
        notes.append(f"consolidated {names} ({st}) <- {county} {pop}")
    return places, notes


CALENDAR = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december"]


def read_words(path: Path) -> set[str]:
    """Lower-case dictionary words only: no capitalised proper nouns, no possessives."""
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        w = line.strip()
        if re.fullmatch(r"[a-z]+", w):
            words.add(w)
    return words


WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}


def check_clinical_terms(path: Path, name_keys: set[str], place_keys: set[str]) -> None:
    if not path.exists():
        print(f"warning: {path} not found (it is hand-written, not generated)")
        return
    terms: list[str] = []
    problems = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line != line.lower():
            problems.append(f"line {n}: not lower case: {line!r}")
        # Month names must stay visible to the date rules; weekdays may be listed (a weekday
        # alone is no date element, and "on Saturday" is no place).
        if line in CALENDAR_WORDS and line not in WEEKDAYS:
            problems.append(f"line {n}: month word: {line!r}")
        if "\t" in line:
            problems.append(f"line {n}: contains a TAB")
        terms.append(line)
    seen: set[str] = set()
    for t in terms:
        if t in seen:
            problems.append(f"duplicate term: {t!r}")
        seen.add(t)
    for p in problems:
        print(f"clinical_terms.txt: {p}")
    names = sorted(t for t in seen if t in name_keys)
    places = sorted(t for t in seen if t in place_keys)
    print(f"clinical_terms.txt: {len(terms)} terms, {len(problems)} problems; "
          f"{len(names)} also in first_names/surnames, {len(places)} also in us_places")
    print("  name collisions:", " ".join(names))
    print("  place collisions:", " ".join(places))
    if problems:
        sys.exit(1)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="shared reference-data folder (default: ../shared/data from repo root)")
    ap.add_argument("--dict", type=Path, default=DEFAULT_DICT,
                    help="folder with american-english and american-english-small "
                         "(default: /usr/share/dict)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="output folder (default: rules/dictionaries)")
    args = ap.parse_args()

    data: Path = args.data.resolve()
    if "physionet" in str(data).lower():
        sys.exit("refusing to read from a physionet path: evaluation data must not enter a dictionary")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    words_large_path = args.dict / "american-english"
    words_small_path = args.dict / "american-english-small"
    for p in (words_large_path, words_small_path):
        if not p.exists():
            sys.exit(f"{p} missing: apt-get install -y wamerican wamerican-small")

    names_dir = data / "names"
    places_dir = data / "places"

    # 1. first names -------------------------------------------------------------------------
    first = build_first_names(data)
    rows = sorted(first.values(), key=lambda x: (-x[1], x[0]))
    write_out(
        out / "first_names.tsv",
        common_header(
            "first_names.tsv - US first names with frequency per million people",
            [("SSA Baby Names, National Data, births 1930-2010 summed "
              "(mirror hackerb9/ssa-baby-names @ 0b1a1316)", names_dir / "ssa_first_names.tsv"),
             ("Census 1990 female first names (mirror nullstyle/name-database @ 46d2e01a)",
              names_dir / "dist.female.first"),
             ("Census 1990 male first names (mirror nullstyle/name-database @ 46d2e01a)",
              names_dir / "dist.male.first")],
            [PUBLIC_DOMAIN],
            ["SSA: both sexes summed; per_million = births / 274,775,696 total births 1930-2010 * 1e6.",
             "Census: percent * 1e4 * share of that sex in the 1990 population "
             "(F 127,470,455, M 121,239,418), summed over both files; names title-cased.",
             "Union keyed case-insensitively; SSA spelling wins; per_million = max of the two.",
             "Names shorter than 2 characters dropped. Sorted by per_million desc, then name.",
             "sex: F or M when >= 90% of the name's bearers are of that sex (SSA counts by sex;",
             "  Census female/male per million for Census-only names), else U (both)."]),
        ["name", "per_million", "sex"],
        [(n, fmt_num(pm), sex) for n, pm, sex in rows])

    # 2. surnames ----------------------------------------------------------------------------
    sur = build_surnames(data)
    rows = sorted(sur.values(), key=lambda x: (-x[1], x[0]))
    write_out(
        out / "surnames.tsv",
        common_header(
            "surnames.tsv - US surnames with frequency per million people",
            [("Census 1990 surnames (mirror nullstyle/name-database @ 46d2e01a)",
              names_dir / "dist.all.last")],
            [PUBLIC_DOMAIN],
            ["per_million = percent * 1e4; names printed with frequency 0.000 (rare but real) "
             f"get {SURNAME_ZERO_PER_MILLION}.",
             "Title-cased (SMITH -> Smith); the MC prefix becomes Mc (MCDONALD -> McDonald); "
             "no other prefix is changed (MACK -> Mack).",
             "The Census file has no apostrophes or spaces (OBRIEN, DELACRUZ).",
             "Names shorter than 2 characters dropped. Sorted by per_million desc, then name."]),
        ["name", "per_million"],
        [(n, fmt_num(pm)) for n, pm in rows])

    # 5. counties (needed by places) ---------------------------------------------------------
    counties = build_counties(data)
    rows = sorted(counties, key=lambda x: (-x[2], x[0], x[1]))
    write_out(
        out / "us_counties.tsv",
        common_header(
            "us_counties.tsv - US counties and county equivalents with July 2019 population",
            [("Census PEP Vintage 2019 CO-EST2019-alldata (mirror huntwelch/covid @ 395ff1d7)",
              places_dir / "counties_2019.tsv")],
            [PUBLIC_DOMAIN],
            ["County rows only (COUNTY != 000; the 51 state rows are dropped).",
             "Names as Census writes them: Fayette County, Orleans Parish, Nome Census Area, "
             "Juneau City and Borough, Richmond city (VA independent city), District of Columbia.",
             "state = USPS code of STNAME. Sorted by population desc, then name."]),
        ["name", "state", "population"],
        rows)

    # 3. places ------------------------------------------------------------------------------
    places, notes = build_places(data, counties)
    rows = sorted(((n, st, p) for (n, st), p in places.items()), key=lambda x: (-x[2], x[0], x[1]))
    write_out(
        out / "us_places.tsv",
        common_header(
            "us_places.tsv - US incorporated places with July 2019 population",
            [("Census PEP Vintage 2019 SUB-EST2019_ALL, SUMLEV 162 "
              "(mirror KrystalDodd/Project_one @ e604fabe)", places_dir / "places_2019.tsv"),
             ("Census PEP Vintage 2019 CO-EST2019-alldata, for consolidated city-counties "
              "(mirror huntwelch/covid @ 395ff1d7)", places_dir / "counties_2019.tsv")],
            [PUBLIC_DOMAIN],
            ["Legal-type words left by the mirror are stripped: 'city and borough', 'and borough',",
             "  '(balance)', 'municipality', 'metroship', 'corporation', 'borough', 'CDP';",
             "  Massachusetts 'X Town' (Census 'X Town city') -> 'X'.",
             "Parenthesised everyday names become extra rows: 'San Buenaventura (Ventura)' ->",
             "  'San Buenaventura' and 'Ventura'. 'City/Town/Village of X' also adds 'X';",
             "  'Urban Honolulu' also adds 'Honolulu'; 'Islamorada, Village of Islands' adds 'Islamorada'.",
             "Consolidated city-counties missing from the source are added with their county's",
             "  population: Indianapolis (Marion Co IN), Nashville (Davidson Co TN), Louisville",
             "  (Jefferson Co KY), Lexington (Fayette Co KY), Augusta (Richmond Co GA), Athens",
             "  (Clarke Co GA), Macon (Bibb Co GA), Butte (Silver Bow Co MT), plus their Census",
             "  consolidated names (Nashville-Davidson, Lexington-Fayette, ...).",
             "Deduplicated by (name, state) keeping the largest population.",
             "state = USPS code. Sorted by population desc, then name, then state."]),
        ["name", "state", "population"],
        rows)

    # 4. states ------------------------------------------------------------------------------
    county_states = {r["STNAME"] for r in read_tsv(places_dir / "counties_2019.tsv")}
    if county_states != {s for s, _ in STATES}:
        sys.exit(f"state list mismatch: {sorted(county_states ^ {s for s, _ in STATES})}")
    write_out(
        out / "us_states.tsv",
        ["us_states.tsv - US states, DC and inhabited territories with USPS codes", "",
         "Source: USPS two-letter state and territory codes (USPS Publication 28, Appendix B),",
         "  written into the build script; state names checked against the STNAME column of",
         f"  counties_2019.tsv (sha256 {sha256(places_dir / 'counties_2019.tsv')}).",
         "Licence: facts / US federal government work, public domain in the US.",
         "Rows: 50 states + District of Columbia (alphabetical), then PR, GU, VI, AS, MP.",
         "Generated by (from the repository root; do not edit by hand):",
         f"  {COMMAND}",
         "See rules/SOURCES.md."],
        ["name", "usps_abbreviation"],
        STATES + TERRITORIES)

    # 6. common words ------------------------------------------------------------------------
    small = read_words(words_small_path)
    large = read_words(words_large_path)
    name_keys = set(first) | set(sur)
    place_keys = {n.lower() for n, _ in places}
    dict_keys = name_keys | place_keys
    common = []
    for w in sorted(small | large):
        if w in dict_keys:
            common.append((w, 1 if w in small else 2))
    # Weekday and month names are capitalised in the word lists, so add them by hand: as
    # names (Sunday, April, June) they need context like any very common word.
    for w in CALENDAR:
        if w in dict_keys and w not in {c for c, _ in common}:
            common.append((w, 1))
    common.sort(key=lambda x: (x[1], x[0]))
    write_out(
        out / "common_words.tsv",
        ["common_words.tsv - lower-case English words that are also a first name, surname or place",
         "",
         "A dictionary hit on one of these words needs context to count as a name or place.",
         "Source:",
         "  SCOWL word lists as packaged by Debian (wamerican "
         f"{dpkg_version('wamerican')}, wamerican-small {dpkg_version('wamerican-small')}):",
         f"    {words_small_path} (SCOWL size 35), sha256 {sha256(words_small_path)}",
         f"    {words_large_path} (SCOWL size 50), sha256 {sha256(words_large_path)}",
         "  intersected with first_names.tsv, surnames.tsv and us_places.tsv of this folder.",
         "Licence: SCOWL, permissive; the notice must be kept:",
         "  Copyright 2000-2011 by Kevin Atkinson",
         "  Permission to use, copy, modify, distribute and sell these word",
         "  lists, the associated scripts, the output created from the scripts,",
         "  and its documentation for any purpose is hereby granted without fee,",
         "  provided that the above copyright notice appears in all copies and",
         "  that both that copyright notice and this permission notice appear in",
         "  supporting documentation. Kevin Atkinson makes no representations",
         "  about the suitability of this array for any purpose. It is provided",
         "  \"as is\" without express or implied warranty.",
         "  Further notices (Ispell/VARCON, WordNet 1.6, UKACD) are quoted in rules/SOURCES.md and",
         "  /usr/share/doc/wamerican/copyright. Name and place lists: public domain (US federal).",
         "Transformation: dictionary lines that are entirely [a-z] (no capitalised proper nouns,",
         "  no possessives) and equal, case-insensitively, to a whole entry of first_names,",
         "  surnames or us_places. tier 1 = in SCOWL 35 (american-english-small, very common);",
         "  tier 2 = only in SCOWL 50 (american-english). Sorted by tier, then word.",
         "Generated by (from the repository root; do not edit by hand):",
         f"  {COMMAND}",
         "See rules/SOURCES.md."],
        ["word", "tier"],
        common)

    # 6b. other English words ---------------------------------------------------------------
    # The ordinary-word list uses the much larger SCOWL size 80 list (american-english-huge), so
    # that medical and technical words (tamponade, intubation) are known as words and are not
    # mistaken for unknown names.
    huge_path = args.dict / "american-english-huge"
    huge = read_words(huge_path) if huge_path.exists() else set()
    if not huge:
        sys.exit(f"{huge_path} not found: apt-get install wamerican-huge")
    english = sorted((small | large | huge | set(CALENDAR)) - dict_keys)
    path = out / "english_words.txt"
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for line in ["english_words.txt - lower-case English words that are NOT a name or place entry",
                     "",
                     "A capitalised word found here is an ordinary word, not an unknown name.",
                     "Source: SCOWL lists as packaged by Debian: american-english-small (35), american-english (50)",
                     "  and american-english-huge (80, package wamerican-huge), entirely [a-z]",
                     "  lines, minus every entry of first_names, surnames and us_places; plus weekday",
                     "  and month names. Licence: SCOWL notice as quoted in common_words.tsv and SOURCES.md.",
                     "Generated by (from the repository root; do not edit by hand):",
                     f"  {COMMAND}",
                     "See rules/SOURCES.md."]:
            fh.write(("# " + line).rstrip() + "\n")
        for w in english:
            fh.write(w + "\n")

    # 7. hand-written clinical terms: check only ---------------------------------------------
    check_clinical_terms(out / "clinical_terms.txt", name_keys, place_keys)

    # Report ---------------------------------------------------------------------------------
    print("place name changes:")
    for n in notes:
        print("  " + n)
    total = 0
    for f in sorted(out.iterdir()):
        if f.is_file():
            size = f.stat().st_size
            total += size
            data_rows = sum(1 for line in f.read_text(encoding="utf-8").splitlines()
                            if line and not line.startswith("#"))
            print(f"{f.name:20s} {data_rows:8d} rows {size:10d} bytes")
    print(f"{'total':20s} {'':8s}      {total:10d} bytes")
    tiers = {w: t for w, t in common}
    print("common_words tiers:", {t: sum(1 for x in common if x[1] == t) for t in (1, 2)})
    for w in ("will", "may", "grace", "hope", "brown", "young", "king", "rose", "mobile",
              "reading", "bill", "smith"):
        print(f"  {w}: tier {tiers.get(w, '-')}")


def dpkg_version(pkg: str) -> str:
    """Installed Debian package version, read from the dpkg status file (stdlib only)."""
    status = Path("/var/lib/dpkg/status")
    if not status.exists():
        return "version unknown"
    for block in status.read_text(encoding="utf-8", errors="replace").split("\n\n"):
        if f"Package: {pkg}\n" in block + "\n":
            m = re.search(r"^Version: (.+)$", block, re.M)
            if m:
                return m.group(1)
    return "version unknown"


if __name__ == "__main__":
    main()
