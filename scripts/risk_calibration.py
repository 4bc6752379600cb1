#!/usr/bin/env python3
"""Calibrate `deid risk` on seeded synthetic towns where the true number of matches is known.

    scripts/risk_calibration.py --deid target/release/deid            # 3 towns, 150 people each
    scripts/risk_calibration.py --deid target/release/deid --seed 7 --towns 6 --people 300 --json
    scripts/risk_calibration.py                                        # reference estimator only

Method
------
1. Build `--towns` towns (sizes 800, 5,000, 30,000, then 2,000, 12,000, 80,000, repeating) of
   synthetic people whose attributes are drawn from the shared US tables in
   ../shared/data/population/ and ../shared/data/occupations/ (found next to the repository, or
   under $DEID_SHARED_DATA), with planted correlations and one clustered minority per town.
2. For `--people` adults per town (80 % drawn uniformly from residents aged 18+, 20 % from the
   town's cluster), render a short clinical vignette that states sex plus 1-4 more of the
   person's attributes in prose, with distractors: relatives' attributes ("her brother works as
   a welder"), negations ("she denies any hearing problems") and hypotheticals ("wonders whether
   she would be happier as a nurse"), none of which describe the client. The vignettes name no
   condition, diagnosis, place or organisation, so the estimate and the truth refer to the same
   attributes.
3. Run `DEID risk --input-format jsonl --json FILE` once on all vignettes, each record carrying
   its town's size as `population` and `audience` (default supervision, k = 5).
4. Truth = the number of OTHER residents of the town who match every attribute the vignette
   states about the client (definitions below), an exact age read as deid reads it: anyone
   within a band of `--age-band` years around it (default 5, deid's AGE_SEEN_BAND: a reader
   cannot tell 41 from 40; `--age-band 1` counts exact ages only). Compare with deid's `lambda`:
   median |log10((lambda + 0.5) / (true + 0.5))| (goal <= 0.3; the 0.5 keeps 0 finite), the share
   of truly unique people (true = 0) flagged red or amber (goal >= 0.95), the share of people with
   true >= k - 1 left green, and the share with lambda_q <= true (the conservative quantile
   not above the truth). The same figures are printed for a reference estimator computed here:
   independence over the national tables, lambda_ref = (N - 1) * prod p_i, flagged when
   lambda_ref < k - 1. It shows how far the planted correlations and clusters (and Poisson noise)
   move the truth away from what the national tables alone predict.

Attribute definitions (what a stated attribute means, and the table it comes from)
------------------------------------------------------------------------------
- sex, age: `population/age_sex_2024.tsv`, the joint male/female x single-year-of-age shares
  (age `100+` counted as 100). Sex is always stated (woman/man and pronouns). Age is stated as
  an exact age ("a 34-year-old woman": age == 34), a decade ("in her thirties": 30-39), or a
  third of a decade ("early thirties" 30-33, "mid-thirties" 34-36, "late thirties" 37-39);
  "in her twenties" is 20-29, and so on. Only residents aged 18+ are presented as clients.
- race/ethnicity: `population/acs2018_b03002.tsv`, eight groups: Hispanic or Latino (any race),
  and not-Hispanic White, Black, American Indian and Alaska Native, Asian, Native Hawaiian and
  Other Pacific Islander, Some other race (never stated), Two or more races. "Latina/Latino/
  Hispanic", "white", "Black/African American", "Native American/American Indian", "Asian
  American", "Pacific Islander", "multiracial/of mixed race" each mean the group. Drawn
  independently of age and sex.
- language spoken at home: `population/acs2018_b16001.tsv`, one B16001 language row (ages 5+).
  The text names one language of the row ("speaks Lao at home" means the row "Thai, Lao, or other
  Tai-Kadai languages"; "Mandarin" and "Cantonese" mean "Chinese"; "Somali" means "Amharic,
  Somali, or other Afro-Asiatic languages"; "Samoan" means "Ilocano, Samoan, Hawaiian, or other
  Austronesian languages"; "Bosnian" means "Serbo-Croatian"; "Pennsylvania Dutch" means the
  West Germanic row). English only is never stated. PLANTED CORRELATION (ancestry <-> language):
  each language row is given to the ethnic groups in fixed proportions (LANGUAGE_GROUPS below;
  Spanish 96 % Hispanic, Korean 92 % Asian, ...) and P(language | group) = count x proportion /
  (group's share x B16001 total), so the national marginal of each row is kept while language
  and ethnicity are strongly dependent.
- hearing difficulty: `population/difficulty_by_age_2018.tsv`, rate by sex x ACS age band
  (a real joint table: age <-> hearing correlation). "hard of hearing", "has a hearing
  impairment", "has hearing loss and wears hearing aids" and, for the Deaf-school cluster,
  "is Deaf", all mean hearing difficulty = yes. Vision difficulty likewise ("low vision",
  "a vision impairment", "partially sighted").
- occupation: `occupations/acs2018_b24114.tsv` (ACS detailed occupation, civilian employed 16+,
  self-employed included); one row per worker. Only the rows in OCCUPATIONS below are ever
  stated, with the phrase given there ("a pharmacist" = row "Pharmacists"). Whether a resident
  works: an assumed employment rate by age band (EMPLOYMENT_RATE, scaled so that the employed
  share of the town equals B24114 total / B03002 total = 0.479). PLANTED CORRELATION (sex <->
  occupation): no table here gives occupation by sex, so P(occupation | sex) is proportional to
  the row's count times an assumed female share (the `female` column of OCCUPATIONS, rounded
  general knowledge; 0.47 for rows not listed), which keeps each row's marginal close to the
  table while making nurses mostly women and electricians mostly men.
- clusters (local prevalence far above national), one per town by its index modulo 3:
  0: a Hmong-speaking extended family network (24 residents made Asian, Hmong at home);
  1: a Korean church (80 residents made Asian, Korean at home);
  2: a Deaf school (200 residents aged 5-64 with hearing difficulty; 25 of those employed become
  special education teachers and 10 interpreters). Cluster members "is Deaf" in vignettes.

The reference estimator uses: P(sex, age in interval) from age_sex_2024; P(group) from B03002;
P(language) = row count / B16001 total; P(hearing | sex, age interval) averaged over the ACS
bands the interval covers, weighted by age_sex population (the sex's all-ages rate when age is
not stated); P(occupation) = row count / B03002 total. Standard library only; the towns, the
vignettes and every figure depend only on --seed, --towns, --people and the tables.
"""
import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWN_SIZES = [800, 5_000, 30_000, 2_000, 12_000, 80_000]
K = {"supervision": 5, "teaching": 11, "publication": 11, "research": 11}

