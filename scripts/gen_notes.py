#!/usr/bin/env python3
"""Generate gold-annotated synthetic clinical and psychotherapy notes (JSONL for `deid eval`).

Documents are composed of 3-12 hand-written sentence frames ("templates") of one style
(nursing shorthand, SOAP/DAP/BIRP, intake, letter, referral, group, couple/family, school,
crisis, discharge, insurance, transcript, teletherapy), filled with names, places, dates,
numbers and organisations in the formats of one of six countries (US, UK, IE, CA, AU, NZ),
then written in mixed case, ALL CAPS or lower case. Frames also carry hard negatives (drugs,
instruments, eponyms, therapy models, famous people, crisis lines, vitals, scores) that are
not spans; their offsets are listed under `negatives` for precision analysis.

Every frame has a stable id. A stable hash of the id puts about a quarter of the frames in
the `heldout` split; a document of one split uses frames of that split only, so a scorer
trained on `--templates-split train` never sees the wording of a heldout document.

Usage:
  python3 scripts/gen_notes.py --seed 1 --docs 600 --out FILE [--templates-split train|heldout|all]
Stdlib only, Python 3.10+. Same arguments give the same bytes. Pools: tests/synth/pools/.
"""
import argparse
import collections
import hashlib
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POOLS = ROOT / "tests" / "synth" / "pools"
COUNTRIES = ["US", "UK", "IE", "CA", "AU", "NZ"]
HELDOUT_PERCENT = 25
# Salt of the split hash: the first of synth-1..synth-59 that puts 24-28 % of the frames in
# heldout with at least two shared, foreign-language and transcript-turn frames in each split
# (the unsalted hash happened to give 34 %). Changing it reshuffles every split: don't.
SPLIT_SALT = "synth-30:"


def frame_split(frame_id):
    """`heldout` for about HELDOUT_PERCENT % of frame ids, stable across runs and machines."""
    h = int(hashlib.sha256((SPLIT_SALT + frame_id).encode("utf-8")).hexdigest()[:8], 16)
    return "heldout" if h % 100 < HELDOUT_PERCENT else "train"


# ----------------------------------------------------------------------------- pools

