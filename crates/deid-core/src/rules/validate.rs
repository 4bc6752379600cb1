//! Named validators: what a regex cannot express (checksums, number ranges, real calendar dates).

use crate::category::Kind;

/// A named check run on a candidate's text after its pattern matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validator {
    /// Luhn checksum over the digits (payment cards, IMEI).
    Luhn,
    /// US Social Security number: area not 000/666/9xx, group not 00, serial not 0000.
    Ssn,
    /// North American phone number: area code and exchange start with 2-9.
    Nanp,
    /// A real calendar date (numeric or with a month name).
    Date,
    /// IPv4 address with octets 0-255, not 0.0.0.0-like version strings.
    Ipv4,
    /// UK NHS number (mod 11).
    Nhs,
    /// Australian Medicare number (weighted check digit).
    Medicare,
    /// US National Provider Identifier (Luhn with the 80840 prefix).
    Npi,
    /// An age: over 89 is a direct identifier, other ages are quasi.
    Age,
    /// A year between 1900 and 2099.
    Year,
    /// An identifier-like code: at least 5 letters or digits (or 4 mixing both), at least one a digit.
    IdLike,
    /// Initials such as `J.R.`, but not abbreviations such as `U.S.` or `A.M.`.
    Initials,
    /// A code mixing letters and a run of at least four digits (`TEN/00451`, `AB12345`): no
    /// word of six or more letters in it, and not a dose (digits ending in a unit such as
    /// `1000mcg`, `2X1000ML`).
    Code,
    /// A number written in digit groups (`7781-2231-09`, `112-4471923-8812334`, `783-48-97`):
    /// nine or more digits with a group of four, or seven or more in three or more groups with
    /// a group of three; and not a calendar date, nor a run of four-digit groups that are each
    /// a clock time, a year or a round hundred (`0800 1200 1600`, `2019-2020-2021`, `2500 3000`).
    Grouped,
    /// A national health, tax or insurance number whose check digit holds, by its digit count:
    /// eight or nine digits (Canadian SIN by Luhn, Australian TFN, New Zealand IRD), ten (NHS
    /// and CHI mod 11, Ontario health number by Luhn, Australian Medicare) or eleven (Medicare
    /// with its issue number).
    National,
    /// A UK postcode shape whose inward letters are not a unit, a time or an ordinal
    /// (`2PM`, `1mg`, `3hr`, `1st`).
    Postcode,
    /// Digits said in words (`four four eight, double one two`): six or more, and not a
    /// count up or down (`nine eight seven six five four`) or one digit over and over.
    Spoken,
    /// A Quebec health insurance number's digits (`TREM 8512 0312`): year, month (plus 50 for
    /// a woman) and day of birth, then two digits; four letters before them.
    Ramq,
}

/// A validator's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Not an identifier.
    Reject,
    /// An identifier of the rule's kind.
    Accept,
    /// An identifier of this kind.
    AcceptAs(Kind),
}