# B03002 groups: key -> (label suffix in the table, adjective phrases for vignettes)
GROUPS = {
    "hispanic": ("Hispanic or Latino", {"female": ["Latina", "Hispanic"], "male": ["Latino", "Hispanic"]}),
    "white": ("Not Hispanic or Latino > White alone", ["white"]),
    "black": ("Not Hispanic or Latino > Black or African American alone", ["Black", "African American"]),
    "aian": ("Not Hispanic or Latino > American Indian and Alaska Native alone",
             ["Native American", "American Indian"]),
    "asian": ("Not Hispanic or Latino > Asian alone", ["Asian American"]),
    "nhpi": ("Not Hispanic or Latino > Native Hawaiian and Other Pacific Islander alone",
             ["of Pacific Islander heritage"]),
    "other": ("Not Hispanic or Latino > Some other race alone", []),
    "two": ("Not Hispanic or Latino > Two or more races", ["multiracial", "of mixed race"]),
}

EURO = {"white": 0.92, "two": 0.08}
ASIAN = {"asian": 0.92, "two": 0.08}
AFRICAN = {"black": 0.95, "two": 0.05}
# B16001 row label -> (name used in vignettes or None if never stated, share of the row by group)
LANGUAGE_GROUPS = {
    "Spanish": ("Spanish", {"hispanic": 0.96, "white": 0.02, "black": 0.01, "two": 0.01}),
    "French (incl. Cajun)": ("French", {"white": 0.75, "black": 0.2, "two": 0.05}),
    "Haitian": ("Haitian Creole", {"black": 1.0}),
    "Italian": ("Italian", EURO),
    "Portuguese": ("Portuguese", {"white": 0.7, "hispanic": 0.3}),
    "German": ("German", EURO),
    "Yiddish, Pennsylvania Dutch or other West Germanic languages": ("Pennsylvania Dutch", EURO),
    "Greek": ("Greek", EURO),
    "Russian": ("Russian", EURO),
    "Polish": ("Polish", EURO),
    "Serbo-Croatian": ("Bosnian", EURO),
    "Ukrainian or other Slavic languages": ("Ukrainian", EURO),
    "Armenian": ("Armenian", EURO),
    "Persian (incl. Farsi, Dari)": ("Farsi", EURO),
    "Gujarati": ("Gujarati", ASIAN),
    "Hindi": ("Hindi", ASIAN),
    "Urdu": ("Urdu", ASIAN),
    "Punjabi": ("Punjabi", ASIAN),
    "Bengali": ("Bengali", ASIAN),
    "Nepali, Marathi, or other Indic languages": ("Nepali", ASIAN),
    "Other Indo-European languages": (None, EURO),
    "Telugu": ("Telugu", ASIAN),
    "Tamil": ("Tamil", ASIAN),
    "Malayalam, Kannada, or other Dravidian languages": ("Malayalam", ASIAN),
    "Chinese (incl. Mandarin, Cantonese)": ("Mandarin", ASIAN),
    "Japanese": ("Japanese", ASIAN),
    "Korean": ("Korean", ASIAN),
    "Hmong": ("Hmong", ASIAN),
    "Vietnamese": ("Vietnamese", ASIAN),
    "Khmer": ("Khmer", ASIAN),
    "Thai, Lao, or other Tai-Kadai languages": ("Lao", ASIAN),
    "Other languages of Asia": (None, ASIAN),
    "Tagalog (incl. Filipino)": ("Tagalog", ASIAN),
    "Ilocano, Samoan, Hawaiian, or other Austronesian languages": ("Samoan", {"nhpi": 0.5, "asian": 0.4, "two": 0.1}),
    "Arabic": ("Arabic", {"white": 0.9, "two": 0.1}),
    "Hebrew": ("Hebrew", EURO),
    "Amharic, Somali, or other Afro-Asiatic languages": ("Somali", AFRICAN),
    "Yoruba, Twi, Igbo, or other languages of Western Africa": ("Yoruba", AFRICAN),
    "Swahili or other languages of Central, Eastern, and Southern Africa": ("Swahili", AFRICAN),
    "Navajo": ("Navajo", {"aian": 0.95, "two": 0.05}),
    "Other Native languages of North America": (None, {"aian": 0.95, "two": 0.05}),
    "Other and unspecified languages": (None, {"white": 0.5, "asian": 0.3, "two": 0.2}),
}