def read_pool(name):
    rows, header = [], None
    for line in open(POOLS / name, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        if header is None:
            header = line.split("\t")
            continue
        rows.append(dict(zip(header, line.split("\t"))))
    return rows


class Pools:
    def __init__(self):
        self.given = collections.defaultdict(lambda: collections.defaultdict(list))
        for r in read_pool("given_names.tsv"):
            self.given[r["country"]][r["band"]].append(r["name"])
        self.surnames = collections.defaultdict(list)
        for r in read_pool("surnames.tsv"):
            self.surnames[r["band"]].append(r["name"])
        self.origin = collections.defaultdict(lambda: collections.defaultdict(list))
        for r in read_pool("origins.tsv"):
            self.origin[r["origin"]][r["part"]].append(r["name"])
        self.places = collections.defaultdict(list)
        for r in read_pool("places.tsv"):
            self.places["UK" if r["country"] == "GB" else r["country"]].append(r)


BAND_WEIGHTS = {"top": 0.35, "common": 0.3, "mid": 0.2, "rare": 0.15}
# Given-name pools of the data (by country) and hand-written origins, with weights per country.
NAME_MIX = {
    "US": [("pool:US", 55), ("hispanic", 10), ("korean", 4), ("vietnamese", 4), ("yoruba", 3),
           ("igbo", 3), ("south_asian", 5), ("punjabi", 2), ("dutch_german", 2), ("nordic", 3),
           ("hyphenated", 2), ("irish", 2), ("word_names", 5)],
    "UK": [("pool:GB", 55), ("welsh", 10), ("scottish", 6), ("south_asian", 7), ("punjabi", 4),
           ("yoruba", 4), ("igbo", 3), ("irish", 3), ("hyphenated", 3), ("word_names", 5)],
    "IE": [("pool:IE", 55), ("irish", 25), ("south_asian", 3), ("yoruba", 3), ("nordic", 2),
           ("hyphenated", 2), ("pool:GB", 5), ("word_names", 5)],
    "CA": [("pool:CA", 50), ("pool:US", 10), ("punjabi", 8), ("south_asian", 6), ("korean", 5),
           ("vietnamese", 5), ("hispanic", 3), ("dutch_german", 3), ("scottish", 3), ("word_names", 7)],
    "AU": [("pool:GB", 25), ("pool:US", 20), ("pool:NZ", 10), ("vietnamese", 10), ("korean", 5),
           ("south_asian", 7), ("maori", 3), ("dutch_german", 4), ("nordic", 3), ("irish", 3),
           ("hyphenated", 3), ("word_names", 7)],
    "NZ": [("pool:NZ", 50), ("maori", 25), ("pool:GB", 5), ("korean", 4), ("south_asian", 4),
           ("vietnamese", 3), ("scottish", 3), ("word_names", 6)],
}
NICKNAMES = ["Bex", "Gus", "Sully", "Mac", "Tash", "Dev", "Kiki", "Jojo", "Red", "Dee", "Manny",
             "Benji", "Tiny", "Bubba", "Nell", "Ozzie", "Pip", "Bibi", "Cuz", "Rocco", "Bean"]

# Place-name parts for streets and organisations (hand-written).
STREET_WORDS = ["Alder", "Rowan", "Mill", "Church", "Station", "Kestrel", "Larch", "Harbour",
                "Quarry", "Orchard", "Foundry", "Heron", "Bramble", "Juniper", "Tannery", "Wattle",
                "Kowhai", "Totara", "Banksia", "Sycamore", "Cedar", "Chapel", "Ropewalk", "Glebe",
                "Paddock", "Wharf", "Beacon", "Lantern", "Cobble", "Thistle", "Maple", "Birch"]
STREET_TYPES = {
    "US": ["Street", "Avenue", "Road", "Drive", "Lane", "Court", "Boulevard", "Way", "Place", "St", "Ave"],
    "UK": ["Road", "Street", "Lane", "Close", "Mews", "Crescent", "Terrace", "Gardens", "Grove", "Way", "Rd"],
    "IE": ["Road", "Park", "Avenue", "Terrace", "Close", "Drive", "Grove", "Lawn", "Heights", "Court"],
    "CA": ["Street", "Avenue", "Road", "Crescent", "Drive", "Boulevard", "Court", "Gate", "Trail"],
    "AU": ["Street", "Road", "Avenue", "Parade", "Crescent", "Place", "Court", "Close", "Drive", "Esplanade"],
    "NZ": ["Street", "Road", "Terrace", "Crescent", "Place", "Grove", "Avenue", "Rise", "Lane"],
}
# Parts of coined business and charity names (hand-written; no real organisation intended):
# "Brightline", "Kestrel Freight", "Tidewater Cleaning", "Bluegum Early Learning".
BRAND_HEADS = ["Bright", "North", "Silver", "Blue", "Tide", "Red", "Green", "Stone", "Iron",
               "Clear", "Golden", "Summit", "Harbour", "River", "Oak", "Fern", "Kestrel", "Wren",
               "Lark", "Copper", "Pine", "Cedar", "Orchard", "Beacon", "Meadow", "Swift"]
BRAND_TAILS = ["line", "wave", "field", "gate", "point", "works", "well", "way", "stone", "side",
               "brook", "view", "ridge", "star", "light", "wood", "haven", "bridge"]
BRAND_TRADES = ["Freight", "Cleaning", "Solutions", "Digital", "Removals", "Electrical", "Builders",
                "Joinery", "Catering", "Print", "Couriers", "Security", "Care", "Recruitment",
                "Roofing", "Landscapes", "Fitness", "Early Learning", "Recovery Hub", "Youth Trust",
                "Kitchens", "Tyres", "Glass", "Labour Hire", "Home Support"]
# Parts of Māori-language organisation names (hand-written).
MAORI_WORDS = ["Awhina", "Oranga", "Tiaki", "Manaaki", "Aroha", "Tautoko", "Rangatahi", "Whetū",
               "Marama", "Kōwhai", "Tōtara", "Mātai", "Waiora", "Puawai", "Tipu", "Arahi"]
# Generic service words that name a team or programme once a place or brand is attached.
SERVICE_NAMES = ["Early Intervention in Psychosis Service", "Home Treatment Team",
                 "Eating Disorders Service", "Youth Mental Health Service", "Family Resource Centre",
                 "Assertive Outreach Team", "Community Alcohol and Drug Service",
                 "Perinatal Mental Health Team", "Talking Therapies", "Recovery College",
                 "Men's Shed", "Youth Hub", "Drop-in Centre", "Day Hospital"]
CA_PROV = {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
           "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"}
AU_STATE = {"01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS",
            "07": "VIC", "08": "WA"}
AU_POST_FIRST = {"ACT": "2", "NSW": "2", "NT": "0", "QLD": "4", "SA": "5", "TAS": "7", "VIC": "3", "WA": "6"}
SAINTS = ["Brigid", "Columba", "Aidan", "Bartholomew", "Hilda", "Cuthbert", "Monica", "Jude",
          "Teresa", "Dunstan", "Ninian", "Kevin", "Patrick", "David", "Margaret", "Anselm"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Hard negatives (never spans).
NEG = {
    "drug": ["sertraline", "quetiapine", "lithium carbonate", "olanzapine", "Seroquel", "Zoloft",
             "mirtazapine", "lorazepam", "paracetamol", "fluoxetine", "propranolol", "clonazepam",
             "Lexapro", "venlafaxine", "naltrexone", "buprenorphine", "melatonin", "Panadol"],
    "dose": ["50 mg", "7.5 mg nocte", "300 mg BD", "0.5 mg PRN", "20mg mane", "1 g QID", "100 mcg"],
    "instrument": ["PHQ-9", "GAD-7", "Beck Depression Inventory", "BDI-II", "K10", "CORE-10",
                   "EPDS", "AUDIT-C", "MoCA", "HoNOS", "PCL-5", "C-SSRS", "Beck Anxiety Inventory",
                   "SDQ", "Conners 3", "Edinburgh scale"],
    "score": ["8/10", "3/10", "mood 6/10", "MoCA 26/30", "GCS 15", "PHQ-9 of 17", "K10 = 31",
              "GAD-7 14", "pain 4/10", "anxiety 7 out of 10"],
    "eponym": ["Parkinson's", "Foley catheter", "Alzheimer's", "Crohn's", "Hashimoto's",
               "Tourette's", "Asperger's", "Down syndrome", "Glasgow Coma Scale", "Wernicke's",
               "Korsakoff's", "Huntington's", "Guillain-Barré"],
    "model": ["DBT", "CBT", "the Gottman Method", "EMDR", "ACT", "IFS", "schema therapy",
              "Motivational Interviewing", "the Maudsley approach", "Solution-Focused Brief Therapy",
              "Circle of Security", "Safe and Together", "Te Whare Tapa Whā"],
    # Generic services: what every area has, named without a place or brand.
    "service": ["Mental Health", "Talking Therapies", "the Home Treatment Team", "Social Services",
                "Children's Services", "CAMHS", "the crisis team", "Adult Mental Health",
                "Community Mental Health", "Early Intervention", "Housing", "Child Protection",
                "the Eating Disorders Service", "Drug and Alcohol Services", "Youth Services"],
    "famous": ["Freud", "Jung", "Winnicott", "Bowlby", "Carl Rogers", "Brené Brown",
               "Taylor Swift", "Harry Potter", "Sisyphus", "Marie Kondo", "Shakespeare",
               "Eeyore", "Viktor Frankl", "Marsha Linehan", "Oprah"],
    "holiday": ["Christmas", "Easter", "Ramadan", "Diwali", "Thanksgiving", "Hanukkah",
                "New Year", "Matariki", "Eid", "the school holidays", "Boxing Day", "Halloween"],
    "country": ["Poland", "Nigeria", "the Philippines", "Vietnam", "Scotland", "India",
                "Samoa", "Somalia", "Brazil", "Ukraine", "Germany", "Fiji"],
    "nationality": ["Polish", "Nigerian", "Filipino", "Vietnamese", "Scottish", "Indian",
                    "Samoan", "Irish", "Brazilian", "Ukrainian"],
    "lab": ["Na 138", "K 4.1", "Hb 12.3 g/dL", "TSH 2.1", "lithium level 0.8 mmol/L",
            "eGFR > 90", "WCC 7.2", "CRP < 5", "HbA1c 48 mmol/mol", "BSL 6.4"],
    "bp": ["120/80", "134/86", "BP 118/76", "BP 142/91", "BP 100/60"],
    "vitals": ["HR 72", "SpO2 97% on RA", "T 36.8", "RR 16", "HR 104, RR 20", "sats 95% RA",
               "temp 37.9", "P 88"],
    "vent": ["AC 500/14/5/40%", "PEEP 5", "FiO2 40%", "PS 10/5", "SIMV 450x12"],
    "month": ["every December", "the January blues", "most Februaries", "since the spring",
              "over the summer months", "by each August"],
    "word": ["will follow up", "hope is low", "rose from 3 to 5", "mark the calendar",
             "up at dawn", "a grace period", "the bill from the pharmacy", "page 4 of the workbook",
             "summer plans", "faith in the process", "no joy with the phone line"],
}
CRISIS = {
    "US": ["988", "the 988 Lifeline", "911", "Crisis Text Line (text HOME to 741741)"],
    "UK": ["Samaritans on 116 123", "NHS 111", "999", "Shout on 85258"],
    "IE": ["Samaritans on 116 123", "Pieta on 1800 247 247", "112", "text 50808"],
    "CA": ["9-8-8", "Kids Help Phone at 1-800-668-6868", "911"],
    "AU": ["Lifeline 13 11 14", "000", "Beyond Blue 1300 22 4636", "Kids Helpline 1800 55 1800"],
    "NZ": ["1737", "Lifeline 0800 543 354", "111", "Youthline 0800 376 633"],
}
RELATIONS = ["mother", "father", "sister", "brother", "partner", "wife", "husband", "daughter",
             "son", "aunt", "grandmother", "nan", "uncle", "cousin", "flatmate", "friend", "mum"]
CREDENTIALS = {
    "US": ["LCSW", "LMFT", "PsyD", "LPC", "RN", "MD", "PhD", "NP"],
    "UK": ["RMN", "CPN", "Clinical Psychologist", "RGN", "MBChB", "DClinPsy", "BACP accredited"],
    "IE": ["RPN", "CNS", "MB BCh", "Senior Social Worker", "Counselling Psychologist"],
    "CA": ["MSW, RSW", "RN", "MD", "CPsych", "RP", "OT Reg. (Ont.)"],
    "AU": ["RN", "MAPS", "Mental Health Social Worker", "FRANZCP", "Provisional Psychologist"],
    "NZ": ["RN", "NZAC", "Registered Psychologist", "FRANZCP", "Kaimahi"],
}


# ----------------------------------------------------------------------------- the document

class Person:
    def __init__(self, given, surname, country):
        self.given, self.surname, self.country = given, surname, country
        self.nick = None


class Doc:
    """One document being rendered: its country, people, places and the pieces written."""

    def __init__(self, rng, pools, country, style):
        self.rng, self.pools, self.country, self.style = rng, pools, country, style
        self.people = {}
        self.rel = {}
        self.home = self.place()
        self.dotted = country in ("US", "CA") or rng.random() < 0.2  # "Dr." vs "Dr"

    # --- people
    def band_pick(self, bands):
        names = [b for b in BAND_WEIGHTS if bands.get(b)]
        band = self.rng.choices(names, [BAND_WEIGHTS[b] for b in names])[0]
        return self.rng.choice(bands[band])

    def new_person(self):
        rng = self.rng
        mix = NAME_MIX[self.country]
        src = rng.choices([m for m, _ in mix], [w for _, w in mix])[0]
        if src.startswith("pool:"):
            given = self.band_pick(self.pools.given[src[5:]])
            surname = self.band_pick(self.pools.surnames)
            if rng.random() < 0.15:
                origin = rng.choice(["irish", "scottish", "welsh", "dutch_german", "hyphenated",
                                     "hispanic", "word_names"])
                surname = rng.choice(self.pools.origin[origin]["surname"])
        else:
            o = self.pools.origin[src]
            given = rng.choice(o["given"])
            surname = rng.choice(o["surname"]) if rng.random() < 0.8 and src != "word_names" \
                else self.band_pick(self.pools.surnames)
        p = Person(given, surname, self.country)
        if rng.random() < 0.3:
            p.nick = rng.choice(NICKNAMES)
        return p

    def person(self, role):
        if role not in self.people:
            self.people[role] = self.new_person()
        return self.people[role]

    def relation(self, role):
        if role not in self.rel:
            self.rel[role] = self.rng.choice(RELATIONS)
        return self.rel[role]

    def name(self, role, form):
        p, rng = self.person(role), self.rng
        dot = "." if self.dotted else ""
        title = rng.choice(["Mr", "Ms", "Mrs", "Mx", "Miss"]) + dot
        if form == "first":
            return p.given
        if form == "last":
            return p.surname
        if form == "full":
            return f"{p.given} {p.surname}"
        if form == "title":
            return f"{title} {p.surname}"
        if form == "dr":
            return rng.choice([f"Dr{dot} {p.surname}", f"Dr{dot} {p.given} {p.surname}"])
        if form == "drcaps":
            return f"DR.{p.surname.upper()}"
        if form == "init":
            return (p.given[0] + p.surname.replace("'", "").split()[-1][0]).upper()
        if form == "fl":
            return f"{p.given} {p.surname.split()[-1][0]}."
        if form == "il":
            return f"{p.given[0]}. {p.surname}"
        if form == "iln":
            return f"{p.given[0]} {p.surname}"
        if form == "lf":
            return f"{p.surname}, {p.given}"
        if form == "nick":
            if not p.nick:
                p.nick = rng.choice(NICKNAMES)
            return p.nick
        raise KeyError(form)

    # --- places
    def place(self):
        return self.rng.choice(self.pools.places[self.country])

    def region_code(self, pl):
        a1 = pl["admin1_code"]
        if self.country == "US":
            return a1
        if self.country == "CA":
            return CA_PROV.get(a1, "ON")
        if self.country == "AU":
            return AU_STATE.get(a1, "NSW")
        return pl["region"]

    def postcode(self, pl):
        r, c = self.rng, self.country
        L = "ABCDEFGHJKLMNPRSTUVWXY"
        if c == "US":
            z = f"{r.randint(1000, 99950):05d}"
            return z + (f"-{r.randint(0, 9999):04d}" if r.random() < 0.2 else "")
        if c == "UK":
            area = r.choice(["LS", "M", "B", "SW", "CF", "EH", "G", "BT", "NE", "BS", "OX", "SA", "LL"])
            return f"{area}{r.randint(1, 28)}{' ' if r.random() < 0.9 else ''}{r.randint(0, 9)}{r.choice(L)}{r.choice(L)}"
        if c == "IE":
            rk = r.choice(["D02", "D08", "D24", "T12", "H91", "V94", "F26", "A92", "X91", "R95"])
            ch = "ACDEFHKNPRTVWXY0123456789"
            return rk + " " + "".join(r.choice(ch) for _ in range(4))
        if c == "CA":
            LC = "ABCEGHJKLMNPRSTVXY"
            return f"{r.choice(LC)}{r.randint(0, 9)}{r.choice(LC)} {r.randint(0, 9)}{r.choice(LC)}{r.randint(0, 9)}"
        if c == "AU":
            return AU_POST_FIRST.get(self.region_code(pl), "2") + f"{r.randint(0, 999):03d}"
        return f"{r.randint(100, 9899):04d}"

    def street(self):
        r, c = self.rng, self.country
        word = r.choice(STREET_WORDS) if r.random() < 0.6 else self.person("_street").surname
        line = f"{r.randint(1, 240 if c != 'US' else 9800)} {word} {r.choice(STREET_TYPES[c])}"
        x = r.random()
        if c == "UK" and x < 0.3:
            return f"Flat {r.randint(1, 12)}, {line}"
        if c in ("AU", "NZ") and x < 0.3:
            return f"Unit {r.randint(1, 30)}, {line}" if r.random() < 0.6 else f"{r.randint(1, 30)}/{line}"
        if c in ("US", "CA") and x < 0.25:
            return f"{line}, Apt {r.randint(1, 40)}{r.choice('ABCD')}"
        if c == "IE" and x < 0.2:
            return f"Apartment {r.randint(1, 60)}, {line}"
        return line

    def address(self, pl=None):
        """Street line, city, region and postcode in the country's order, as pieces."""
        pl = pl or self.home
        c, out = self.country, [(self.street(), "STREET_ADDRESS"), (", ", None), (pl["name"], "CITY")]
        pc = self.postcode(pl)
        if c == "US":
            out += [(", ", None), (self.region_code(pl), "STATE"), (" ", None), (pc, "ZIP")]
        elif c == "CA":
            out += [(", ", None), (self.region_code(pl), "STATE"), ("  " if self.rng.random() < 0.3 else " ", None), (pc, "ZIP")]
        elif c == "AU":
            out += [(" ", None), (self.region_code(pl), "STATE"), (" ", None), (pc, "ZIP")]
        elif c == "IE":
            out += [(", ", None), (pc, "ZIP")]
        else:
            out += [(" " if c == "UK" else " ", None), (pc, "ZIP")]
        return out

    # --- dates
    def date(self, kind="any"):
        r, us = self.rng, self.country == "US"
        y, m, d = r.randint(2019, 2025), r.randint(1, 12), r.randint(1, 28)
        mon = MONTHS[m - 1]
        ordn = f"{d}{'th' if 11 <= d <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"
        if kind == "dob":
            y = r.randint(1931, 2015)
        forms = ([f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y % 100:02d}", f"{mon} {d}, {y}", f"{mon[:3]} {d}",
                  f"{m}/{d}", f"{y}-{m:02d}-{d:02d}"] if us else
                 [f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y % 100:02d}", f"{d} {mon} {y}", f"{ordn} of {mon}",
                  f"{d} {mon[:3]}", f"{d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}", f"{d}-{mon[:3]}-{y}"])
        if kind in ("dob", "num"):
            forms = forms[:2] + forms[-1:]
        return r.choice(forms)

    # --- numbers
    def digits(self, n):
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def phone(self, mobile=False):
        r, c, dg = self.rng, self.country, self.digits
        if c in ("US", "CA"):
            area = r.choice(["617", "212", "415", "503", "312", "919"] if c == "US" else
                            ["613", "416", "604", "905", "780", "902"])
            n = f"01{dg(2)}"
            return r.choice([f"{area}-555-{n}", f"({area}) 555-{n}", f"{area}.555.{n}",
                             f"1-{area}-555-{n}", f"+1 {area} 555 {n}"])
        if c == "UK":
            return r.choice([f"07700 900{dg(3)}", f"01632 960 {dg(3)}", f"020 7946 0{dg(3)}",
                             f"+44 7700 900{dg(3)}", f"0113 496 0{dg(3)}"]) if not mobile else f"07700 900{dg(3)}"
        if c == "IE":
            return r.choice([f"08{r.choice('3567')} {dg(3)} {dg(4)}", f"(01) {dg(3)} {dg(4)}",
                             f"+353 8{r.choice('3567')} {dg(3)} {dg(4)}", f"021 {dg(3)} {dg(4)}"])
        if c == "AU":
            return r.choice([f"(0{r.choice('2378')}) 5550 {dg(4)}", f"0491 570 {dg(3)}",
                             f"04{dg(2)} {dg(3)} {dg(3)}", f"+61 491 570 {dg(3)}", f"0{r.choice('2378')} 5550 {dg(4)}"])
        return r.choice([f"(0{r.choice('34679')}) 555 {dg(4)}", f"021 555 {dg(4)}", f"027 {dg(3)} {dg(4)}",
                         f"+64 21 555 {dg(4)}", f"0{r.choice('34679')} 555 {dg(4)}"])

    def nhs(self):
        while True:
            d = [self.rng.randint(0, 9) for _ in range(9)]
            check = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
            if check == 11:
                check = 0
            if check != 10:
                s = "".join(map(str, d)) + str(check)
                return f"{s[:3]} {s[3:6]} {s[6:]}"

    def health_id(self):
        r, c, dg = self.rng, self.country, self.digits
        L = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        if c == "UK":
            return ("NHS no.", self.nhs())
        if c == "IE":
            return ("PPSN", f"{dg(7)}{r.choice('ABCDEFGHKLMNPRSTW')}{r.choice(['', 'A', 'W'])}")
        if c == "AU":
            return ("Medicare", f"{r.randint(2, 6)}{dg(3)} {dg(5)} {r.randint(1, 9)}")
        if c == "NZ":
            return ("NHI", f"{''.join(r.choice(L.replace('O', '').replace('I', '')) for _ in range(3))}{dg(4)}")
        if c == "CA":
            return ("OHIP", f"{dg(4)}-{dg(3)}-{dg(3)}-{r.choice(L)}{r.choice(L)}")
        return (r.choice(["Medicaid ID", "Member ID", "SSN"]), None)

    def ident(self, kind):
        r, dg = self.rng, self.digits
        L = "ABCDEFGHJKLMNPRSTUVWXYZ"
        if kind == "mrn":
            return r.choice([dg(7), dg(8), f"{r.choice(L)}{dg(6)}", f"MRN{dg(6)}", f"{dg(3)}-{dg(2)}-{dg(2)}"])
        if kind == "case":
            return r.choice([f"{''.join(r.choice(L) for _ in range(3))}-{r.randint(19, 25)}-{dg(6)}",
                             f"{r.randint(19, 25)}-{r.choice(['JV', 'DR', 'CP', 'FC'])}-{dg(5)}",
                             f"CP{dg(4)}/{r.randint(2019, 2025)}"])
        if kind == "auth":
            return r.choice([f"PA-{r.randint(2019, 2025)}-{dg(7)}", f"AUTH{dg(9)}", f"{dg(4)}-{dg(4)}-{dg(2)}"])
        if kind == "member":
            return r.choice([f"{''.join(r.choice(L) for _ in range(3))}{dg(9)}", f"{dg(9)}-{dg(2)}", f"W{dg(8)}"])
        if kind == "plate":  # vehicle registrations in each country's shape
            A = lambda n: "".join(r.choice(L) for _ in range(n))
            return r.choice({
                "US": [f"{dg(1)}{A(3)}{dg(3)}", f"{A(3)}-{dg(4)}", f"{A(3)} {dg(3)}"],
                "UK": [f"{A(2)}{dg(2)} {A(3)}", f"{A(2)}{dg(2)}{A(3)}"],
                "IE": [f"{r.randint(12, 24)}{r.choice(['1', '2', ''])}-{r.choice(['D', 'C', 'G', 'KY', 'LK', 'WX'])}-{dg(r.randint(3, 5))}"],
                "CA": [f"{A(4)} {dg(3)}", f"{A(3)} {dg(3)}", f"{A(2)}{dg(1)} {dg(2)}{A(1)}"],
                "AU": [f"{A(3)}{dg(3)}", f"{dg(1)}{A(3)}{dg(3)}", f"{A(2)}-{dg(2)}-{A(2)}"],
                "NZ": [f"{A(3)}{dg(3)}", f"{A(2)}{dg(4)}"],
            }[self.country])
        if kind == "reg":  # professional registration numbers
            return r.choice([f"{dg(2)}{r.choice(L)}{dg(4)}{r.choice('ABCDEFGHIJ')}", f"{r.choice(['MED', 'PSY', 'NMW', 'OCC'])}{dg(10)}",
                             f"{r.choice(['PYL', 'SW', 'CSW'])}{dg(5)}", dg(7), f"{dg(4)}{r.choice(L)}"])
        if kind == "ref":  # file references of councils, courts and services
            A = lambda n: "".join(r.choice(L) for _ in range(n))
            return r.choice([f"{r.randint(18, 25)}/{dg(4)}/{A(2)}", f"{A(2)}/{r.randint(2019, 2025)}/{dg(4)}",
                             f"{A(2)}/{A(2).lower()}/{dg(5)}", f"{A(3)}{dg(2)}-{dg(3)}", f"{dg(4)}-{dg(4)}",
                             f"{A(1)}{dg(2)}/{dg(5)}"])
        if kind == "ssn":
            return f"{r.randint(100, 665)}-{dg(2)}-{dg(4)}"
        raise KeyError(kind)

    # --- organisations and locations
    def org(self, kind):
        r, pl, sn = self.rng, self.place()["name"], self.new_person().surname
        c = self.country
        if kind == "clinic":
            return r.choice([f"{pl} Community Mental Health Team", f"{sn} Family Practice",
                             f"{pl} Counselling Centre" if c != "US" else f"{pl} Counseling Center",
                             f"{pl} Medical Centre", f"{sn} & {self.new_person().surname} Psychology",
                             f"{pl} Family Health Team" if c == "CA" else f"{pl} Health Centre",
                             f"{pl} Behavioral Health" if c == "US" else f"{pl} Wellbeing Service"])
        if kind == "school" and r.random() < 0.45:
            return r.choice({
                "US": [f"{pl} High", f"{pl} Middle", f"{sn} Elementary", f"{pl} Charter"],
                "UK": [f"{pl} Primary", f"{pl} Academy", f"Ysgol {r.choice(STREET_WORDS)}", f"{pl} C of E Primary",
                       f"{pl} Comprehensive", f"St {r.choice(SAINTS)}'s RC Primary"],
                "IE": [f"Scoil {r.choice(SAINTS)}", f"Gaelscoil {pl}", f"{pl} NS", f"{pl} Community School",
                       f"{pl} CBS", f"St {r.choice(SAINTS)}'s BNS", f"Coláiste {pl}"],
                "CA": [f"{pl} Secondary School", f"{pl} Collegiate", f"{pl} PS", f"École {pl}", f"{sn} Middle School"],
                "AU": [f"{pl} State School", f"{pl} Secondary College", f"{pl} PS", f"{pl} High",
                       f"{r.choice(SAINTS)} Catholic College"],
                "NZ": [f"{pl} Intermediate", f"{pl} Kura", f"{pl} High", f"{pl} Primary",
                       f"Te Kura Kaupapa Māori o {pl}", f"{pl} Boys' High"],
            }[c])
        if kind == "school":
            return r.choice([f"{pl} High School", f"St {r.choice(SAINTS)}'s Primary School",
                             f"{pl} Grammar School", f"{pl} Community College", f"{sn} Elementary School",
                             f"Coláiste {r.choice(SAINTS)}" if c == "IE" else f"{pl} Academy",
                             f"Te Kura o {pl}" if c == "NZ" else f"{pl} Intermediate"])
        if kind == "employer":
            return r.choice([f"{sn} Logistics Ltd", f"{pl} Bakery", f"{sn} & Sons Plumbing",
                             f"{pl} City Council", f"{sn} Motors", f"{pl} Meats Pty Ltd" if c == "AU" else f"{pl} Meats Inc.",
                             f"{sn} Hair Studio", f"{pl} Leisure Centre", self.org("brand"),
                             f"{self.org('brand')} {pl}", f"{sn} Brothers"])
        if kind == "brand":
            head = r.choice(BRAND_HEADS)
            word = head + r.choice(BRAND_TAILS) if r.random() < 0.6 else f"{head} {r.choice(STREET_WORDS)}"
            return word if r.random() < 0.45 else f"{word} {r.choice(BRAND_TRADES)}"
        if kind == "service":
            svc, coined = r.choice(SERVICE_NAMES), r.choice(BRAND_HEADS) + r.choice(BRAND_TAILS)
            return r.choice([f"{pl} {svc}", f"{svc} {pl}", f"{coined} {svc}", f"{coined} {pl}"])
        if kind == "maori":
            m1, m2 = r.sample(MAORI_WORDS, 2)
            return r.choice([f"Te Whare {m1}", f"{m1} Hauora", f"Te Puna {m1}", f"{pl} Kōhanga Reo",
                             f"Ngā {m1} Trust", f"Te {m1} o {pl}", f"{m1} {m2} Whānau Services"])
        if kind == "church":
            return r.choice([f"St {r.choice(SAINTS)}'s Church", f"{pl} Baptist Church", f"{pl} Gurdwara",
                             f"{pl} Islamic Centre", f"{pl} Kingdom Hall", f"Church of St {r.choice(SAINTS)}"])
        if kind == "team" and r.random() < 0.35:
            return r.choice([f"{pl} GAA" if c == "IE" else f"{pl} Harriers", f"{pl} Wanderers", f"{pl} Youth Choir",
                             f"{pl} Scouts", f"{self.org('brand')} Boxing Gym", f"{pl} Under-12s",
                             f"{pl} Swimming Club", f"{pl} {r.choice(['Hawks', 'Tigers', 'Stingrays', 'Falcons'])}"])
        if kind == "team":
            return r.choice([f"{pl} Rovers FC", f"{pl} Under-14s", f"{pl} Rugby Club", f"{pl} Netball Club",
                             f"{pl} Hurling Club" if c == "IE" else f"{pl} Cricket Club", f"{pl} Bowling Club"])
        if kind == "court":
            return r.choice([f"Court of Common Pleas of {pl} County", f"{pl} Family Court",
                             f"{pl} Magistrates' Court", f"{pl} District Court", f"{pl} Youth Court"])
        if kind == "ambulance":
            return r.choice([f"{pl} Ambulance Corps No. {r.randint(1, 9)}", f"{pl} Volunteer Fire Department",
                             f"{pl} Rescue Squad", f"{pl} Police Station"])
        if kind == "hospital":
            return r.choice([f"{pl} General Hospital", f"{pl} Royal Infirmary", f"St {r.choice(SAINTS)}'s Hospital",
                             f"{pl} Base Hospital", f"{pl} Regional Medical Center", f"{pl} University Hospital"])
        if kind == "insurer":
            return r.choice([f"{pl} Health Plan", f"{sn} Mutual", f"{pl} Care Partners", f"{sn} Health Insurance"])
        raise KeyError(kind)

    def location(self):
        r = self.rng
        return r.choice([f"Ward {r.randint(1, 12)}{r.choice('ABC')}", f"{r.choice(STREET_WORDS)} Ward",
                         f"{self.place()['name']} Park", f"{r.choice(STREET_WORDS)} House",
                         f"{r.choice(STREET_WORDS)} Lodge Nursing Home", f"{self.place()['name']} Women's Refuge",
                         f"{r.choice(STREET_WORDS)} Unit", f"{r.choice(STREET_WORDS)} Estate"])