impl Validator {
    /// Names accepted in rule files.
    pub const NAMES: &'static [&'static str] = &[
        "luhn", "ssn", "nanp", "date", "ipv4", "nhs", "medicare", "npi", "age", "year", "idlike",
        "initials", "code", "grouped", "national", "postcode", "spoken", "ramq",
    ];

    /// Parses a validator name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "luhn" => Validator::Luhn,
            "ssn" => Validator::Ssn,
            "nanp" => Validator::Nanp,
            "date" => Validator::Date,
            "ipv4" => Validator::Ipv4,
            "nhs" => Validator::Nhs,
            "medicare" => Validator::Medicare,
            "npi" => Validator::Npi,
            "age" => Validator::Age,
            "year" => Validator::Year,
            "idlike" => Validator::IdLike,
            "initials" => Validator::Initials,
            "code" => Validator::Code,
            "grouped" => Validator::Grouped,
            "national" => Validator::National,
            "postcode" => Validator::Postcode,
            "spoken" => Validator::Spoken,
            "ramq" => Validator::Ramq,
            _ => return None,
        })
    }

    /// Runs the check.
    pub fn check(self, s: &str) -> Verdict {
        let ok = match self {
            Validator::Luhn => luhn(&digits(s)),
            Validator::Ssn => ssn(&digits(s)),
            Validator::Nanp => nanp(&digits(
                s.split(|c: char| c.is_ascii_alphabetic())
                    .next()
                    .unwrap_or(""),
            )),
            Validator::IdLike => {
                // "Tmax 102R", "TMAX-99": a word of four or more letters with few digits is
                // a measurement after a section header ("ID:" for infectious disease).
                let digits = s.bytes().filter(u8::is_ascii_digit).count();
                let longest_letters = s
                    .split(|c: char| !c.is_alphabetic())
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                let alnum = s.chars().filter(|c| c.is_alphanumeric()).count();
                // Five or more characters, or four that start with a letter and mix in digits
                // ("rg17"; not device sizes such as "20fr", "8ETT").
                (alnum >= 5
                    || alnum == 4 && digits < 4 && s.starts_with(|c: char| c.is_alphabetic()))
                    && digits > 0
                    && (longest_letters < 4 || digits >= 4)
            }
            Validator::Code => {
                let letters = s.bytes().filter(u8::is_ascii_alphabetic).count();
                longest_run(s, |c| c.is_ascii_digit()) >= 4
                    && letters >= 1
                    && longest_run(s, |c| c.is_ascii_alphabetic()) < 6
                    && !ends_in_unit(s)
            }
            Validator::Initials => {
                let letters: String = s
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .collect::<String>()
                    .to_ascii_uppercase();
                // Abbreviations are written without inner spaces; "N. A." and "M. S." are a
                // person's initials.
                s.contains(' ') && !matches!(letters.as_str(), "US" | "AM" | "PM" | "UK")
                    || !NOT_INITIALS.contains(&letters.as_str())
            }
            Validator::Date => crate::date::parse(s).is_some_and(|d| d.is_valid()),
            Validator::Grouped => {
                let n = digits(s).len();
                let longest = longest_run(s, |c| c.is_ascii_digit());
                let groups = s
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|g| !g.is_empty())
                    .count();
                (n >= 9 && longest >= 4 || n >= 7 && groups >= 3 && longest >= 3)
                    && !crate::date::parse(s).is_some_and(|d| d.is_valid())
                    && !readings(s)
            }
            Validator::National => national(&digits(s)),
            Validator::Ramq => {
                let d = digits(s);
                let letters = s.bytes().filter(u8::is_ascii_alphabetic).count();
                d.len() == 8 && letters == 4 && {
                    let month = number(&d[2..4]);
                    let day = number(&d[4..6]);
                    ((1..=12).contains(&month) || (51..=62).contains(&month))
                        && (1..=31).contains(&day)
                }
            }
            Validator::Postcode => {
                let tail = s.get(s.len().saturating_sub(2)..).unwrap_or("");
                !NOT_INWARD.iter().any(|w| tail.eq_ignore_ascii_case(w))
            }
            Validator::Ipv4 => ipv4(s),
            Validator::Spoken => {
                let d = spoken_digits(s);
                let steps: Vec<i16> = d.windows(2).map(|w| w[1] - w[0]).collect();
                d.len() >= 6
                    && !steps.iter().all(|&x| x == 1)
                    && !steps.iter().all(|&x| x == -1)
                    && !steps.iter().all(|&x| x == 0)
            }
            Validator::Nhs => nhs(&digits(s)),
            Validator::Medicare => medicare(&digits(s)),
            Validator::Npi => npi(&digits(s)),
            Validator::Year => {
                let d = digits(s);
                d.len() == 4 && (1900..=2099).contains(&number(&d))
            }
            Validator::Age => {
                let d = digits(s);
                if d.is_empty() || d.len() > 3 {
                    return Verdict::Reject;
                }
                let n = number(&d);
                return match n {
                    0..=89 => Verdict::AcceptAs(Kind::Quasi),
                    90..=125 => Verdict::AcceptAs(Kind::Direct),
                    _ => Verdict::Reject,
                };
            }
        };
        if ok {
            Verdict::Accept
        } else {
            Verdict::Reject
        }
    }
}

/// The digits that words say (`oh` and `zero` are 0; `double` and `triple` repeat the next).
fn spoken_digits(s: &str) -> Vec<i16> {
    let mut out = Vec::new();
    let mut times = 1;
    for w in s
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let d = match w.to_ascii_lowercase().as_str() {
            "zero" | "oh" => 0,
            "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "double" => {
                times = 2;
                continue;
            }
            "triple" => {
                times = 3;
                continue;
            }
            _ => continue,
        };
        out.extend(std::iter::repeat_n(d, times));
        times = 1;
    }
    out
}