# B24114 row label -> (phrase with article, assumed female share). Only these are stated.
OCCUPATIONS = {
    "Elementary and middle school teachers": ("an elementary school teacher", 0.80),
    "Driver/sales workers and truck drivers": ("a truck driver", 0.07),
    "Cashiers": ("a cashier", 0.72),
    "Registered nurses": ("a registered nurse", 0.88),
    "Customer service representatives": ("a customer service representative", 0.65),
    "Janitors and building cleaners": ("a janitor", 0.35),
    "Cooks": ("a cook", 0.38),
    "Waiters and waitresses": ("a restaurant server", 0.70),
    "Accountants and auditors": ("an accountant", 0.60),
    "Construction laborers": ("a construction laborer", 0.04),
    "Nursing assistants": ("a nursing assistant", 0.88),
    "Software developers": ("a software developer", 0.20),
    "Childcare workers": ("a childcare worker", 0.93),
    "Carpenters": ("a carpenter", 0.03),
    "Lawyers": ("a lawyer", 0.37),
    "Police officers": ("a police officer", 0.14),
    "Electricians": ("an electrician", 0.03),
    "Secondary school teachers": ("a high school teacher", 0.58),
    "Hairdressers, hairstylists, and cosmetologists": ("a hairdresser", 0.90),
    "Automotive service technicians and mechanics": ("a car mechanic", 0.02),
    "Farmers, ranchers, and other agricultural managers": ("a farmer", 0.25),
    "Bartenders": ("a bartender", 0.55),
    "Taxi drivers": ("a taxi driver", 0.13),
    "Clergy": ("a minister", 0.20),
    "Pharmacists": ("a pharmacist", 0.60),
    "Firefighters": ("a firefighter", 0.05),
    "Dentists": ("a dentist", 0.35),
    "Veterinarians": ("a veterinarian", 0.65),
    "Librarians and media collections specialists": ("a librarian", 0.80),
    "Dental hygienists": ("a dental hygienist", 0.94),
    "Physical therapists": ("a physical therapist", 0.65),
    "Speech-language pathologists": ("a speech-language pathologist", 0.95),
    "Aircraft pilots and flight engineers": ("a pilot", 0.06),
    "Barbers": ("a barber", 0.25),
    "Bakers": ("a baker", 0.60),
    "Welding, soldering, and brazing workers": ("a welder", 0.05),
    "Bus drivers, school": ("a school bus driver", 0.55),
    "Chiropractors": ("a chiropractor", 0.30),
    "Optometrists": ("an optometrist", 0.45),
    "Audiologists": ("an audiologist", 0.85),
    "Funeral home managers": ("a funeral home manager", 0.30),
    "Surgeons": ("a surgeon", 0.20),
    "Interpreters and translators": ("an interpreter", 0.65),
    "Musicians and singers": ("a musician", 0.30),
    "Special education teachers": ("a special education teacher", 0.85),
    "Postal service mail carriers": ("a mail carrier", 0.40),
    "Roofers": ("a roofer", 0.02),
    "Logging workers": ("a logger", 0.03),
    "Millwrights": ("a millwright", 0.03),
    "Judges, magistrates, and other judicial workers": ("a judge", 0.40),
    "Emergency medical technicians": ("an EMT", 0.35),
    "Personal care aides": ("a personal care aide", 0.80),
    "Security guards and gambling surveillance officers": ("a security guard", 0.22),
    "Landscaping and groundskeeping workers": ("a landscaper", 0.06),
    "Real estate brokers and sales agents": ("a real estate agent", 0.60),
    "Chief executives": ("a chief executive", 0.28),
    "Food service managers": ("a restaurant manager", 0.45),
    "Postsecondary teachers": ("a college professor", 0.48),
}
DEFAULT_FEMALE = 0.47
# Assumed employment rate by age band (upper bound inclusive), before scaling; men x1.08, women x0.92.
EMPLOYMENT_RATE = [(15, 0.0), (19, 0.30), (24, 0.66), (54, 0.79), (64, 0.62), (74, 0.25), (200, 0.06)]
ACS_BANDS = [(0, 4, "Under 5 years"), (5, 17, "5 to 17 years"), (18, 34, "18 to 34 years"),
             (35, 64, "35 to 64 years"), (65, 74, "65 to 74 years"), (75, 200, "75 years and over")]