# ----------------------------------------------------------------------------- slots

def slot(doc, key):
    """Pieces (text, label) for one `{key}`; label is a category, 'NEG:type' or None."""
    r = doc.rng
    m = re.fullmatch(r"(c|d|p|r|r2|k|t|g|m[1-6])\.(\w+)", key)
    if m:
        return [(doc.name(m.group(1), m.group(2)), "NAME")]
    m = re.fullmatch(r"rel(2?)", key)
    if m:
        return [(doc.relation("r" + m.group(1)), None)]
    m = re.fullmatch(r"neg\.(\w+)", key)
    if m:
        return [(r.choice(NEG[m.group(1)]), "NEG:" + m.group(1))]
    if key == "crisis":
        return [(r.choice(CRISIS[doc.country]), "NEG:crisis")]
    if key in ("date", "dob", "date_num"):
        return [(doc.date({"date": "any", "dob": "dob", "date_num": "num"}[key]), "DATE")]
    if key == "date_wd":  # "Tuesday the 9th": only the ordinal is the span
        d = r.randint(1, 28)
        o = f"{d}{'th' if 11 <= d <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"
        return [(f"{r.choice(WEEKDAYS)} the ", None), (o, "DATE")]
    if key == "age90":
        a = r.randint(90, 103)
        return [(r.choice([f"{a}-year-old", f"{a} y/o", f"{a} yo", f"{a}"]), "AGE")]
    if key in ("phone", "mobile"):
        return [(doc.phone(key == "mobile"), "PHONE")]
    if key == "fax":
        return [(doc.phone(), "FAX")]
    if key == "email":
        p = doc.person("c") if r.random() < 0.5 else doc.new_person()
        local = re.sub(r"[^a-z0-9.]", "", f"{p.given}.{p.surname}".lower().replace(" ", ""))
        local = local.strip(".") or "client"
        dom = r.choice(["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "eircom.net",
                        "xtra.co.nz", "bigpond.com", "rogers.com", "hotmail.com", "proton.me"])
        return [(f"{local}{r.choice(['', str(r.randint(1, 99))])}@{dom}", "EMAIL")]
    if key == "url":
        return [(r.choice([f"https://meet.{r.choice(['carelink', 'telepsych', 'mindbridge'])}.{r.choice(['com', 'co.uk', 'ie', 'ca', 'com.au', 'co.nz'])}/room/{doc.digits(6)}",
                           f"https://zoom.us/j/{doc.digits(10)}", f"www.{doc.new_person().surname.lower().replace(' ', '').replace(chr(39), '')}counselling.{r.choice(['com', 'ie', 'nz'])}"]), "URL")]
    if key == "ip":
        return [(r.choice([f"203.0.113.{r.randint(1, 254)}", f"198.51.100.{r.randint(1, 254)}",
                           f"192.0.2.{r.randint(1, 254)}", f"2001:db8::{r.randint(16, 4095):x}"]), "IP_ADDRESS")]
    if key == "handle":
        p = doc.person("c")
        base = re.sub(r"[^a-z0-9_]", "", (p.given + r.choice(["_", "", "."]) + p.surname[:4]).lower())
        return [("@" + (base or "user") + str(r.randint(0, 99)), "SOCIAL_HANDLE")]
    if key == "addr":
        return doc.address()
    if key == "addr2":
        return doc.address(doc.place())
    if key == "street":
        return [(doc.street(), "STREET_ADDRESS")]
    if key == "city":
        return [(doc.home["name"], "CITY")]
    if key == "city2":
        return [(doc.place()["name"], "CITY")]
    if key == "region":
        return [(doc.region_code(doc.home) if r.random() < 0.6 or doc.country in ("UK", "IE", "NZ")
                 else doc.home["region"], "STATE")]
    if key == "postcode":
        return [(doc.postcode(doc.home), "ZIP")]
    if key == "hid":
        label, value = doc.health_id()
        if value is None:
            value = doc.ident("ssn") if label == "SSN" else doc.ident("member")
        return [(label + ": ", None), (value, "ID")]
    if key in ("mrn", "case", "auth", "member", "ssn", "plate", "reg", "ref"):
        return [(doc.ident(key), "ID")]
    # A given name written into a frame ("{lit.grace} said ..."): a person, so gold.
    if key.startswith("lit."):
        return [(key[4:].capitalize(), "NAME")]
    if key.startswith("org."):
        return [(doc.org(key[4:]), "ORGANIZATION")]
    if key == "loc":
        return [(doc.location(), "LOCATION")]
    if key == "gp":
        return [({"US": "PCP", "CA": "family doctor"}.get(doc.country, "GP"), None)]
    if key == "cred":
        return [(r.choice(CREDENTIALS[doc.country]), None)]
    if key == "time":
        return [(r.choice(["09:30", "2:15 pm", "1400", "10am", "16:45", "0800"]), None)]
    raise KeyError(key)