/// Two letters that end a unit, a time or an ordinal rather than a postcode's inward code.
const NOT_INWARD: &[&str] = &[
    "am", "pm", "mg", "ml", "hr", "cc", "kg", "lb", "mm", "cm", "st", "nd", "rd", "th", "iu", "wk",
    "mo", "yr", "ms", "gm", "gr", "dl", "mn", "hs", "bd", "qd", "od", "mu", "uk",
];

/// Dotted abbreviations that are not a person's initials.
const NOT_INITIALS: &[&str] = &[
    "US", "UK", "AM", "PM", "DC", "EU", "UN", "NA", "BA", "BS", "MA", "MS", "MD", "DO", "RN", "NP",
    "PA", "ER", "OR", "ED", "PO", "IV", "IM", "SQ", "PR", "QD", "AD", "BC", "CE", "IE", "EG", "VS",
    "NB", "PS", "OT", "PT", "HS", "GI", "GU", "HO", "CO", "NG", "OG", "RT", "BM", "UA", "UO", "CV",
    "CT", "LE", "UE", "RA", "LA", "BP", "HR", "RR", "OB", "OX", "NS", "LR", "CX", "FX", "HX", "SX",
    "TX", "RX", "DX", "OD", "OS", "OU", "AS", "AU", "QH", "QID", "TID", "BID", "QHS", "QAM", "QPM",
    "NPO", "PRN", "DNR", "DNI", "PH", "MSW", "LPN", "PHD", "USA", "AKA", "ASAP", "RSVP", "ETA",
    "IQ", "ID", "OK", "TV", "DVD", "AA", "NA", "VA", "EMS", "PCP", "SW", "CM",
    // Clinical dotted abbreviations: cardiac index, double/triple lumen, years old, heparin
    // lock, incentive spirometer, thermodilution, and the like.
    "CI", "DL", "TL", "YO", "HL", "IS", "TD", "SL", "AC", "PC", "QOD", "SOB", "DOE", "LOC", "MAE",
    "ROM", "NKA", "NKDA", "AMA", "ABG", "CBC", "EKG", "ECG", "PICC", "TPN", "NGT", "OGT", "ETT",
    "HTN", "CHF", "CAD", "RUQ", "LUQ", "RLQ", "LLQ", "WNL", "NAD", "OOB", "PRBC", "FFP",
];

/// Units that end a dose or a volume written without a space (`1000mcg`, `500ML`).
const UNITS: &[&str] = &[
    "mg", "mcg", "ml", "mls", "kg", "iu", "cc", "mmol", "units", "hrs", "mins",
];

/// True when `s` ends in digits and then a unit (`b12-1000mcg`, `2X1000ML`).
fn ends_in_unit(s: &str) -> bool {
    let head = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let tail = &s[head.len()..];
    head.ends_with(|c: char| c.is_ascii_digit())
        && UNITS.iter().any(|u| tail.eq_ignore_ascii_case(u))
}

/// True when the groups of three or more digits in `s` are all four digits long, each a clock
/// time (`0800`, `2359`), a year (`1987`, `2021`) or a round hundred (`2500`, `3000`), going
/// up: medication rounds, year lists and fluid volumes, not an identifier (`T2 1200 1400` too;
/// shorter groups such as a letter's digit are not counted, but one at the end makes it an
/// identifier).
fn readings(s: &str) -> bool {
    let groups: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    // A short group after the last four-digit one is an identifier's check or issue group
    // (`0820-3800-64`), which lists of readings do not end with.
    if groups.last().is_none_or(|g| g.len() <= 2) {
        return false;
    }
    let mut last: Option<u32> = None;
    for g in groups.into_iter().filter(|g| g.len() > 2) {
        if g.len() != 4 {
            return false;
        }
        let Ok(n) = g.parse::<u32>() else {
            return false;
        };
        let reading = n / 100 <= 23 && n % 100 <= 59 || (1900..=2099).contains(&n) || n % 100 == 0;
        if !reading || last.is_some_and(|l| n <= l) {
            return false;
        }
        last = Some(n);
    }
    true
}