DECADES = {1: "teens", 2: "twenties", 3: "thirties", 4: "forties", 5: "fifties", 6: "sixties",
           7: "seventies", 8: "eighties", 9: "nineties"}
ATTR_WEIGHTS = {"age": 3.0, "occupation": 3.0, "race": 1.5, "language": 2.0, "hearing": 2.0, "vision": 2.0}


# ---------------------------------------------------------------- tables


def data_dir():
    env = os.environ.get("DEID_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data",
                   Path("/work/shared/data"), ROOT / "tests" / "risk" / "data"]
    for c in candidates:
        if (c / "population" / "age_sex_2024.tsv").exists():
            return c
    sys.exit("risk_calibration: shared data not found; set DEID_SHARED_DATA to ../shared/data")


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


class Tables:
    def __init__(self, base):
        self.age_sex = {}  # (sex, age) -> population
        for r in read_tsv(base / "population" / "age_sex_2024.tsv"):
            if r["sex"] in ("male", "female") and r["age"] != "all":
                age = 100 if r["age"] == "100+" else int(r["age"])
                self.age_sex[(r["sex"], age)] = int(r["population_2024"])
        self.total_pop = sum(self.age_sex.values())
        b03002 = {r["label"]: int(r["count"]) for r in read_tsv(base / "population" / "acs2018_b03002.tsv")}
        self.race_total = b03002["Total"]
        self.group_share = {g: b03002["Total > " + label] / self.race_total for g, (label, _) in GROUPS.items()}
        lang_rows = {r["label"][len("Total > "):]: int(r["count"])
                     for r in read_tsv(base / "population" / "acs2018_b16001.tsv")
                     if r["label"].count(" > ") == 1}
        self.lang_total = int(read_tsv(base / "population" / "acs2018_b16001.tsv")[0]["count"])
        self.lang_count = {k: v for k, v in lang_rows.items() if k != "Speak only English"}
        missing = set(LANGUAGE_GROUPS) ^ set(self.lang_count)
        if missing:
            sys.exit(f"risk_calibration: B16001 rows and LANGUAGE_GROUPS differ: {sorted(missing)}")
        # P(language | group), ages 5+
        self.lang_given_group = {g: [] for g in GROUPS}
        for lang, (_, split) in LANGUAGE_GROUPS.items():
            for g, frac in split.items():
                p = self.lang_count[lang] * frac / (self.group_share[g] * self.lang_total)
                self.lang_given_group[g].append((lang, p))
        for g, rows in self.lang_given_group.items():
            if sum(p for _, p in rows) >= 1:
                sys.exit(f"risk_calibration: languages exceed group {g}")
        self.difficulty = {}  # (sex, band label) -> (hearing rate, vision rate, population)
        for r in read_tsv(base / "population" / "difficulty_by_age_2018.tsv"):
            self.difficulty[(r["sex"], r["age_band"])] = (float(r["hearing_rate"]),
                                                          float(r["vision_rate"]), int(r["population"]))
        occ = read_tsv(base / "occupations" / "acs2018_b24114.tsv")
        self.occ_total = int(occ[0]["count"])
        self.occ_count = {r["label"][len("Total > "):]: int(r["count"]) for r in occ[1:]}
        unknown = set(OCCUPATIONS) - set(self.occ_count)
        if unknown:
            sys.exit(f"risk_calibration: OCCUPATIONS not in B24114: {sorted(unknown)}")
        self.employed_share = self.occ_total / self.race_total
        occ_items = list(self.occ_count.items())
        self.occ_labels = [k for k, _ in occ_items]
        self.occ_weights = {
            sex: [c * (OCCUPATIONS.get(k, (None, DEFAULT_FEMALE))[1] if sex == "female"
                       else 1 - OCCUPATIONS.get(k, (None, DEFAULT_FEMALE))[1]) for k, c in occ_items]
            for sex in ("female", "male")}
        # scale the employment rates so the employed share matches the tables
        raw = sum(pop * employment_rate(age, sex) for (sex, age), pop in self.age_sex.items())
        self.employment_scale = self.employed_share * self.total_pop / raw

    def band_rates(self, sex, age):
        for lo, hi, label in ACS_BANDS:
            if lo <= age <= hi:
                return self.difficulty[(sex, label)]
        raise AssertionError(age)


def employment_rate(age, sex):
    for hi, rate in EMPLOYMENT_RATE:
        if age <= hi:
            return rate * (1.08 if sex == "male" else 0.92)
    return 0.0


# ---------------------------------------------------------------- towns