# ----------------------------------------------------------------------------- frames
# (id, style, section, text). Sections: head, body, end; transcripts also use `turnT` / `turnC`
# (therapist / client turns). Style `any` frames may join any style's body. `{x|U}` writes the
# slot in capitals whatever the document's case, `{x|l}` in lower case.

FRAMES = [
    # nursing shorthand
    ("nurs.h1", "nursing", "head", "NURSING NOTE {date_num} {time}. Pt {c.full}, MRN {mrn}."),
    ("nurs.h2", "nursing", "head", "npn 7p-7a: pt {c.lf} resting, NAD."),
    ("nurs.h3", "nursing", "head", "Shift note - {loc}. Pt alert, orientated x3."),
    ("nurs.b1", "nursing", "body", "VS: {neg.bp}, {neg.vitals}. Afebrile, u/o adequate via Foley."),
    ("nurs.b2", "nursing", "body", "{d.drcaps} aware of {neg.lab}, no new orders."),
    ("nurs.b3", "nursing", "body", "{p.il|U} AWARE of low u/o, plan to recheck at {time}."),
    ("nurs.b4", "nursing", "body", "{p.iln|U} ORDERED {neg.drug} {neg.dose}; given as charted."),
    ("nurs.b5", "nursing", "body", "Vent settings {neg.vent}, weaning per {p.dr}."),
    ("nurs.b6", "nursing", "body", "{rel} {r.first} in to visit, updated on POC, questions answered."),
    ("nurs.b7", "nursing", "body", "pt c/o poor sleep, rates anxiety {neg.score}. PRN {neg.drug} given w/ effect."),
    ("nurs.b8", "nursing", "body", "Family requests call to {r.full} on {phone} if any change."),
    ("nurs.b9", "nursing", "body", "pt {age90}, lives alone in {city}; {gp} is {p.dr}."),
    ("nurs.e1", "nursing", "end", "{d.full}, RN"),
    ("nurs.e2", "nursing", "end", "-- {d.il}, {cred}"),
    # SOAP
    ("soap.h1", "soap", "head", "Client: {c.full}    DOB: {dob}    {hid}"),
    ("soap.h2", "soap", "head", "Session 6. Date of session: {date}. Clinician: {d.full}, {cred}"),
    ("soap.b1", "soap", "body", "S: {c.first} reports low mood since {date}; states work at {org.employer} is \"relentless\"."),
    ("soap.b2", "soap", "body", "O: Casually dressed, affect constricted. {neg.instrument} today {neg.score}."),
    ("soap.b3", "soap", "body", "A: Symptoms consistent with prior presentation; {neg.word} as discussed."),
    ("soap.b4", "soap", "body", "P: Continue weekly {neg.model}; liaise with {p.dr} re {neg.drug}."),
    ("soap.b5", "soap", "body", "S: Says {rel} {r.first} \"keeps checking on me\" and wants to come to a session."),
    # DAP
    ("dap.h1", "dap", "head", "DAP NOTE | {c.lf} | {date} | {mrn}"),
    ("dap.b1", "dap", "body", "D: {c.title} arrived on time, discussed the argument with {r.first} on {date_wd}."),
    ("dap.b2", "dap", "body", "A: Engaged; insight improving. Referenced {neg.famous} when describing the week."),
    ("dap.b3", "dap", "body", "P: Next appt {date} at {time}. Homework: thought record, {neg.model} skills card."),
    # BIRP
    ("birp.h1", "birp", "head", "BIRP Progress Note - {c.full} ({c.init}) - seen {date}"),
    ("birp.b1", "birp", "body", "B: Client tearful when speaking about {rel} {r.full}, who moved to {city2} in {date}."),
    ("birp.b2", "birp", "body", "I: Writer used validation and chain analysis ({neg.model})."),
    ("birp.b3", "birp", "body", "R: {c.first} identified two coping strategies; {neg.instrument} down to {neg.score}."),
    ("birp.b4", "birp", "body", "P: Review in two weeks; {d.dr} to send summary to {org.clinic}."),
    # intake
    ("int.h1", "intake", "head", "INITIAL ASSESSMENT\nName: {c.full}\nDOB: {dob}\nAddress: {addr}\nPhone: {mobile}"),
    ("int.h2", "intake", "head", "Referred by {p.dr} ({org.clinic}) on {date}."),
    ("int.b1", "intake", "body", "Lives with {rel} {r.first} and {rel2} {r2.first} in a rented flat in {city}."),
    ("int.b2", "intake", "body", "Family emigrated from {neg.country} when {c.first} was small; family is {neg.nationality}."),
    ("int.b3", "intake", "body", "Attends {org.church} most weeks; plays for {org.team}."),
    ("int.b4", "intake", "body", "History: {neg.eponym} in maternal line; previous trial of {neg.drug} {neg.dose}."),
    ("int.b5", "intake", "body", "Known to friends as \"{c.nick}\"; prefers that name in sessions."),
    ("int.b6", "intake", "body", "Email: {email}. Consents to reminders by text to {mobile}."),
    ("int.b7", "intake", "body", "Employer: {org.employer}, {city2}. Manager {t.full} is aware of the leave."),
    # letter
    ("let.h1", "letter", "head", "{org.clinic}\n{addr}\nTel {phone}  Fax {fax}"),
    ("let.h2", "letter", "head", "{date}\n\n{p.dr}\n{org.hospital}\n{addr2}"),
    ("let.h3", "letter", "head", "Re: {c.full}, DOB {dob}, {hid}"),
    ("let.b1", "letter", "body", "Dear {p.dr},\nThank you for referring {c.title}, whom I saw on {date}."),
    ("let.b2", "letter", "body", "{c.first} describes a low mood that began around {neg.holiday} and has not lifted."),
    ("let.b3", "letter", "body", "I have suggested a course of {neg.model} and would be grateful if you could review the {neg.drug}."),
    ("let.b4", "letter", "body", "Please do not hesitate to contact me on {phone} or at {email}."),
    ("let.e1", "letter", "end", "Yours sincerely,\n\n{d.full}\n{cred}"),
    ("let.e2", "letter", "end", "Kind regards,\n{d.full}, {cred}\ncc: {gp} {p.dr}; {c.title}"),
    # referral
    ("ref.h1", "referral", "head", "REFERRAL FORM - {org.clinic}\nReferrer: {p.full}, {gp}\nDate: {date}"),
    ("ref.b1", "referral", "body", "Patient: {c.lf}. Address: {addr}. Contact: {phone}."),
    ("ref.b2", "referral", "body", "Reason: escalating panic since a fall at {org.employer}; {neg.instrument} {neg.score}."),
    ("ref.b3", "referral", "body", "Next of kin: {r.full} ({rel}), {mobile}."),
    ("ref.b4", "referral", "body", "Interpreter not required. Patient aware of {crisis}."),
    # group
    ("grp.h1", "group", "head", "GROUP NOTE - {neg.model} skills group, {date}. Facilitators: {d.full} and {p.full}."),
    ("grp.h2", "group", "head", "Present: {m1.first}, {m2.init}, {m3.fl}, {m4.init} and {c.first}. Apologies: {m5.fl}"),
    ("grp.b1", "group", "body", "{m2.init} shared a win from the week; {m1.first} gave feedback."),
    ("grp.b2", "group", "body", "{m3.fl} left early ({neg.holiday} shopping); {m4.init} quiet throughout."),
    ("grp.b3", "group", "body", "{m1.first} keeps interrupting others; gently redirected."),
    ("grp.b4", "group", "body", "Members rated distress before/after: {neg.score}; group average improved."),
    # couple / family
    ("fam.h1", "couple_family", "head", "Couple session: {c.full} and {r.full}, {date}."),
    ("fam.h2", "couple_family", "head", "Family meeting re {k.first} ({c.init}'s youngest) at {org.school}; {neg.word}."),
    ("fam.b1", "couple_family", "body", "{r.first} said {c.first} \"never listens\"; {c.first} disagreed."),
    ("fam.b2", "couple_family", "body", "Using {neg.model}, each partner named one bid for connection."),
    ("fam.b3", "couple_family", "body", "Their son {k.first} stays with {rel2} {r2.first} in {city2} on weekends."),
    ("fam.b4", "couple_family", "body", "{k.nick} was described as \"the glue\" of the family."),
    # school
    ("sch.h1", "school", "head", "School liaison note - {org.school}, {date}."),
    ("sch.b1", "school", "body", "Met with {t.title} (year head) and {k.full}'s {rel}."),
    ("sch.b2", "school", "body", "{k.first} has missed {neg.score} days; {neg.instrument} returned by teacher."),
    ("sch.b3", "school", "body", "Student ID {mrn}; plan shared with {t.full} by email {email}."),
    ("sch.b4", "school", "body", "{k.first} hopes to join {org.team} after {neg.holiday}."),
    # crisis
    ("cri.h1", "crisis", "head", "CRISIS CONTACT {date} {time}. Caller {c.full} on {mobile}."),
    ("cri.b1", "crisis", "body", "Caller at {addr}, alone; {rel} {r.first} on way. Given {crisis}."),
    ("cri.b2", "crisis", "body", "Police from {org.ambulance} attended; case {case}."),
    ("cri.b3", "crisis", "body", "{r.first} keeps calling the ward asking for updates."),
    ("cri.b4", "crisis", "body", "Risk reviewed with {p.dr} on call; {neg.instrument} screen completed."),
    # discharge
    ("dis.h1", "discharge", "head", "DISCHARGE SUMMARY\nPatient: {c.full}  MRN: {mrn}\nAdmitted: {date}  Discharged: {date}"),
    ("dis.b1", "discharge", "body", "Admitted to {loc} at {org.hospital} under {p.dr}."),
    ("dis.b2", "discharge", "body", "Meds on discharge: {neg.drug} {neg.dose}, {neg.drug} {neg.dose}."),
    ("dis.b3", "discharge", "body", "Follow-up with {gp} {p.full} at {org.clinic}, {phone}."),
    ("dis.b4", "discharge", "body", "Discharged home to {addr} with {rel} {r.full}."),
    ("dis.e1", "discharge", "end", "Electronically signed: {d.full}, {cred} {date}"),
    # insurance / authorisation
    ("ins.h1", "insurance", "head", "PRIOR AUTHORIZATION REQUEST - {org.insurer}\nMember: {c.lf}  ID: {member}"),
    ("ins.b1", "insurance", "body", "Auth # {auth} approved for 12 sessions from {date}."),
    ("ins.b2", "insurance", "body", "Provider: {d.full}, {org.clinic}, fax {fax}."),
    ("ins.b3", "insurance", "body", "Medical necessity: {neg.instrument} {neg.score}; failed trial of {neg.drug}."),
    ("ins.b4", "insurance", "body", "Subscriber {r.full} ({rel}), {hid}."),
    # teletherapy
    ("tel.h1", "teletherapy", "head", "Telehealth session {date}. Link {url}. Client IP {ip}."),
    ("tel.b1", "teletherapy", "body", "Client joined from {city} ({region}); confirmed location for safety."),
    ("tel.b2", "teletherapy", "body", "Audio dropped twice; reconnected by phone on {mobile}."),
    ("tel.b3", "teletherapy", "body", "Client mentioned an online account {handle} where the harassment happens."),
    ("tel.b4", "teletherapy", "body", "Emergency contact if disconnected: {r.full}, {phone}."),
    # transcripts
    ("tr.h1", "transcript", "head", "Transcript excerpt - session {date_wd} - {c.init}"),
    ("tr.t1", "transcript", "turnT", "How was the week since we met on {date}?"),
    ("tr.t2", "transcript", "turnT", "You mentioned {r.first} last time. How are things there?"),
    ("tr.t3", "transcript", "turnT", "Let's try the breathing we practised, like in {neg.model}."),
    ("tr.t4", "transcript", "turnT", "On a scale of 0 to 10? Last week you said {neg.score}."),
    ("tr.t5", "transcript", "turnT", "Mm. And when {r.first} said that, what went through your mind?"),
    ("tr.c1", "transcript", "turnC", "Mm, yeah."),
    ("tr.c2", "transcript", "turnC", "Will do."),
    ("tr.c3", "transcript", "turnC", "Honestly {r.first} was at it again on {date_wd}."),
    ("tr.c4", "transcript", "turnC", "{lit.grace} said I should ring {crisis} if it got bad, so I did."),
    ("tr.c5", "transcript", "turnC", "Mark my words, {rel} won't change. {r.first} never does."),
    ("tr.c6", "transcript", "turnC", "Rose from bed at noon. Hope that's okay to say."),
    ("tr.c7", "transcript", "turnC", "{c.nick} is what everyone at {org.employer} calls me."),
    ("tr.c8", "transcript", "turnC", "Yeah, {r2.first} reckons I should move back to {city2}."),
    # shared body frames
    ("any.1", "any", "body", "{c.first} keeps calling {r.first} late at night."),
    ("any.2", "any", "body", "{r.first} came along today and waited outside."),
    ("any.3", "any", "body", "Reviewed {neg.instrument}: {neg.score}. {neg.word}."),
    ("any.4", "any", "body", "Safety plan updated; crisis numbers given ({crisis})."),
    ("any.5", "any", "body", "Discussed {neg.famous} quote that {c.first} finds helpful."),
    ("any.6", "any", "body", "Next review {date}. Writer will liaise with {p.dr}."),
    ("any.7", "any", "body", "{c.first} and {m1.first} met at {org.church} years ago."),
    ("any.8", "any", "body", "Per {p.full}, the {neg.lab} result is stable."),
    ("any.9", "any", "body", "Mentioned {neg.eponym} worry after a relative's diagnosis."),
    ("any.10", "any", "body", "{c.first} was born on {dob} and moved to {city} as a teen."),
    ("any.11", "any", "body", "Every {neg.holiday} is hard, {c.first} says."),
    ("any.12", "any", "body", "{r.first} rang {d.first} on {phone} to cancel."),
    ("any.13", "any", "body", "Works shifts at {org.employer} near {loc}."),
    ("any.14", "any", "body", "{c.first}'s grandmother ({g.full}, {age90}) now lives at {loc}."),
    ("nurs.b10", "nursing", "body", "pt slept poorly, {neg.month} worse per pt. {neg.instrument} deferred."),
    ("soap.b6", "soap", "body", "S: Notes that {neg.month} tend to be difficult; visited {rel} in {city2}, {region}."),
    ("int.b8", "intake", "body", "Grew up in {city2}, {region}; moved to {city} after school."),
    ("fam.b5", "couple_family", "body", "{r.first} and {c.first} agreed to a screen-free evening; {neg.month} are busiest at work."),
    ("cri.b5", "crisis", "body", "Mobile crisis team met caller outside {org.employer}; {r.title} present."),
    ("tel.b5", "teletherapy", "body", "Session moved to {url} after the usual link failed; client at {addr}."),
    ("sch.b5", "school", "body", "Counsellor {t.fl} will check in with {k.first} every {neg.holiday} break and after."),
    ("dis.b5", "discharge", "body", "Transport home arranged via {org.ambulance}; {gp} letter faxed to {fax}."),
    ("any.15", "any", "body", "{lit.dawn} visits on Sundays; {c.first} calls her \"my rock\"."),
    ("any.16", "any", "body", "{c.first} said will {r.first} ever forgive me, then went quiet."),
    ("nurs.b11", "nursing", "body", "{age90} pt, hard of hearing; {rel} {r.first} ({mobile}) is NOK."),
    ("soap.b7", "soap", "body", "O: Arrived with {rel}; client is {age90} and walks with a frame. Email on file {email}."),
    ("int.b9", "intake", "body", "Contact preferences: text {mobile}, email {email}; no post to {addr}."),
    ("let.b5", "letter", "body", "Our secure inbox is {email}; referrals can also be made at {url}."),
    ("ref.b5", "referral", "body", "Referrer contact {phone}, fax {fax}, {hid}."),
    ("grp.b5", "group", "body", "{m2.fl} posted about the group as {handle}; boundaries revisited."),
    ("fam.b6", "couple_family", "body", "{rel2} {r2.full}, {age90}, lives with them and needs daily care."),
    ("sch.b6", "school", "body", "The school portal {url} shows {k.first} logged in from {ip} during class."),
    ("cri.b6", "crisis", "body", "Caller's partner reached on {phone}; messages sent to {email}."),
    ("dis.b6", "discharge", "body", "{hid}. Discharge letter emailed to {email}."),
    ("ins.b5", "insurance", "body", "Portal upload confirmation {auth} from {ip}; member phone {phone}."),
    ("tel.b6", "teletherapy", "body", "Login flagged from {ip}; client confirmed it was a new laptop."),
    ("tr.t6", "transcript", "turnT", "Is {mobile} still the best number, or should I use {email}?"),
    ("tr.c9", "transcript", "turnC", "My nan's {age90} now and she still rings me every day."),
    ("tr.c10", "transcript", "turnC", "He found my account, {handle}, and started messaging."),
    ("any.17", "any", "body", "Best contact {mobile}; alternative {phone} ({rel} {r.first})."),
    ("any.18", "any", "body", "Lives with {g.full}, {age90}, in {city}."),
    ("any.19", "any", "body", "Shared an article from {url} about {neg.model}."),
    # organisations without an organisation noun, services, Māori and school names; identifiers
    ("int.b10", "intake", "body", "Started a new job at {org.brand} in {date}; hours are long."),
    ("soap.b8", "soap", "body", "S: Manager at {org.employer} has cut {c.first}'s shifts again."),
    ("ref.b6", "referral", "body", "Previously open to {org.service} until {date}."),
    ("dis.b7", "discharge", "body", "Referred on to {org.service} for follow-up; {gp} informed."),
    ("sch.b7", "school", "body", "{k.first} moved to {org.school} this term and is settling."),
    ("fam.b7", "couple_family", "body", "{k.first} is at {org.school}; {r.first} does the school run."),
    ("any.20", "any", "body", "{c.first} volunteers with {org.maori} on Thursdays."),
    ("any.21", "any", "body", "Works part-time for {org.brand} and trains with {org.team}."),
    ("tr.c11", "transcript", "turnC", "I got let go from {org.brand} so money's tight."),
    ("tr.c12", "transcript", "turnC", "They sent me to {org.service} but the wait was months."),
    ("ref.b7", "referral", "body", "Also referred to {neg.service} for follow-up; {neg.word}."),
    ("dis.b8", "discharge", "body", "Transferred to {neg.service} on discharge; letter sent."),
    ("any.22", "any", "body", "{c.first} was previously open to {neg.service} and found it helpful."),
    ("cri.b7", "crisis", "body", "Police noted vehicle rego {plate} outside {addr}."),
    ("let.b6", "letter", "body", "Our ref: {ref}. Please quote it on any reply."),
    ("nurs.b12", "nursing", "body", "Agency nurse {p.full}, PIN {reg}, covered the night."),
    ("ins.b6", "insurance", "body", "Treating clinician registration {reg}; claim ref {ref}."),
    ("grp.b6", "group", "body", "{m1.first} got a lift from {m3.first} (car reg {plate})."),
    ("cy.4", "foreign", "body", "Mae {k.first} yn mynd i {org.school} ers mis {date}."),
    ("mi.4", "foreign", "body", "Kei {org.maori} a {r.first} e mahi ana."),
    # foreign-language passages (ordinary words are not spans)
    ("es.1", "foreign", "body", "La paciente dice que su hija {r.first} la visita los domingos y que duerme mal desde el {date}."),
    ("es.2", "foreign", "body", "Según {r.full}, el señor {c.last} no quiere tomar la {neg.drug}."),
    ("fr.1", "foreign", "body", "Mme {c.last} explique que son fils {k.first} ne va plus à l'école depuis le {date}."),
    ("fr.2", "foreign", "body", "Elle a appelé {p.dr} au {phone} ; rendez-vous prévu à {city2}."),
    ("mi.1", "foreign", "body", "Kia ora, ko {c.first} tōku ingoa. Nō {city} ahau. Ko {r.first} tōku whaea."),
    ("mi.2", "foreign", "body", "I kōrero mātou mō te whānau o {c.first}; kei te pai a {r.first} ināianei."),
    ("cy.1", "foreign", "body", "Mae {c.first} yn teimlo'n well heddiw. Bydd {r.first} yn galw ar {date}."),
    ("es.3", "foreign", "body", "Hablamos de la escuela {org.school}; la maestra {t.title} llamó el {date}."),
    ("fr.3", "foreign", "body", "Selon {r.full}, {c.first} dort mieux depuis {neg.holiday}."),
    ("mi.3", "foreign", "body", "Ka haere mai a {r.first} ki te hui ā-whānau i te {date}."),
    ("cy.3", "foreign", "body", "Ffoniodd {r.full} o {city2} i ddweud bod {c.first} yn yr ysbyty."),
    ("cy.2", "foreign", "body", "Diolch am eich llythyr, {p.dr}. Mae'r claf yn byw yn {city} gyda'i {rel}."),
]

