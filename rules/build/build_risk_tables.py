#!/usr/bin/env python3
"""Regenerates the base-rate tables of the re-identification risk estimator (rules/risk/).

    python3 rules/build/build_risk_tables.py [--data ../shared/data] [--out rules/risk]

Standard library only; deterministic (sorted output), so an unchanged input gives no diff.

Writes:
  places.tsv       name, country (US UK IE CA AU NZ), region, region code, population, kind
                   (town | county | region | country). Towns: GeoNames cities500 for the six
                   countries (CC BY 4.0); US counties and states: Census 2019 estimates.
  sections.tsv     name, country, region, parent, parent population: the suburbs and
                   neighbourhoods (GeoNames feature code PPLX) of the six countries and the place
                   each is part of (see `sections` below; GeoNames cities5000, CC BY 4.0).
  occupations.tsv  term, SOC code, employment, major group: OEWS May 2021 detailed occupations,
                   titles singularised and cut at the first comma, each part of a title that
                   lists jobs (public domain, BLS).
  ages.tsv         age, share of all / male / female residents: Census Vintage 2024
                   (public domain).
  languages.tsv    language, share speaking it at home: ACS 2018 B16001 (public domain).
  zip3_restricted.txt  ZIP3 areas of 20,000 people or fewer (2010 ZCTAs; HIPAA Safe Harbor).
  hearing.tsv      sex, age band lower bound, upper bound, hearing-difficulty rate: ACS 2018
                   1-year (public domain); the joint table for Deaf / hard-of-hearing by age.

Never point --data at physionet-dev (evaluation data): refused.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import sys

COUNTRY = {"US": "US", "GB": "UK", "IE": "IE", "CA": "CA", "AU": "AU", "NZ": "NZ"}
CA_CODES = {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
            "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"}
AU_CODES = {"01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS",
            "07": "VIC", "08": "WA"}


def rows(path: str):
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [l for l in fh if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def singular(word: str) -> str:
    w = word
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"),
                     ("men", "man"), ("xes", "x")):
        if w.endswith(suf):
            return w[: -len(suf)] + rep
    if w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
        return w[:-1]
    return w


PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "ee", "eon", "ier", "ot",
                   "ic", "ive", "ain", "ary", "smith", "wright", "aid", "hand", "cook", "chef",
                   "clergy", "nurse", "guard", "judge", "pilot", "cashier", "model", "aide",
                   "teller", "usher", "host", "porter", "butcher", "baker", "tailor", "barber")
# Words that are occupations in the table but mostly mean something else in a note ("this
# writer" is the clinician; "director" of a clinic; "model" of care).
AMBIGUOUS = {"writer", "director", "model", "host", "agent", "server", "runner", "author",
             "producer", "reporter", "editor", "member", "manager", "supervisor", "worker",
             "officer", "assistant", "helper", "specialist", "technician", "operator",
             "instructor", "coordinator", "representative", "investigator", "inspector",
             "examiner", "counselor", "educator", "advocate", "analyst", "consultant",
             "atmospheric", "caster", "changer", "computer", "collector", "cutter", "finisher",
             "grader", "molder", "packer", "pourer", "presser", "scaler", "sewer", "sorter",
             "stocker", "taper", "tender", "tester", "trimmer", "tuner", "weigher", "buyer",
             "fitter", "faller", "offbearer", "demonstrator", "interviewer", "attendant",
             "packager", "repairer", "setter", "feeder", "driver", "mover", "loader",
             "checker", "sampler", "searcher", "filer", "blaster", "scout", "coach", "referee",
             "sharpener"}


# Person nouns with other endings ("Architects", "Paralegals", "Athletes", "News Analysts").
PERSON_WORDS = {"architect", "paralegal", "athlete", "analyst", "medic", "diplomat", "pilot",
                "coach", "scout", "umpire", "referee", "chaplain", "midwife", "nanny",
                "salesperson"}


def is_person_noun(term: str) -> bool:
    last = term.split()[-1]
    return ((last.endswith(PERSON_SUFFIXES) or last in PERSON_WORDS) and term not in AMBIGUOUS
            and "--" not in term)


def occupation_terms(title: str) -> list[str]:
    # A list of jobs ("News Analysts, Reporters, and Journalists"; "Coaches and Scouts"):
    # every part is a name of the job. A qualifying part ("Architects, Except Landscape and
    # Naval"; "Cooks, Restaurant") is not.
    parts = [p.strip() for p in title.split(",")]
    if len(parts) > 2 and parts[-1].startswith("and "):
        listed = parts[:-1] + [parts[-1][4:]]
        # Only a list of plural nouns is a list of jobs ("Legal, Medical, and Executive" is
        # not; nor "Except ...").
        if all(p.endswith("s") and len(p.split()) <= 3 and " and " not in p
               and not p.startswith(("Except", "Including", "All ")) for p in listed):
            return [" ".join(p.split()[:-1] + [singular(p.split()[-1])]).lower()
                    for p in listed if not p.startswith("Other")]
    t = parts[0]
    t = re.sub(r"\(.*?\)", "", t).strip()
    if " and " in t or "/" in t or len(t.split()) > 4 or "All Other" in title:
        parts = [p.strip() for p in re.split(r" and |/", t) if p.strip()]
        # "Farmers, Ranchers, and Other Agricultural Managers" -> farmers (comma part handled)
        out = []
        for p in parts:
            if len(p.split()) <= 3 and not p.lower().startswith("other"):
                words = p.split()
                if len(words) == 1 and words[0][0].isupper() and not words[0].endswith("s"):
                    continue
                out.append(" ".join(words[:-1] + [singular(words[-1])]).lower())
        return out
    words = t.split()
    return [" ".join(words[:-1] + [singular(words[-1])]).lower()]


def sections(data: str, out_dir: str, admin1: dict) -> None:
    """Writes sections.tsv: the towns GeoNames files as a section of a populated place (feature
    code PPLX: a suburb, a neighbourhood), with the place they are part of.

    A suburb's community is its city: a clinician in Brisbane presenting a client from
    Chermside speaks to colleagues of the whole city, and the client is one of its 2.3 million,
    not one of the suburb's 10,000. The parent is the most populous place of the same country,
    first-level and second-level division (county, council) that is not itself a section and
    has more people; failing that, the most populous of the same first-level division with at
    least ten times the people (Australian suburbs sit in councils of their own: Subiaco is in
    Western Australia, whose city is Perth). The shared extract has no coordinates, so this is
    the nearest the data allows.
    """
    places = [r for r in rows(os.path.join(data, "places-world", "geonames_cities5000.tsv"))
              if r["country_code"] in COUNTRY and int(r["population"] or 0) > 0]
    whole = [r for r in places if r["feature_code"] != "PPLX"]
    out = {}
    for r in places:
        if r["feature_code"] != "PPLX":
            continue
        cc, a1, a2, pop = r["country_code"], r["admin1_code"], r["admin2_code"], int(r["population"])
        same2 = [w for w in whole if w["country_code"] == cc and w["admin1_code"] == a1
                 and a2 and w["admin2_code"] == a2 and int(w["population"]) > pop]
        same1 = [w for w in whole if w["country_code"] == cc and w["admin1_code"] == a1
                 and int(w["population"]) >= 10 * pop]
        pool = same2 or same1
        if not pool:
            continue
        parent = max(pool, key=lambda w: (int(w["population"]), w["name"]))
        key = (r["name"], COUNTRY[cc], admin1.get((cc, a1), ""))
        if key not in out or int(out[key][1]) < int(parent["population"]):
            out[key] = (parent["name"], parent["population"])
    with open(os.path.join(out_dir, "sections.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# sections.tsv - suburbs and neighbourhoods (GeoNames feature code PPLX) of the six\n"
                 "# countries and the place each is part of. Generated by rules/build/build_risk_tables.py\n"
                 "# from GeoNames cities5000 (www.geonames.org, CC BY 4.0; modified: rows selected,\n"
                 "# the parent derived from the admin codes).\n"
                 "# name\tcountry\tregion\tparent\tparent_population\n")
        for (name, cc, region), (parent, ppop) in sorted(out.items()):
            fh.write(f"{name}\t{cc}\t{region}\t{parent}\t{ppop}\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(root, "rules", "risk"))
    a = ap.parse_args()
    if "physionet" in os.path.abspath(a.data).lower():
        sys.exit("refusing to read evaluation data")
    os.makedirs(a.out, exist_ok=True)

    # ---- places
    admin1 = {}
    for r in rows(os.path.join(a.data, "places-world", "geonames_admin1.tsv")):
        if r["country_code"] in COUNTRY:
            admin1[(r["country_code"], r["admin1_code"])] = r["asciiname"]
    out = {}

    def add(name, cc, region, code, pop, kind):
        key = (name.lower(), cc, region)
        if key not in out or out[key][4] < pop:
            out[key] = (name, cc, region, code, pop, kind)

    for r in rows(os.path.join(a.data, "places-world", "geonames_cities500_us_gb_ie_ca_au_nz.tsv")):
        cc = r["country_code"]
        pop = int(r["population"] or 0)
        if cc not in COUNTRY or pop <= 0:
            continue
        region = admin1.get((cc, r["admin1_code"]), "")
        code = {"US": r["admin1_code"], "CA": CA_CODES.get(r["admin1_code"], ""),
                "AU": AU_CODES.get(r["admin1_code"], "")}.get(cc, "")
        add(r["name"], COUNTRY[cc], region, code, pop, "town")
    states = {}
    for r in rows(os.path.join(a.data, "places", "counties_2019.tsv")):
        pop = int(r["POPESTIMATE2019"])
        if r["COUNTY"] == "000":
            states[r["STNAME"]] = pop
        else:
            add(r["CTYNAME"], "US", r["STNAME"], "", pop, "county")
    us_codes = {v: k for (cc, k), v in admin1.items() if cc == "US"}
    for st, pop in states.items():
        add(st, "US", st, us_codes.get(st, ""), pop, "region")
    for r in rows(os.path.join(a.data, "places-world", "geonames_countries.tsv")):
        if r["iso"] in COUNTRY:
            add(r["country"], COUNTRY[r["iso"]], "", "", int(r["population"]), "country")
    with open(os.path.join(a.out, "places.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# places.tsv - towns, US counties and states, countries with population.\n"
                 "# Generated by rules/build/build_risk_tables.py. Towns: GeoNames (www.geonames.org),\n"
                 "# CC BY 4.0, modified: columns and rows selected. US counties and states: Census\n"
                 "# Bureau Vintage 2019 estimates (public domain).\n"
                 "# name\tcountry\tregion\tregion_code\tpopulation\tkind\n")
        for v in sorted(out.values(), key=lambda v: (v[1], v[0].lower(), v[2], -v[4])):
            fh.write("\t".join(str(x) for x in v) + "\n")
    n_places = len(out)
    sections(a.data, a.out, admin1)

    # ---- occupations
    occ = {}
    majors = {}
    for r in rows(os.path.join(a.data, "occupations", "oews_national_2021.tsv")):
        if r["O_GROUP"] == "major":
            majors[r["OCC_CODE"][:2]] = r["OCC_TITLE"]
    for r in rows(os.path.join(a.data, "occupations", "oews_national_2021.tsv")):
        if r["O_GROUP"] != "detailed":
            continue
        try:
            emp = int(r["TOT_EMP"])
        except ValueError:
            continue
        for term in occupation_terms(r["OCC_TITLE"]):
            if len(term) < 4 or not is_person_noun(term):
                continue
            prev = occ.get(term)
            if prev is None or prev[1] < emp:
                occ[term] = (r["OCC_CODE"], emp, r["OCC_CODE"][:2])
    with open(os.path.join(a.out, "occupations.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# occupations.tsv - detailed occupations with national employment.\n"
                 "# Generated by rules/build/build_risk_tables.py from BLS OEWS May 2021\n"
                 "# (public domain): titles singularised, cut at the first comma.\n"
                 "# term\tsoc\temployment\tmajor_group\n")
        for term in sorted(occ):
            code, emp, major = occ[term]
            fh.write(f"{term}\t{code}\t{emp}\t{major}\n")

    # ---- ages
    shares = {}
    for r in rows(os.path.join(a.data, "population", "age_sex_2024.tsv")):
        try:
            age = int(r["age"])
        except ValueError:
            continue
        shares.setdefault(age, {})[r["sex"]] = float(r["share"])
    with open(os.path.join(a.out, "ages.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# ages.tsv - share of US residents at each single year of age (total, male,\n"
                 "# female, each as a share of all residents). Census Vintage 2024 (public domain),\n"
                 "# generated by rules/build/build_risk_tables.py.\n# age\ttotal\tmale\tfemale\n")
        for age in sorted(shares):
            s = shares[age]
            fh.write(f"{age}\t{s.get('total', 0):.8f}\t{s.get('male', 0):.8f}\t{s.get('female', 0):.8f}\n")

    # ---- hearing difficulty by age and sex
    band = {"Under 5 years": (0, 4), "5 to 17 years": (5, 17), "18 to 34 years": (18, 34),
            "35 to 64 years": (35, 64), "65 to 74 years": (65, 74), "75 years and over": (75, 120)}
    with open(os.path.join(a.out, "hearing.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# hearing.tsv - share with a hearing and a vision difficulty by sex and age band,\n"
                 "# ACS 2018 1-year (public domain), generated by rules/build/build_risk_tables.py.\n"
                 "# sex\tlo\thi\thearing_rate\tvision_rate\n")
        for r in rows(os.path.join(a.data, "population", "difficulty_by_age_2018.tsv")):
            lo, hi = band[r["age_band"]]
            fh.write(f"{r['sex']}\t{lo}\t{hi}\t{float(r['hearing_rate']):.6f}\t{float(r['vision_rate']):.6f}\n")
    # ---- languages spoken at home
    langs = {}
    for r in rows(os.path.join(a.data, "population", "acs2018_b16001.tsv")):
        label = r["label"]
        parts = label.split(" > ")
        if len(parts) != 2 or parts[1].startswith(("Speak only", "Other")):
            continue
        name = parts[1]
        share = float(r["share"])
        names = []
        m = re.match(r"(.*?) \(incl\. (.*)\)", name)
        if m:
            names = [m.group(1)] + [x.strip() for x in m.group(2).split(",")]
        else:
            names = [x.strip() for x in re.split(r",| or other ", name) if x.strip()]
            names = [x[3:] if x.startswith("or ") else x for x in names]
        for n in names:
            n = n.strip()
            low = n.lower()
            if (n and not low.startswith(("other", "and ", "languages")) and "languages" not in low
                    and "africa" not in low and low not in ("eastern", "central", "southern")):
                langs[n.lower()] = max(langs.get(n.lower(), 0), share)
    langs.setdefault("haitian creole", langs.get("haitian", 0.0027))
    for alias in ("bosnian", "croatian", "serbian"):
        langs.setdefault(alias, langs.get("serbo-croatian", 0.0008))
    with open(os.path.join(a.out, "languages.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# languages.tsv - share of US residents 5+ speaking each language at home (ACS 2018\n"
                 "# 1-year B16001, public domain); a language inside a group row gets the row's share.\n"
                 "# Generated by rules/build/build_risk_tables.py.\n# language\tshare\n")
        for n in sorted(langs):
            fh.write(f"{n}\t{langs[n]:.8f}\n")

    # ---- HIPAA-restricted ZIP3 areas (20,000 people or fewer)
    restricted = [r["zip3"] for r in rows(os.path.join(a.data, "places", "zip3_population_2010.tsv"))
                  if r["hipaa_restricted"] == "true"]
    with open(os.path.join(a.out, "zip3_restricted.txt"), "w", encoding="utf-8") as fh:
        fh.write("# ZIP3 areas of 20,000 people or fewer (2010 ZCTA populations; public domain), which\n"
                 "# HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(B)) says must become 000.\n"
                 "# Generated by rules/build/build_risk_tables.py.\n")
        for z in sorted(restricted):
            fh.write(z + "\n")
    print(f"places {n_places}, occupations {len(occ)}, ages {len(shares)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