/// The length in bytes of the longest run of ASCII characters of a class in `s`.
fn longest_run(s: &str, class: fn(char) -> bool) -> usize {
    s.split(|c: char| !class(c))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

fn digits(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

fn number(d: &[u8]) -> u64 {
    d.iter().take(18).fold(0u64, |n, &x| n * 10 + u64::from(x))
}

fn luhn(d: &[u8]) -> bool {
    if d.len() < 8 {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum % 10 == 0
}

fn ssn(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let area = number(&d[0..3]);
    let group = number(&d[3..5]);
    let serial = number(&d[5..9]);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

fn nanp(d: &[u8]) -> bool {
    let d = match d.len() {
        10 => d,
        11 if d[0] == 1 => &d[1..],
        _ => return false,
    };
    d[0] >= 2 && d[3] >= 2
}

fn ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
        && parts[0] != "0"
}

fn nhs(d: &[u8]) -> bool {
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * (10 - i as u32))
        .sum();
    let check = 11 - (sum % 11);
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == u32::from(d[9])
}

fn medicare(d: &[u8]) -> bool {
    if !(d.len() == 10 || d.len() == 11) || !(2..=6).contains(&d[0]) {
        return false;
    }
    let w = [1u32, 3, 7, 9, 1, 3, 7, 9];
    let sum: u32 = d[..8].iter().zip(w).map(|(&x, w)| u32::from(x) * w).sum();
    sum % 10 == u32::from(d[8])
}

/// Australian tax file number: weights 1,4,3,7,5,8,6,9,10 (eight-digit TFNs drop the 10).
fn tfn(d: &[u8]) -> bool {
    let w: &[u32] = match d.len() {
        9 => &[1, 4, 3, 7, 5, 8, 6, 9, 10],
        8 => &[10, 7, 8, 4, 6, 3, 5, 1],
        _ => return false,
    };
    let sum: u32 = d.iter().zip(w).map(|(&x, &w)| u32::from(x) * w).sum();
    sum % 11 == 0
}

/// New Zealand IRD number (eight or nine digits): mod 11 with the primary weights, then the
/// secondary ones when the primary check gives 10.
fn ird(d: &[u8]) -> bool {
    if !(d.len() == 8 || d.len() == 9) {
        return false;
    }
    let mut base = [0u8; 8];
    let body = &d[..d.len() - 1];
    base[8 - body.len()..].copy_from_slice(body);
    let check = |w: [u32; 8]| {
        let r = base
            .iter()
            .zip(w)
            .map(|(&x, w)| u32::from(x) * w)
            .sum::<u32>()
            % 11;
        if r == 0 {
            0
        } else {
            11 - r
        }
    };
    let mut c = check([3, 2, 7, 6, 5, 4, 3, 2]);
    if c == 10 {
        c = check([7, 4, 3, 2, 5, 2, 7, 6]);
    }
    c != 10 && c == u32::from(d[d.len() - 1])
}

fn national(d: &[u8]) -> bool {
    match d.len() {
        8 => tfn(d) || ird(d),
        9 => luhn(d) || tfn(d) || ird(d),
        10 => nhs(d) || luhn(d) || medicare(d),
        11 => medicare(d),
        _ => false,
    }
}

fn npi(d: &[u8]) -> bool {
    if d.len() != 10 || !(d[0] == 1 || d[0] == 2) {
        return false;
    }
    let mut full = vec![8, 0, 8, 4, 0];
    full.extend_from_slice(d);
    luhn(&full)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row of a validator's table: `s` is accepted exactly when `ok`.
    fn assert_table(v: Validator, s: &str, ok: bool) {
        let want = if ok { Verdict::Accept } else { Verdict::Reject };
        assert_eq!(v.check(s), want, "{v:?} {s}");
    }

    #[test]
    fn spoken_digits_are_a_number_unless_a_count() {
        for (s, ok) in [
            ("four four eight eight one two", true),
            ("oh four one two, three four five, six seven eight", true),
            ("double seven three, triple two", true),
            ("nine eight seven six five four", false),
            ("one two three four five six", false),
            ("four four eight", false),
            ("one one one one one one", false),
        ] {
            assert_table(Validator::Spoken, s, ok);
        }
    }

    #[test]
    fn checksums() {
        assert_eq!(
            Validator::Luhn.check("4111 1111 1111 1111"),
            Verdict::Accept
        );
        assert_eq!(
            Validator::Luhn.check("4111 1111 1111 1112"),
            Verdict::Reject
        );
        assert_eq!(Validator::Ssn.check("123-45-6789"), Verdict::Accept);
        assert_eq!(Validator::Ssn.check("666-45-6789"), Verdict::Reject);
        assert_eq!(Validator::Ssn.check("123-00-6789"), Verdict::Reject);
        assert_eq!(Validator::Nanp.check("(617) 555-0134"), Verdict::Accept);
        assert_eq!(Validator::Nanp.check("017-555-0134"), Verdict::Reject);
        assert_eq!(Validator::Nhs.check("943 476 5919"), Verdict::Accept);
        assert_eq!(Validator::Nhs.check("943 476 5918"), Verdict::Reject);
        assert_eq!(Validator::Npi.check("1234567893"), Verdict::Accept);
        assert_eq!(Validator::Npi.check("1234567890"), Verdict::Reject);
        assert_eq!(Validator::Medicare.check("2123 45670 1"), Verdict::Accept);
        assert_eq!(Validator::Ipv4.check("192.168.10.254"), Verdict::Accept);
        for (s, ok) in [
            ("046 454 286", true), // SIN, Luhn
            ("046 454 287", false),
            ("123 456 782", true), // TFN
            ("49-091-850", true),  // IRD, eight digits
            ("136 410 132", true), // IRD, nine digits
            ("136 410 133", false),
            ("943 476 5919", true),   // NHS
            ("2123 45670 1", true),   // Medicare
            ("2123 45670 1 2", true), // Medicare with issue number
            ("1234 567 890", false),
            ("12 34", false),
        ] {
            assert_table(Validator::National, s, ok);
        }
        assert_eq!(Validator::Ipv4.check("192.168.10.256"), Verdict::Reject);
    }

    #[test]
    fn postcode_shapes_are_not_times_or_doses() {
        for (s, ok) in [
            ("B11 8MC", true),
            ("bs22 5tt", true),
            ("sw126rw", true),
            ("T4 2PM", false),
            ("x2 1mg", false),
            ("q4 2hr", false),
            ("A4 1ST", false),
        ] {
            assert_table(Validator::Postcode, s, ok);
        }
    }

    #[test]
    fn ages_split_by_kind() {
        assert_eq!(Validator::Age.check("93"), Verdict::AcceptAs(Kind::Direct));
        assert_eq!(Validator::Age.check("34"), Verdict::AcceptAs(Kind::Quasi));
        assert_eq!(Validator::Age.check("300"), Verdict::Reject);
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(Validator::Date.check("02/29/2020"), Verdict::Accept);
        assert_eq!(Validator::Date.check("02/29/2021"), Verdict::Reject);
        assert_eq!(Validator::Date.check("120/80"), Verdict::Reject);
        assert_eq!(Validator::Date.check("March 14, 2021"), Verdict::Accept);
        assert_eq!(Validator::Year.check("1987"), Verdict::Accept);
        assert_eq!(Validator::Year.check("2130"), Verdict::Reject);
    }

    #[test]
    fn grouped_numbers_are_long_and_not_dates() {
        for (s, ok) in [
            ("7781-2231-09", true),
            ("112-4471923-8812334", true),
            ("2024 / 118830", true),
            ("2024-01-15", false),
            ("120-130", false),
            ("0800-1600", false),
            ("12-34-56-78-9", false),
            ("783-48-97", true),
            ("2024-11-24", false),
            ("12-14-16-18", false),
            ("0800 1200 1600", false),
            // Multiples of ten are no readings (a tenth of all groups are); round hundreds are.
            ("1230 2820 4190", true),
            ("2820-4190-18", true),
            ("0820-3800-64", true),
            ("0800-1200-1600-2000", false),
            ("2019 2020 2021", false),
            ("2500 3000 3500", false),
            ("5500-0000-0000-0005", true),
            ("T2 1200 1400", false),
            ("U1234 5678 01", true),
            ("RX1 234 567", true),
            ("4471 8823 0091", true),
            ("7001 2345 6789", true),
        ] {
            assert_table(Validator::Grouped, s, ok);
        }
    }

    #[test]
    fn codes_are_not_doses() {
        for (s, ok) in [
            ("TEN/00451", true),
            ("FD23P00412", true),
            ("b12-1000mcg", false),
            ("2X1000ML", false),
            ("1500CC", false),
            ("4471228TW", true),
        ] {
            assert_table(Validator::Code, s, ok);
        }
    }

    #[test]
    fn ramq_digits_are_a_birth_date() {
        for (s, ok) in [
            ("TREM 8512 0312", true),
            ("gagj 8562 1299", true),
            ("ABCD 1234 5678", false),
            ("from 1200 1400", false),
            ("dose 0512 0012", false),
            ("TREM 8512 031", false),
        ] {
            assert_table(Validator::Ramq, s, ok);
        }
    }
}