STYLE_JOIN = {"nursing": " ", "letter": "\n\n", "transcript": "\n", "intake": "\n"}
STYLES = ["nursing", "soap", "dap", "birp", "intake", "letter", "referral", "group", "couple_family",
          "school", "crisis", "discharge", "insurance", "teletherapy", "transcript"]
SPEAKERS = [("Therapist", "Client"), ("T", "C"), ("Counsellor", "Client"), ("THERAPIST", "CLIENT"),
            ("Clinician", "Pt")]
FOREIGN_BY_COUNTRY = {"US": ["es"], "CA": ["fr", "es"], "UK": ["cy", "es", "fr"], "IE": ["fr", "es"],
                      "AU": ["es", "mi"], "NZ": ["mi"]}


def frames_for(split):
    by = collections.defaultdict(list)
    for fid, style, section, text in FRAMES:
        if split == "all" or frame_split(fid) == split:
            by[(style, section)].append((fid, text))
    return by


def render_frame(doc, text):
    pieces, pos = [], 0
    for m in re.finditer(r"\{([a-z0-9_.]+)(?:\|([Ul]))?\}", text):
        if m.start() > pos:
            pieces.append((text[pos:m.start()], None))
        for t, lab in slot(doc, m.group(1)):
            if m.group(2) == "U":
                t = case_safe(t, "upper")
            elif m.group(2) == "l":
                t = case_safe(t, "lower")
            pieces.append((t, lab))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def case_safe(s, how):
    """Upper- or lower-case character by character, keeping every offset (ß stays ß)."""
    out = []
    for ch in s:
        c2 = ch.upper() if how == "upper" else ch.lower()
        out.append(c2 if len(c2) == 1 else ch)
    return "".join(out)