def make_town(tables, size, index, rng):
    keys = list(tables.age_sex)
    weights = [tables.age_sex[k] for k in keys]
    groups = list(GROUPS)
    gweights = [tables.group_share[g] for g in groups]
    people = []
    for (sex, age), group in zip(rng.choices(keys, weights, k=size), rng.choices(groups, gweights, k=size)):
        lang = None
        if age >= 5:
            u = rng.random()
            for name, p in tables.lang_given_group[group]:
                u -= p
                if u < 0:
                    lang = name
                    break
        hear_rate, vis_rate, _ = tables.band_rates(sex, age)
        occ = None
        if rng.random() < min(1.0, employment_rate(age, sex) * tables.employment_scale):
            occ = rng.choices(tables.occ_labels, tables.occ_weights[sex])[0]
        people.append({"sex": sex, "age": age, "race": group, "language": lang,
                       "hearing": rng.random() < hear_rate, "vision": rng.random() < vis_rate,
                       "occupation": occ, "cluster": False})
    kind = index % 3
    if kind == 0:  # Hmong-speaking extended family network
        members = rng.sample(range(size), min(24, size))
        for i in members:
            people[i].update(race="asian", language="Hmong" if people[i]["age"] >= 5 else None, cluster=True)
        name = "Hmong-speaking family network (24)"
    elif kind == 1:  # Korean church
        members = rng.sample(range(size), min(80, size))
        for i in members:
            people[i].update(race="asian", language="Korean" if people[i]["age"] >= 5 else None, cluster=True)
        name = "Korean church (80)"
    else:  # Deaf school
        eligible = [i for i, p in enumerate(people) if 5 <= p["age"] <= 64]
        members = rng.sample(eligible, min(200, len(eligible)))
        for i in members:
            people[i].update(hearing=True, cluster=True)
        employed = [i for i in members if people[i]["occupation"]]
        for n, i in enumerate(employed[:35]):
            people[i]["occupation"] = "Special education teachers" if n < 25 else "Interpreters and translators"
        name = "Deaf school (200)"
    for i, p in enumerate(people):
        p["index"] = i
    return people, name


# ---------------------------------------------------------------- vignettes


def pron(sex):
    if sex == "female":
        return {"she": "she", "She": "She", "her": "her", "Her": "Her", "herself": "herself", "noun": "woman"}
    return {"she": "he", "She": "He", "her": "his", "Her": "His", "herself": "himself", "noun": "man"}


def age_statement(age, rng):
    """Return (phrase kind, (lo, hi), words). kind exact|decade|third."""
    decade = age // 10
    if age >= 90 or age < 20 or rng.random() < 0.5:
        return "exact", (age, age), f"{age}-year-old"
    if rng.random() < 0.6:
        return "decade", (decade * 10, decade * 10 + 9), f"in {{her}} {DECADES[decade]}"
    r = age % 10
    part, lo, hi = ("early", 0, 3) if r <= 3 else (("mid", 4, 6) if r <= 6 else ("late", 7, 9))
    return "third", (decade * 10 + lo, decade * 10 + hi), f"in {{her}} {part}-{DECADES[decade]}"


FILLER = [
    "{She} was referred by {her} doctor and has come to four sessions so far.",
    "{She} wants help thinking through a decision about the year ahead.",
    "We have been meeting weekly, and {she} is thoughtful and engaged.",
    "{She} says the last few months have been harder than {she} expected.",
    "{She} came in after a friend suggested it, and was unsure what to expect.",
    "{She} is warm in sessions and sometimes jokes to change the subject.",
    "I would like the group's thoughts on how to pace the work.",
    "{She} describes a busy week and little time for {herself}.",
]
RELATIVES = {"female": ["sister", "mother", "aunt", "daughter"], "male": ["brother", "father", "uncle", "son"]}


def render(person, stated, tables, rng, town_people):
    """Build a vignette stating exactly `stated` (plus sex) about `person`."""
    w = pron(person["sex"])
    fmt = lambda s: s.format(**w)
    sentences = []
    age_words = stated.get("age_words")
    intro = rng.choice(["The client is", "My client is", "I am seeing", "This client is"])
    if age_words and age_words[0].isdigit():
        article = "an" if age_words.startswith("8") or age_words.startswith(("11-", "18-")) else "a"
        first = f"{intro} {article} {age_words} {w['noun']}."
    elif age_words:
        first = f"{intro} a {w['noun']} {fmt(age_words)}."
    else:
        first = f"{intro} a {w['noun']} who came to the service a few weeks ago."
    body = []
    if "occupation" in stated:
        phrase = OCCUPATIONS[person["occupation"]][0]
        body.append(rng.choice([f"{{She}} works as {phrase}.", f"{{She}} has worked as {phrase} for years.",
                                f"By trade {{she}} is {phrase}.", f"{{She}} is employed as {phrase}."]))
    if "race" in stated:
        adjs = GROUPS[person["race"]][1]
        adj = rng.choice(adjs[person["sex"]] if isinstance(adjs, dict) else adjs)
        body.append(rng.choice([f"{{She}} is {adj}.", f"{{She}} describes {{herself}} as {adj}."]))
    if "language" in stated:
        name = LANGUAGE_GROUPS[person["language"]][0]
        body.append(rng.choice([f"{{She}} speaks {name} at home.", f"At home the family speaks {name}.",
                                f"{{Her}} first language is {name}, which {{she}} speaks at home."]))
    if "hearing" in stated:
        if person["cluster"] and person["hearing"] and rng.random() < 0.7:
            body.append("{She} is Deaf and signs.")
        else:
            body.append(rng.choice(["{She} is hard of hearing.", "{She} has a hearing impairment.",
                                    "{She} has hearing loss and wears hearing aids."]))
    if "vision" in stated:
        body.append(rng.choice(["{She} has low vision.", "{She} has a vision impairment.",
                                "{She} is partially sighted."]))
    body += rng.sample(FILLER, 2)
    # distractors: other people's attributes, negations, hypotheticals (none describe the client)
    rel = lambda: rng.choice(RELATIVES[rng.choice(["female", "male"])])
    if rng.random() < 0.6:
        other = rng.choice(town_people)
        choice = rng.random()
        if choice < 0.4 and other["occupation"] in OCCUPATIONS:
            body.append(f"{{Her}} {rel()} works as {OCCUPATIONS[other['occupation']][0]}.")
        elif choice < 0.7:
            lang = rng.choice([v[0] for v in LANGUAGE_GROUPS.values() if v[0]])
            body.append(f"{{Her}} {rel()} speaks {lang} at home.")
        else:
            body.append(f"{{Her}} {rel()} is hard of hearing.")
    if not person["hearing"] and "hearing" not in stated and rng.random() < 0.25:
        body.append("{She} denies any hearing problems.")
    if not person["vision"] and "vision" not in stated and rng.random() < 0.15:
        body.append("No vision problems are reported.")
    if rng.random() < 0.2:
        job = rng.choice([v[0] for v in OCCUPATIONS.values()])
        body.append(f"{{She}} sometimes wonders whether {{she}} would be happier as {job}.")
    rng.shuffle(body)
    return " ".join([first] + [fmt(s) for s in body])


