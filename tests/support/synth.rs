// Seeded synthetic clinical notes for benchmarks and property tests (no external randomness).
// Included with `include!` by benches and tests, so it has no module docs of its own.

/// A tiny deterministic generator (SplitMix64).
#[allow(dead_code)]
struct Rng(u64);

#[allow(dead_code)]
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[allow(dead_code)]
const FIRST: &[&str] = &["Maria", "James", "Aisha", "Nguyen", "Daniel", "Priya", "Tomasz", "Grace", "Mohammed", "Elena", "Kwame", "Sofia"];
#[allow(dead_code)]
const LAST: &[&str] = &["Lopez", "Okafor", "Kowalski", "Reed", "Haddad", "Tran", "Patel", "Murphy", "Lindqvist", "Yamamoto", "Begay", "Osei"];

/// `n` notes of about 1-2 KB each, mixing identifiers with clinical prose.
#[allow(dead_code)]
fn synthetic_corpus(seed: u64, n: usize) -> Vec<String> {
    let mut r = Rng(seed);
    let prose = [
        "Client reports improved sleep since starting sertraline 50 mg daily; PHQ-9 score 14, down from 19.",
        "Discussed DBT skills, especially distress tolerance, and reviewed the safety plan together.",
        "BP 128/82, HR 76. Labs: Na 138, K 4.1, Cr 0.9. No acute distress noted.",
        "Will follow up in 2 weeks. May increase dose if tolerated. Session 53 min, CPT 90837.",
        "PT DENIES SI/HI. MOOD 'OKAY'. AFFECT CONSTRICTED. SLEEPING 6 HRS/NIGHT.",
        "pt resting comfortably, vss, tolerating po, no c/o pain overnight.",
        "Mother expressed concern about school attendance; history of Parkinson's disease in grandfather.",
    ];
    (0..n)
        .map(|_| {
            let mut s = String::with_capacity(2048);
            let f = r.pick(FIRST);
            let l = r.pick(LAST);
            s.push_str(&format!(
                "Client: {f} {l}\nDOB: {}/{}/19{}\nMRN: {:08}\nDate of service: {}/{}/2023\n\n",
                1 + r.below(12),
                1 + r.below(28),
                50 + r.below(49),
                r.below(100_000_000),
                1 + r.below(12),
                1 + r.below(28)
            ));
            for _ in 0..(6 + r.below(8)) {
                s.push_str(r.pick(&prose));
                s.push(' ');
                match r.below(6) {
                    0 => s.push_str(&format!("Her husband {} called from ({}) 555-{:04}. ", r.pick(FIRST), 200 + r.below(700), r.below(10_000))),
                    1 => s.push_str(&format!("Seen by Dr. {} on {}/{}. ", r.pick(LAST), 1 + r.below(12), 1 + r.below(28))),
                    2 => s.push_str(&format!("Email {}.{}@example.org for records. ", f.to_lowercase(), l.to_lowercase())),
                    3 => s.push_str(&format!("{} works at Hartwell Logistics in Dayton, OH 45402. ", f)),
                    _ => {}
                }
                s.push('\n');
            }
            s.push_str(&format!("Signed: {} {}, LCSW\n", r.pick(FIRST), r.pick(LAST)));
            s
        })
        .collect()
}