def compose(rng, pools, by, idx, split):
    country = rng.choice(COUNTRIES)
    style = rng.choice(STYLES)
    doc = Doc(rng, pools, country, style)
    chosen = []
    heads = by.get((style, "head"), [])
    ends = by.get((style, "end"), [])
    own, shared = by.get((style, "body"), []), by.get(("any", "body"), [])
    body = rng.sample(own, len(own)) + rng.sample(shared, len(shared))
    n = rng.randint(3, 12)
    if heads:
        chosen += rng.sample(heads, min(len(heads), rng.randint(1, 2)))
    want_end = bool(ends) and rng.random() < 0.8
    sentences = []
    if style == "transcript":
        tT, tC = by.get(("transcript", "turnT"), []), by.get(("transcript", "turnC"), [])
        spk = rng.choice(SPEAKERS)
        k = max(0, n - len(chosen))
        turns = []
        for i in range(k):
            pool = (tT if i % 2 == 0 else tC) or body
            turns.append((pool[rng.randrange(len(pool))], spk[i % 2]))
    else:
        k = max(1, n - len(chosen) - int(want_end))
        picked = body[:k]
        turns = [(f, None) for f in rng.sample(picked, len(picked))]
    foreign = by.get(("foreign", "body"), [])
    if foreign and rng.random() < 0.15:
        langs = FOREIGN_BY_COUNTRY[country]
        fit = [f for f in foreign if f[0].split(".")[0] in langs] or foreign
        turns.insert(rng.randint(0, len(turns)), (rng.choice(fit), None))
    for f in chosen:
        sentences.append((f, None))
    sentences += turns
    if want_end:
        sentences.append((rng.choice(ends), None))
    case = rng.choices(["mixed", "upper", "lower"], [0.66, 0.17, 0.17])[0]
    if style == "nursing" and case == "mixed" and rng.random() < 0.4:
        case = rng.choice(["upper", "lower"])
    join = STYLE_JOIN.get(style, rng.choice([" ", "\n"]))
    pieces, frame_ids = [], []
    for i, ((fid, text), speaker) in enumerate(sentences):
        if i:
            pieces.append((join, None))
        if speaker:
            pieces.append((speaker + ": ", None))
        pieces += render_frame(doc, text)
        frame_ids.append(fid)
    text, spans, negatives = "", [], []
    for t, lab in pieces:
        if case != "mixed":
            t = case_safe(t, case)
        start = len(text)
        text += t
        if lab and lab.startswith("NEG:"):
            negatives.append({"start": start, "end": len(text), "type": lab[4:]})
        elif lab:
            spans.append({"start": start, "end": len(text), "label": lab, "kind": "direct"})
    rec = {"id": f"s{idx:05d}", "doc_type": style, "template": f"{style}.{split}", "country": country,
           "style": style, "case": case, "split": split, "frames": frame_ids, "text": text,
           "spans": spans, "negatives": negatives}
    if case != "mixed":
        rec["casing"] = case
    check(rec)
    return rec