def choose_attributes(person, rng):
    available = ["age"]
    if person["occupation"] in OCCUPATIONS:
        available.append("occupation")
    if person["race"] != "other":
        available.append("race")
    if person["language"] and LANGUAGE_GROUPS[person["language"]][0]:
        available.append("language")
    if person["hearing"]:
        available.append("hearing")
    if person["vision"]:
        available.append("vision")
    m = min(rng.randint(1, 4), len(available))
    chosen = []
    pool = list(available)
    for _ in range(m):
        pick = rng.choices(pool, [ATTR_WEIGHTS[a] for a in pool])[0]
        chosen.append(pick)
        pool.remove(pick)
    return chosen


AGE_BAND = 5  # deid's AGE_SEEN_BAND (crates/deid-core/src/risk/mod.rs); --age-band


def as_seen(lo, hi, band):
    """deid's `as_seen`: an exact age or an interval narrower than `band` years widened to
    `band` years around it (a reader cannot tell 41 from 40), never below 0."""
    if hi - lo >= band - 1:
        return lo, hi
    spare = band - 1 - (hi - lo)
    below = min(spare // 2, lo)
    return lo - below, hi + (spare - below)


def matches(q, p, spec):
    if q["sex"] != p["sex"]:
        return False
    if "age" in spec and not spec["age"][0] <= q["age"] <= spec["age"][1]:
        return False
    for a in ("occupation", "race", "language"):
        if a in spec and q[a] != p[a]:
            return False
    if "hearing" in spec and not q["hearing"]:
        return False
    if "vision" in spec and not q["vision"]:
        return False
    return True


def reference_lambda(tables, person, spec, size):
    sex = person["sex"]
    lo, hi = spec.get("age", (0, 100))
    pop_sex_age = sum(tables.age_sex[(sex, a)] for a in range(lo, hi + 1))
    p = pop_sex_age / tables.total_pop
    if "occupation" in spec:
        p *= tables.occ_count[person["occupation"]] / tables.race_total
    if "race" in spec:
        p *= tables.group_share[person["race"]]
    if "language" in spec:
        p *= tables.lang_count[person["language"]] / tables.lang_total
    for attr, col in (("hearing", 0), ("vision", 1)):
        if attr in spec:
            num = sum(tables.age_sex[(sex, a)] * tables.band_rates(sex, a)[col] for a in range(lo, hi + 1))
            p *= num / pop_sex_age
    return (size - 1) * p


def build(tables, seed, towns, people_per_town, band=AGE_BAND):
    rng = random.Random(seed)
    records = []
    town_info = []
    for t in range(towns):
        size = TOWN_SIZES[t % len(TOWN_SIZES)]
        town, cluster = make_town(tables, size, t, rng)
        town_info.append({"town": t, "size": size, "cluster": cluster})
        adults = [p for p in town if p["age"] >= 18]
        cluster_adults = [p for p in adults if p["cluster"]]
        n_cluster = min(len(cluster_adults), round(people_per_town * 0.2))
        sample = rng.sample(cluster_adults, n_cluster)
        chosen = {p["index"] for p in sample}
        rest = [p for p in adults if p["index"] not in chosen]
        sample += rng.sample(rest, min(len(rest), people_per_town - n_cluster))
        by_sex = defaultdict(list)
        for q in town:
            by_sex[q["sex"]].append(q)
        for n, person in enumerate(sample):
            attrs = choose_attributes(person, rng)
            spec, stated = {}, {}
            for a in attrs:
                if a == "age":
                    kind, interval, words = age_statement(person["age"], rng)
                    interval = as_seen(*interval, band)
                    spec["age"], stated["age_words"], spec["age_kind"] = interval, words, kind
                else:
                    spec[a] = True
                    stated[a] = True
            text = render(person, stated, tables, rng, town)
            true = sum(1 for q in by_sex[person["sex"]]
                       if q["index"] != person["index"] and matches(q, person, spec))
            records.append({
                "id": f"t{t}-p{n:03d}", "text": text, "population": size, "town": t,
                "true": true, "lambda_ref": reference_lambda(tables, person, spec, size),
                "attributes": ["sex"] + [a for a in attrs],
                "age_kind": spec.get("age_kind", "none"), "cluster": person["cluster"],
                "gendered_occupation": "occupation" in spec
                and abs(OCCUPATIONS[person["occupation"]][1] - 0.5) >= 0.3,
            })
    return records, town_info


# ---------------------------------------------------------------- deid


class CliMissing(Exception):
    pass


def run_deid(deid, records, audience):
    if not (os.path.isfile(deid) and os.access(deid, os.X_OK)):
        raise CliMissing(f"{deid}: no such executable; build it with "
                         "`nice cargo build --release -p deid-cli` or pass --deid")
    probe = subprocess.run([deid, "risk", "--help"], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        lines = [l for l in (probe.stderr or probe.stdout).splitlines() if l.strip()] or [""]
        raise CliMissing(f"{deid} has no working `risk` command yet ({lines[0].strip()[:200]}); "
                         "this script needs `deid risk --input-format jsonl --json`")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({"id": r["id"], "text": r["text"], "audience": audience,
                                "population": r["population"]}) + "\n")
        tmp = f.name
    try:
        proc = subprocess.run([deid, "risk", "--input-format", "jsonl", "--json", tmp],
                              capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(tmp)
    if proc.returncode != 0:
        raise CliMissing(f"`deid risk` exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    out = {}
    for line in proc.stdout.splitlines():
        if line.strip():
            obj = json.loads(line)
            out[str(obj.get("id"))] = obj
    missing = [r["id"] for r in records if r["id"] not in out]
    if missing:
        raise CliMissing(f"`deid risk` printed no result for {len(missing)} record(s)")
    return out


# ---------------------------------------------------------------- metrics


def log_err(lam, true):
    return abs(math.log10((lam + 0.5) / (true + 0.5)))


def metrics(rows, k, lam_key, flag_fn, lamq_key=None):
    """rows: records with `true` and the estimate under lam_key; flag_fn(row) -> level string."""
    if not rows:
        return None
    errs = [log_err(max(0.0, r[lam_key]), r["true"]) for r in rows]
    unique = [r for r in rows if r["true"] == 0]
    common = [r for r in rows if r["true"] >= k - 1]
    m = {
        "n": len(rows),
        "median_abs_log10_error": statistics.median(errs),
        "within_0.3": sum(e <= 0.3 for e in errs) / len(errs),
        "truly_unique": len(unique),
        "unique_flagged": (sum(flag_fn(r) in ("red", "amber") for r in unique) / len(unique)) if unique else None,
        "true_at_least_k_minus_1": len(common),
        "common_left_green": (sum(flag_fn(r) == "green" for r in common) / len(common)) if common else None,
    }
    if lamq_key:
        qs = [r for r in rows if r.get(lamq_key) is not None]
        m["lambda_q_not_above_true"] = (sum(r[lamq_key] <= r["true"] for r in qs) / len(qs)) if qs else None
    return m


def slices(records):
    out = {"all": records}
    for t in sorted({r["town"] for r in records}):
        out[f"town {t} (N={records[[r['town'] for r in records].index(t)]['population']})"] = \
            [r for r in records if r["town"] == t]
    out["cluster members"] = [r for r in records if r["cluster"]]
    out["not in cluster"] = [r for r in records if not r["cluster"]]
    out["gendered occupation stated"] = [r for r in records if r["gendered_occupation"]]
    for kind in ("exact", "decade", "third", "none"):
        out[f"age stated: {kind}"] = [r for r in records if r["age_kind"] == kind]
    for n in (2, 3, 4, 5):
        out[f"{n} attributes"] = [r for r in records if len(r["attributes"]) == n]
    for lo, hi, label in ((0, 0, "true = 0"), (1, 3, "true 1-3"), (4, 20, "true 4-20"),
                          (21, 10**9, "true > 20")):
        out[label] = [r for r in records if lo <= r["true"] <= hi]
    out["language stated"] = [r for r in records if "language" in r["attributes"]]
    out["hearing stated"] = [r for r in records if "hearing" in r["attributes"]]
    return {name: rows for name, rows in out.items() if rows}


def fmtv(x, pct=False):
    if x is None:
        return "   -  "
    return f"{x:6.3f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deid", help="path to the deid binary; without it only the reference estimator runs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--towns", type=int, default=3)
    ap.add_argument("--people", type=int, default=150, help="vignettes per town (default 150)")
    ap.add_argument("--audience", default="supervision", choices=sorted(K))
    ap.add_argument("--json", action="store_true", help="print one JSON summary instead of tables")
    ap.add_argument("--write-vignettes", metavar="FILE", help="also write the vignettes with their truth as JSONL")
    ap.add_argument("--age-band", type=int, default=AGE_BAND,
                    help="years an exact age is matched within, as deid reads it (default "
                         f"{AGE_BAND}, deid's AGE_SEEN_BAND; 1 counts exact ages only)")
    ap.add_argument("--max-error", type=float,
                    help="exit 1 when deid's median |log10 error| is above this")
    ap.add_argument("--min-unique-flagged", type=float,
                    help="exit 1 when deid flags a smaller share of truly unique people")
    args = ap.parse_args(argv)
    k = K[args.audience]

    tables = Tables(data_dir())
    records, towns = build(tables, args.seed, args.towns, args.people, args.age_band)
    if args.write_vignettes:
        with open(args.write_vignettes, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")

    error = None
    have_deid = False
    if args.deid:
        try:
            res = run_deid(args.deid, records, args.audience)
            for r in records:
                o = res[r["id"]]
                r["lambda"] = float(o.get("lambda", float("nan")))
                r["lambda_q"] = o.get("lambda_q")
                r["level"] = o.get("level")
            have_deid = True
        except CliMissing as e:
            error = str(e)

    ref_level = lambda r: "red" if r["lambda_ref"] < 1 else ("amber" if r["lambda_ref"] < k - 1 else "green")
    summary = {
        "method": "synthetic towns from the shared US tables with planted correlations "
                  "(ancestry<->language, sex<->occupation; age<->hearing from the joint ACS table) and one "
                  "clustered minority per town; truth = other residents matching every stated attribute "
                  f"(an exact age as deid reads it: within a band of {args.age_band} years); "
                  "error = median |log10((lambda+0.5)/(true+0.5))|; reference = independence over national "
                  "tables, lambda_ref=(N-1)*prod p_i",
        "seed": args.seed, "towns": towns, "people": len(records), "audience": args.audience, "k": k,
        "slices": {},
    }
    for name, rows in slices(records).items():
        entry = {"reference": metrics(rows, k, "lambda_ref", ref_level)}
        if have_deid:
            entry["deid"] = metrics(rows, k, "lambda", lambda r: r["level"], "lambda_q")
        summary["slices"][name] = entry

    if args.json:
        if error:
            summary["error"] = error
        json.dump(summary, sys.stdout, indent=1)
        print()
    else:
        print("risk calibration on synthetic towns (seed %d, audience %s, k=%d)" % (args.seed, args.audience, k))
        print("method: " + summary["method"])
        for t in towns:
            print(f"  town {t['town']}: {t['size']:,} people, cluster: {t['cluster']}")
        n_unique = sum(r["true"] == 0 for r in records)
        print(f"  {len(records)} vignettes; {n_unique} truly unique (true=0); "
              f"{sum(r['true'] >= k - 1 for r in records)} with true >= k-1")
        if have_deid:
            a = summary["slices"]["all"]["deid"]
            print(f"RESULT deid median_abs_log10_error={a['median_abs_log10_error']:.3f} (goal <= 0.3) "
                  f"unique_flagged={fmtv(a['unique_flagged']).strip()} (goal >= 0.95) "
                  f"common_left_green={fmtv(a['common_left_green']).strip()}")
        a = summary["slices"]["all"]["reference"]
        print(f"RESULT reference median_abs_log10_error={a['median_abs_log10_error']:.3f} "
              f"unique_flagged={fmtv(a['unique_flagged']).strip()} common_left_green={fmtv(a['common_left_green']).strip()}")
        head = f"  {'slice':<34} {'n':>4}  {'med|err|':>8} {'<=0.3':>6} {'uniq':>5} {'flagged':>7} {'>=k-1':>6} {'green':>6}"
        for who in (["deid"] if have_deid else []) + ["reference"]:
            print(f"\n{who}:" + ("  (lambda_q <= true shown last)" if who == "deid" else ""))
            print(head + ("  lq<=true" if who == "deid" else ""))
            for name, entry in summary["slices"].items():
                m = entry[who]
                line = (f"  {name:<34} {m['n']:>4}  {m['median_abs_log10_error']:8.3f} {m['within_0.3']:6.3f} "
                        f"{m['truly_unique']:>5} {fmtv(m['unique_flagged']):>7} {m['true_at_least_k_minus_1']:>6} "
                        f"{fmtv(m['common_left_green']):>6}")
                if who == "deid":
                    line += f"  {fmtv(m.get('lambda_q_not_above_true'))}"
                print(line)
    if error:
        print(f"risk_calibration: {error}", file=sys.stderr)
        return 2
    deid_all = summary["slices"]["all"].get("deid")
    failed = []
    if deid_all and args.max_error is not None and deid_all["median_abs_log10_error"] > args.max_error:
        failed.append(f"median |log10 error| {deid_all['median_abs_log10_error']:.3f} > {args.max_error}")
    if (deid_all and args.min_unique_flagged is not None
            and (deid_all["unique_flagged"] or 0.0) < args.min_unique_flagged):
        failed.append(f"unique flagged {deid_all['unique_flagged']:.3f} < {args.min_unique_flagged}")
    if failed:
        print("risk_calibration: FAILED: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(0)
