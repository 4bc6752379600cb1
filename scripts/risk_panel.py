#!/usr/bin/env python3
"""Score `deid risk` on the vignette panel in tests/risk/panel.jsonl (and, optionally, reid-score).

The panel holds supervision vignettes written for the purpose, each labelled `identifying`,
`generic` or `borderline` for a stated audience and community, with gold quasi-identifier spans
(slot and holder). See tests/risk/README.md for the labelling rule.

    scripts/risk_panel.py --deid target/release/deid
    scripts/risk_panel.py --deid target/release/deid --min-flagged 0.85 --min-green 0.60
    scripts/risk_panel.py --deid target/release/deid --json > panel_result.json
    scripts/risk_panel.py --reid-score --reid-python /tmp/reidvenv/bin/python   # no deid needed

What it does: writes the records as JSONL (id, text, audience, population, place), runs
`DEID risk --input-format jsonl --json FILE` once, reads one JSON object per record and prints

- the share of identifying vignettes flagged red or amber, and of generic ones left green
  (borderline ones are reported, never scored), overall and per country, community size,
  audience and style;
- quasi detection per slot: recall of the gold spans held by the client or another person
  (a gold span counts as found when any driver span overlaps it; a second column also asks the
  driver's slot and holder to agree), and where the driver spans fall: on a client-held gold
  span, on another person's, on the clinician's, or on no gold span;
- with --sentences, the same detection figures on tests/risk/quasi_sentences.jsonl;
- with --scan FILE (repeatable), quasi detection as `deid scan` reports it (spans of kind
  "quasi", with slot and holder) on an annotated sentence file: per gold slot the recall by a
  quasi span, with slot and holder agreeing, and by any span (direct or quasi); per predicted
  slot how many predictions fall on a gold span of that slot and on a client-held one; and the
  share of all quasi predictions on a client-held gold span. --misses lists each file's misses
  and stray predictions (use it on a development split only).

Driver span offsets are read as Unicode code points (`start`/`end`, as `deid scan` prints them).

Exit status: 0 when every threshold given holds, 1 when one does not, 2 when deid (or its `risk`
command) is missing or its output cannot be read. Without --min-flagged/--min-green nothing is
checked. Standard library only; reid-score is imported in a separate interpreter (--reid-python)
so that this script never depends on it.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PANEL = ROOT / "tests" / "risk" / "panel.jsonl"
DEFAULT_SENTENCES = ROOT / "tests" / "risk" / "quasi_sentences.jsonl"
FLAGGED = {"red", "amber"}
TARGET_FLAGGED, TARGET_GREEN = 0.85, 0.60  # the targets, shown for reference
SIZE_BINS = [(2_000, "<=2k"), (20_000, "2k-20k"), (200_000, "20k-200k"),
             (1_000_000, "200k-1M"), (float("inf"), ">1M")]
SCORED_HOLDERS = ("client", "other")


class CliMissing(Exception):
    """deid or its risk command is not there, or printed something unreadable."""


def size_bin(population):
    for upper, name in SIZE_BINS:
        if population <= upper:
            return name
    raise AssertionError


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check_cli(deid):
    if not (os.path.isfile(deid) and os.access(deid, os.X_OK)):
        raise CliMissing(f"{deid}: no such executable; build it with "
                         "`nice cargo build --release -p deid-cli` or pass --deid")
    try:
        proc = subprocess.run([deid, "risk", "--help"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise CliMissing(f"{deid}: cannot run: {e}") from e
    if proc.returncode != 0:
        lines = [l for l in (proc.stderr or proc.stdout).splitlines() if l.strip()] or [""]
        raise CliMissing(f"{deid} has no working `risk` command yet (exit {proc.returncode}: "
                         f"{lines[0].strip()[:200]}); this script needs "
                         "`deid risk --input-format jsonl --json`")


def run_jsonl(deid, args, rows, what):
    """Write `rows` as JSONL, run `deid ARGS FILE` once and return its JSON output lines."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        tmp = f.name
    try:
        proc = subprocess.run([deid, *args, tmp], capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(tmp)
    if proc.returncode != 0:
        raise CliMissing(f"`deid {what}` exited {proc.returncode}: "
                         f"{proc.stderr.strip().splitlines()[-1:] or ''}")
    out = []
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise CliMissing(f"`deid {what}` output line {n} is not JSON ({e})") from e
    return out


def run_risk(deid, records, extra_args=()):
    """Run deid risk once over `records`; return {id: result object}."""
    keep = ("id", "text", "audience", "population", "place", "country")
    rows = [{k: r[k] for k in keep if k in r} for r in records]
    objs = run_jsonl(deid, ["risk", "--input-format", "jsonl", "--json", *extra_args], rows, "risk")
    out = {str(obj.get("id")): obj for obj in objs}
    missing = [r["id"] for r in records if str(r["id"]) not in out]
    if missing:
        raise CliMissing(f"`deid risk` printed no result for {len(missing)} record(s), "
                         f"first {missing[0]!r}")
    return out


def share(num, den):
    return num / den if den else None


def fmt(x):
    return "  -  " if x is None else f"{x:.3f}"


# ---------------------------------------------------------------- classification


def classification(records, levels):
    """Flagged/green shares overall and by group. `levels` maps id -> level string."""
    def tally(rows):
        ident = [r for r in rows if r["tier"] == "identifying"]
        gen = [r for r in rows if r["tier"] == "generic"]
        border = [r for r in rows if r["tier"] == "borderline"]
        flagged = sum(levels[r["id"]] in FLAGGED for r in ident)
        green = sum(levels[r["id"]] == "green" for r in gen)
        return {
            "identifying": len(ident), "identifying_flagged": flagged,
            "flagged_share": share(flagged, len(ident)),
            "generic": len(gen), "generic_green": green, "green_share": share(green, len(gen)),
            "borderline": len(border),
            "borderline_levels": dict(Counter(levels[r["id"]] for r in border)),
        }

    result = {"overall": tally(records)}
    for key, fn in (("country", lambda r: r["country"]),
                    ("community_size", lambda r: size_bin(r["population"])),
                    ("audience", lambda r: r["audience"]),
                    ("style", lambda r: r.get("style", "-"))):
        groups = defaultdict(list)
        for r in records:
            groups[fn(r)].append(r)
        order = [name for _, name in SIZE_BINS] if key == "community_size" else sorted(groups)
        result[key] = {g: tally(groups[g]) for g in order if g in groups}
    return result


def print_classification(title, cls):
    def row(name, t):
        b = ",".join(f"{k}:{v}" for k, v in sorted(t["borderline_levels"].items())) or "-"
        return (f"  {name:<14} {t['identifying_flagged']:>3}/{t['identifying']:<3} {fmt(t['flagged_share'])}"
                f"   {t['generic_green']:>3}/{t['generic']:<3} {fmt(t['green_share'])}"
                f"   {t['borderline']:>2} ({b})")
    print(title)
    print(f"  {'':<14} identifying flagged   generic green      borderline (levels, not scored)")
    print(row("all", cls["overall"]))
    for key in ("country", "community_size", "audience", "style"):
        print(f"  by {key.replace('_', ' ')}:")
        for name, t in cls[key].items():
            print(row(name, t))


def size_only_baseline(records, cutoff=20_000):
    """What flagging every community of <= cutoff people (and nothing else) would score."""
    levels = {r["id"]: "red" if r["population"] <= cutoff else "green" for r in records}
    o = classification(records, levels)["overall"]
    return {"cutoff": cutoff, "flagged_share": o["flagged_share"], "green_share": o["green_share"]}


# ---------------------------------------------------------------- detection


def run_scan(deid, records):
    """Run deid scan once over `records`; return {id: [span, ...]} (code-point offsets)."""
    rows = [{"id": r["id"], "text": r["text"]} for r in records]
    objs = run_jsonl(deid, ["scan", "--input-format", "jsonl"], rows, "scan")
    return {str(obj.get("id")): obj.get("spans") or [] for obj in objs}


def scan_detection(records, spans_by_id, misses=None):
    """Score `deid scan` quasi spans against gold quasi spans (see the module docstring)."""
    gold_slot = defaultdict(Counter)
    pred_slot = defaultdict(Counter)
    on = Counter()
    for r in records:
        spans = spans_by_id.get(str(r["id"]), [])
        quasi = [s for s in spans if s.get("kind") == "quasi"]
        for q in r["quasi"]:
            if q["holder"] not in SCORED_HOLDERS:
                continue
            g = gold_slot[q["slot"]]
            g["gold"] += 1
            hq = [s for s in quasi if overlaps(q["start"], q["end"], s["start"], s["end"])]
            ha = [s for s in spans if overlaps(q["start"], q["end"], s["start"], s["end"])]
            g["quasi"] += bool(hq)
            g["slot_holder"] += any(s["label"].lower() == q["slot"] and s.get("holder") == q["holder"]
                                    for s in hq)
            g["any"] += bool(ha)
            if misses is not None and not hq:
                misses.append(f"  miss  {r['id']}: {q['slot']}.{q['holder'][0]} {q['text']!r}"
                              + (" (direct only)" if ha else ""))
            elif misses is not None and not any(s.get("holder") == q["holder"] for s in hq):
                misses.append(f"  holder {r['id']}: {q['slot']}.{q['holder'][0]} {q['text']!r} -> "
                              + ",".join(f"{s['label'].lower()}.{s.get('holder')}" for s in hq))
        for s in quasi:
            slot = s["label"].lower()
            p = pred_slot[slot]
            p["pred"] += 1
            gs = [q for q in r["quasi"] if overlaps(s["start"], s["end"], q["start"], q["end"])]
            holders = {q["holder"] for q in gs}
            where = next((h for h in ("client", "other", "clinician") if h in holders), "none")
            on[where] += 1
            p["on_gold"] += bool(gs)
            p["on_client"] += where == "client"
            p["same_slot"] += any(q["slot"] == slot for q in gs)
            if misses is not None and where != "client" and s.get("holder") == "client":
                misses.append(f"  stray {r['id']}: {slot}.{s.get('holder')} "
                              f"{r['text'][s['start']:s['end']]!r} on {where}")
    tot = sum(on.values())
    scored = {k: v for k, v in gold_slot.items() if k != "sex"}  # scan never reports sex
    gsum = sum(v["gold"] for v in scored.values())
    return {
        "gold_spans_without_sex": gsum,
        "recall_quasi": share(sum(v["quasi"] for v in scored.values()), gsum),
        "recall_slot_holder": share(sum(v["slot_holder"] for v in scored.values()), gsum),
        "recall_any": share(sum(v["any"] for v in scored.values()), gsum),
        "quasi_predictions": tot,
        "on_client": share(on["client"], tot),
        "on": dict(on),
        "per_gold_slot": {k: dict(v) for k, v in sorted(gold_slot.items())},
        "per_predicted_slot": {k: dict(v) for k, v in sorted(pred_slot.items())},
    }


def print_scan_detection(title, det):
    print(title)
    print(f"  gold spans (client or other, sex excluded): {det['gold_spans_without_sex']}; recall by a "
          f"quasi span {fmt(det['recall_quasi'])}, slot and holder agreeing "
          f"{fmt(det['recall_slot_holder'])}, by any span {fmt(det['recall_any'])}")
    print(f"  quasi predictions: {det['quasi_predictions']}; on a client-held gold span "
          f"{fmt(det['on_client'])} {det['on']}")
    print(f"  {'gold slot':<14} {'gold':>5} {'quasi':>6} {'slot+holder':>12} {'any':>5}")
    for slot, v in det["per_gold_slot"].items():
        g = v["gold"]
        print(f"  {slot:<14} {g:>5} {fmt(share(v.get('quasi', 0), g)):>6} "
              f"{fmt(share(v.get('slot_holder', 0), g)):>12} {fmt(share(v.get('any', 0), g)):>5}")
    print(f"  {'predicted slot':<14} {'pred':>5} {'on gold':>8} {'same slot':>10} {'on client':>10}")
    for slot, v in det["per_predicted_slot"].items():
        n = v["pred"]
        print(f"  {slot:<14} {n:>5} {fmt(share(v.get('on_gold', 0), n)):>8} "
              f"{fmt(share(v.get('same_slot', 0), n)):>10} {fmt(share(v.get('on_client', 0), n)):>10}")


def overlaps(a_start, a_end, b_start, b_end):
    return a_start < b_end and b_start < a_end


def detection(records, results, source="drivers"):
    """Per-slot recall of gold spans and where the predicted spans fall.

    source "drivers" reads the contract's drivers (attribute, holder, spans); "mentions" reads
    the optional per-mention list (slot, holder, start, end) when the CLI prints one.
    """
    per_slot = defaultdict(lambda: {"gold": 0, "found": 0, "found_slot_holder": 0})
    spans_total = 0
    spans_on = Counter()
    drivers_by_holder = Counter()
    for r in records:
        dspans = []
        if source == "mentions":
            for m in results[str(r["id"])].get("mentions") or []:
                drivers_by_holder[m.get("holder", "?")] += 1
                dspans.append((int(m["start"]), int(m["end"]), m.get("slot"), m.get("holder")))
        for d in (results[str(r["id"])].get("drivers") or []) if source == "drivers" else []:
            drivers_by_holder[d.get("holder", "?")] += 1
            for s in d.get("spans") or []:
                dspans.append((int(s["start"]), int(s["end"]), d.get("attribute"), d.get("holder")))
        for q in r["quasi"]:
            if q["holder"] not in SCORED_HOLDERS:
                continue
            slot = per_slot[q["slot"]]
            slot["gold"] += 1
            hits = [d for d in dspans if overlaps(q["start"], q["end"], d[0], d[1])]
            slot["found"] += bool(hits)
            slot["found_slot_holder"] += any(d[2] == q["slot"] and d[3] == q["holder"] for d in hits)
        for start, end, _, _ in dspans:
            spans_total += 1
            on = {q["holder"] for q in r["quasi"] if overlaps(start, end, q["start"], q["end"])}
            if "client" in on:
                spans_on["client"] += 1
            elif "other" in on:
                spans_on["other"] += 1
            elif "clinician" in on:
                spans_on["clinician"] += 1
            else:
                spans_on["none"] += 1
    gold = sum(s["gold"] for s in per_slot.values())
    found = sum(s["found"] for s in per_slot.values())
    exact = sum(s["found_slot_holder"] for s in per_slot.values())
    return {
        "gold_spans": gold,
        "recall": share(found, gold),
        "recall_slot_and_holder": share(exact, gold),
        "per_slot": {k: {**v, "recall": share(v["found"], v["gold"]),
                         "recall_slot_and_holder": share(v["found_slot_holder"], v["gold"])}
                     for k, v in sorted(per_slot.items())},
        "driver_spans": spans_total,
        "driver_spans_on_client": share(spans_on["client"], spans_total),
        "driver_spans_on": dict(spans_on),
        "drivers_by_holder": dict(drivers_by_holder),
    }


def print_detection(title, det):
    print(title)
    print(f"  gold spans held by the client or another person: {det['gold_spans']}; "
          f"recall {fmt(det['recall'])} (slot and holder agreeing: {fmt(det['recall_slot_and_holder'])})")
    print(f"  {'slot':<14} {'gold':>5} {'found':>6} {'recall':>7} {'slot+holder':>12}")
    for slot, v in det["per_slot"].items():
        print(f"  {slot:<14} {v['gold']:>5} {v['found']:>6} {fmt(v['recall']):>7} "
              f"{fmt(v['recall_slot_and_holder']):>12}")
    on = det["driver_spans_on"]
    print(f"  predicted spans: {det['driver_spans']}; on a client-held gold span "
          f"{fmt(det['driver_spans_on_client'])} (client {on.get('client', 0)}, other "
          f"{on.get('other', 0)}, clinician {on.get('clinician', 0)}, no gold span {on.get('none', 0)})")
    print(f"  predictions by the holder deid gave: {dict(sorted(det['drivers_by_holder'].items()))}")


# ---------------------------------------------------------------- reid-score

REID_CHILD = r"""
import json, sys
from reid_score import ReidScorer
items = json.load(sys.stdin)
scorers = {}
out = []
for it in items:
    geo = it["geography"]
    if geo not in scorers:
        scorers[geo] = ReidScorer(geography=geo)
    res = scorers[geo].score(it["text"])
    out.append({"id": it["id"], "rating": getattr(res.rating, "value", str(res.rating)),
                "score": res.score, "population_match_estimate": res.population_match_estimate})
json.dump(out, sys.stdout)
"""


def reid_geography(country):
    # reid-score 0.3.0 bundles population samples for US and GB only; other countries use US.
    return "GB" if country == "UK" else "US"


def run_reid(python, records):
    items = [{"id": r["id"], "text": r["text"], "geography": reid_geography(r["country"])}
             for r in records]
    proc = subprocess.run([python, "-c", REID_CHILD], input=json.dumps(items),
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [""]
        raise CliMissing(f"reid-score could not run under {python}: {tail[0][:200]}. Install it "
                         "into a throwaway venv: python3 -m venv /tmp/reidvenv && "
                         "/tmp/reidvenv/bin/pip install reid-score==0.3.0, then pass "
                         "--reid-python /tmp/reidvenv/bin/python")
    return {o["id"]: o for o in json.loads(proc.stdout)}


def reid_summary(records, reid):
    ident = [r for r in records if r["tier"] == "identifying"]
    gen = [r for r in records if r["tier"] == "generic"]
    above = sum(reid[r["id"]]["rating"] != "LOW" for r in ident)
    low = sum(reid[r["id"]]["rating"] == "LOW" for r in gen)
    return {
        "identifying": len(ident), "identifying_above_low": above,
        "above_low_share": share(above, len(ident)),
        "generic": len(gen), "generic_low": low, "low_share": share(low, len(gen)),
        "ratings": {t: dict(Counter(reid[r["id"]]["rating"] for r in records if r["tier"] == t))
                    for t in ("identifying", "generic", "borderline")},
    }


# ---------------------------------------------------------------- main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deid", help="path to the deid binary (e.g. target/release/deid)")
    ap.add_argument("--panel", default=str(DEFAULT_PANEL), help="panel JSONL (default: %(default)s)")
    ap.add_argument("--min-flagged", type=float, help="fail if the identifying flagged share is below this")
    ap.add_argument("--min-green", type=float, help="fail if the generic green share is below this")
    ap.add_argument("--json", action="store_true", help="print one JSON summary instead of tables")
    ap.add_argument("--records", action="store_true", help="also list each record's tier and result")
    ap.add_argument("--sentences", nargs="?", const=str(DEFAULT_SENTENCES), default=None,
                    help="also score quasi detection on the annotated sentences "
                         "(default file: tests/risk/quasi_sentences.jsonl)")
    ap.add_argument("--scan", action="append", default=[], metavar="FILE",
                    help="score `deid scan` quasi spans on an annotated sentence file (repeatable)")
    ap.add_argument("--misses", action="store_true",
                    help="with --scan, list misses and stray client predictions per item")
    ap.add_argument("--reid-score", action="store_true",
                    help="also rate the panel with the reid-score package (0.3.0)")
    ap.add_argument("--reid-python", default=sys.executable,
                    help="a Python interpreter that can import reid_score (default: this one)")
    args = ap.parse_args(argv)
    if not args.deid and not args.reid_score:
        ap.error("give --deid BIN, --reid-score, or both")

    records = load_jsonl(args.panel)
    summary = {"panel": os.path.relpath(args.panel), "records": len(records),
               "tiers": dict(Counter(r["tier"] for r in records)),
               "size_only_baseline": size_only_baseline(records)}
    failed = []
    try:
        if args.deid:
            check_cli(args.deid)
            results = run_risk(args.deid, records)
            levels = {r["id"]: results[str(r["id"])].get("level") for r in records}
            bad = sorted({lv for lv in levels.values() if lv not in ("red", "amber", "green")}, key=str)
            if bad:
                raise CliMissing(f"`deid risk` printed unknown level(s) {bad}")
            summary["deid"] = {"classification": classification(records, levels),
                               "detection": detection(records, results)}
            if any("mentions" in results[str(r["id"])] for r in records):
                summary["deid"]["detection_mentions"] = detection(records, results, "mentions")
            if args.records:
                summary["deid"]["records"] = [
                    {"id": r["id"], "tier": r["tier"], "level": levels[r["id"]],
                     "lambda": results[str(r["id"])].get("lambda"),
                     "lambda_q": results[str(r["id"])].get("lambda_q"),
                     "population": results[str(r["id"])].get("population"),
                     "triggers": [t.get("kind") for t in results[str(r["id"])].get("triggers") or []]}
                    for r in records]
            if args.sentences:
                sents = [dict(s, audience="supervision", population=10_000)
                         for s in load_jsonl(args.sentences)]
                sres = run_risk(args.deid, sents)
                summary["deid"]["sentences"] = detection(sents, sres)
                summary["deid"]["sentences"]["file"] = os.path.relpath(args.sentences)
                negatives = [s for s in sents if not any(q["holder"] == "client" for q in s["quasi"])]
                summary["deid"]["sentences"]["no_client_quasi_sentences"] = len(negatives)
                summary["deid"]["sentences"]["no_client_quasi_with_client_driver"] = sum(
                    any(d.get("holder") == "client" for d in sres[str(s["id"])].get("drivers") or [])
                    for s in negatives)
            for path in args.scan:
                miss = [] if args.misses else None
                det = scan_detection(load_jsonl(path), run_scan(args.deid, load_jsonl(path)), miss)
                det["file"] = os.path.relpath(path)
                if miss is not None:
                    det["misses"] = miss
                summary["deid"].setdefault("scan", []).append(det)
            overall = summary["deid"]["classification"]["overall"]
            if args.min_flagged is not None and (overall["flagged_share"] or 0) < args.min_flagged:
                failed.append(f"identifying flagged {fmt(overall['flagged_share'])} < {args.min_flagged}")
            if args.min_green is not None and (overall["green_share"] or 0) < args.min_green:
                failed.append(f"generic green {fmt(overall['green_share'])} < {args.min_green}")
        if args.reid_score:
            summary["reid_score"] = reid_summary(records, run_reid(args.reid_python, records))
    except CliMissing as e:
        print(f"risk_panel: {e}", file=sys.stderr)
        return 2
    summary["failed"] = failed

    if args.json:
        json.dump(summary, sys.stdout, indent=1)
        print()
    else:
        print(f"panel {summary['panel']}: {len(records)} vignettes {summary['tiers']}")
        base = summary["size_only_baseline"]
        print(f"baseline (flag iff population <= {base['cutoff']:,}): identifying_flagged="
              f"{fmt(base['flagged_share'])} generic_green={fmt(base['green_share'])}")
        if "deid" in summary:
            o = summary["deid"]["classification"]["overall"]
            print(f"RESULT deid identifying_flagged={fmt(o['flagged_share'])} "
                  f"({o['identifying_flagged']}/{o['identifying']}, target {TARGET_FLAGGED}) "
                  f"generic_green={fmt(o['green_share'])} ({o['generic_green']}/{o['generic']}, "
                  f"target {TARGET_GREEN})")
            print_classification("\nred/amber = flagged; shares by group:", summary["deid"]["classification"])
            print_detection("\nquasi detection on the panel (driver spans):", summary["deid"]["detection"])
            if "detection_mentions" in summary["deid"]:
                print_detection("\nquasi detection on the panel (all mentions deid printed, not only drivers):",
                                summary["deid"]["detection_mentions"])
            if "sentences" in summary["deid"]:
                s = summary["deid"]["sentences"]
                print_detection(f"\nquasi detection on {s['file']}:", s)
                print(f"  sentences with no client-held quasi span that got a client driver: "
                      f"{s['no_client_quasi_with_client_driver']}/{s['no_client_quasi_sentences']}")
            for det in summary["deid"].get("scan", []):
                print_scan_detection(f"\nquasi detection by `deid scan` on {det['file']}:", det)
                for line in det.get("misses", []):
                    print(line)
            for rec in summary["deid"].get("records", []):
                lam = rec["lambda"]
                print(f"  {rec['id']:<30} {rec['tier']:<12} {str(rec['level']):<6} "
                      f"lambda={lam if lam is None else f'{lam:.3g}'} triggers={rec['triggers']}")
        if "reid_score" in summary:
            r = summary["reid_score"]
            print(f"\nRESULT reid-score identifying_above_low={fmt(r['above_low_share'])} "
                  f"({r['identifying_above_low']}/{r['identifying']}) generic_low={fmt(r['low_share'])} "
                  f"({r['generic_low']}/{r['generic']}); ratings by tier: {r['ratings']}")
        for f in failed:
            print(f"FAILED: {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(0)