def check(rec):
    text, last = rec["text"], 0
    for s in rec["spans"]:
        seg = text[s["start"]:s["end"]]
        assert seg and seg == seg.strip(), (rec["id"], seg)
        assert s["start"] >= last, (rec["id"], s)
        last = s["end"]


def generate(seed, docs, split):
    rng = random.Random(seed)
    pools = Pools()
    out = []
    by = frames_for(split)
    for i in range(docs):
        out.append(compose(rng, pools, by, i + 1, split))
    return out


def main():
    ap = argparse.ArgumentParser(description="Generate gold-annotated synthetic clinical notes.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--out", required=True, help="output JSONL file ('-' for stdout)")
    ap.add_argument("--templates-split", choices=["train", "heldout", "all"], default="all")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    recs = generate(args.seed, args.docs, args.templates_split)
    f = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="\n")
    for r in recs:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
    if f is not sys.stdout:
        f.close()
    if not args.quiet:
        summary(recs, sys.stderr if args.out == "-" else sys.stdout)


def summary(recs, f):
    spans = collections.Counter(s["label"] for r in recs for s in r["spans"])
    print(f"documents: {len(recs)}  spans: {sum(spans.values())}  negatives: "
          f"{sum(len(r['negatives']) for r in recs)}", file=f)
    for key in ("style", "country", "case"):
        c = collections.Counter(r[key] for r in recs)
        print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())), file=f)
    print("labels: " + ", ".join(f"{k} {v}" for k, v in sorted(spans.items())), file=f)


if __name__ == "__main__":
    main()
