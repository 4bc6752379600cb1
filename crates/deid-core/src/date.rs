//! Parsing, validating, shifting and re-rendering dates in the format they were written in.

/// How a component was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    Year4,
    /// Two-digit year; `true` when written with an apostrophe before it ('92).
    Year2,
    Month {
        width: usize,
    },
    MonthName {
        abbr: bool,
        case: Case,
    },
    Day {
        width: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    Title,
    Upper,
    Lower,
}

/// A parsed date with its written shape, so a shifted date can be written the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenDate {
    /// Year, if written.
    pub year: Option<i32>,
    /// Month 1-12, if written.
    pub month: Option<u32>,
    /// Day 1-31, if written.
    pub day: Option<u32>,
    /// Literal text and component slots in order.
    parts: Vec<Result<Piece, String>>,
}

/// The English ordinal suffix of a day or other number (`1st`, `12th`, `23rd`).
pub(crate) fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_from_name(s: &str) -> Option<(u32, bool)> {
    let l = s.to_ascii_lowercase();
    if l.len() < 3 {
        return None;
    }
    for (i, m) in MONTHS.iter().enumerate() {
        if l == *m {
            return Some((i as u32 + 1, false));
        }
        if m.starts_with(&l) && (l.len() == 3 || l == "sept") {
            return Some((i as u32 + 1, true));
        }
    }
    None
}

fn case_of(s: &str) -> Case {
    if s.chars().all(|c| !c.is_lowercase()) && s.len() > 1 {
        Case::Upper
    } else if s.chars().next().is_some_and(char::is_lowercase) {
        Case::Lower
    } else {
        Case::Title
    }
}

/// Two-digit years: 00-29 are 20xx, 30-99 are 19xx.
fn expand_year2(y: i32) -> i32 {
    if y < 30 {
        2000 + y
    } else {
        1900 + y
    }
}

/// Parses a date as found by a DATE rule. Returns `None` for text that is not a date.
pub fn parse(s: &str) -> Option<WrittenDate> {
    // Tokenise into digit runs, letter runs and other runs.
    let mut toks: Vec<(u8, &str)> = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let class = |c: u8| {
            if c.is_ascii_digit() {
                0
            } else if c.is_ascii_alphabetic() {
                1
            } else {
                2
            }
        };
        let c = class(b[i]);
        let mut j = i + 1;
        while j < b.len() && class(b[j]) == c && b[j].is_ascii() {
            j += 1;
        }
        // Keep multi-byte characters whole.
        while j < b.len() && !s.is_char_boundary(j) {
            j += 1;
        }
        toks.push((c, &s[i..j]));
        i = j;
    }
    let mut parts: Vec<Result<Piece, String>> = Vec::new();
    let mut month_name = None;
    let mut nums: Vec<(usize, &str)> = Vec::new();
    for (k, &(c, t)) in toks.iter().enumerate() {
        match c {
            0 => {
                nums.push((parts.len(), t));
                parts.push(Ok(Piece::Day { width: 0 })); // placeholder, fixed below
            }
            1 => {
                if let Some((m, abbr)) = month_from_name(t) {
                    if month_name.is_some() {
                        return None;
                    }
                    month_name = Some(m);
                    parts.push(Ok(Piece::MonthName {
                        abbr,
                        case: case_of(t),
                    }));
                } else {
                    let l = t.to_ascii_lowercase();
                    let ordinal = matches!(l.as_str(), "st" | "nd" | "rd" | "th")
                        && k > 0
                        && toks[k - 1].0 == 0;
                    if !(ordinal || l == "of" || l == "the") {
                        return None;
                    }
                    parts.push(Err(t.to_string()));
                }
            }
            _ => parts.push(Err(t.to_string())),
        }
    }
    let (mut year, mut month, mut day) = (None, month_name, None);
    let set = |parts: &mut Vec<Result<Piece, String>>, at: usize, p: Piece| parts[at] = Ok(p);
    let apostrophe_before = |at: usize, parts: &Vec<Result<Piece, String>>| {
        at > 0 && matches!(&parts[at - 1], Err(l) if l.ends_with('\'') || l.ends_with('’'))
    };
    if month_name.is_some() {
        match nums.as_slice() {
            [] => {}
            [(at, n)] => {
                if n.len() == 4 {
                    year = Some(n.parse().ok()?);
                    set(&mut parts, *at, Piece::Year4);
                } else if n.len() == 2 && apostrophe_before(*at, &parts) {
                    year = Some(expand_year2(n.parse().ok()?));
                    set(&mut parts, *at, Piece::Year2);
                } else if n.len() <= 2 {
                    day = Some(n.parse().ok()?);
                    set(&mut parts, *at, Piece::Day { width: n.len() });
                } else {
                    return None;
                }
            }
            [(a1, d), (a2, y)] if d.len() <= 2 && (y.len() == 4 || y.len() == 2) => {
                day = Some(d.parse().ok()?);
                set(&mut parts, *a1, Piece::Day { width: d.len() });
                if y.len() == 4 {
                    year = Some(y.parse().ok()?);
                    set(&mut parts, *a2, Piece::Year4);
                } else {
                    year = Some(expand_year2(y.parse().ok()?));
                    set(&mut parts, *a2, Piece::Year2);
                }
            }
            _ => return None,
        }
    } else {
        let n = |s: &str| s.parse::<u32>().ok();
        match nums.as_slice() {
            [(a, y)] if y.len() == 4 => {
                year = Some(y.parse().ok()?);
                set(&mut parts, *a, Piece::Year4);
            }
            [(a1, y), (a2, m), (a3, d)] if y.len() == 4 => {
                year = Some(y.parse().ok()?);
                month = n(m);
                day = n(d);
                set(&mut parts, *a1, Piece::Year4);
                set(&mut parts, *a2, Piece::Month { width: m.len() });
                set(&mut parts, *a3, Piece::Day { width: d.len() });
            }
            [(a1, x), (a2, y2), rest @ ..] if x.len() <= 2 && y2.len() <= 2 && rest.len() <= 1 => {
                let (xv, yv) = (n(x)?, n(y2)?);
                // US order unless the first number cannot be a month.
                let (m_at, m, d_at, d, mw, dw) = if xv > 12 && yv <= 12 {
                    (*a2, yv, *a1, xv, y2.len(), x.len())
                } else {
                    (*a1, xv, *a2, yv, x.len(), y2.len())
                };
                month = Some(m);
                day = Some(d);
                set(&mut parts, m_at, Piece::Month { width: mw });
                set(&mut parts, d_at, Piece::Day { width: dw });
                if let [(a3, yr)] = rest {
                    match yr.len() {
                        4 => {
                            year = Some(yr.parse().ok()?);
                            set(&mut parts, *a3, Piece::Year4);
                        }
                        2 => {
                            year = Some(expand_year2(yr.parse().ok()?));
                            set(&mut parts, *a3, Piece::Year2);
                        }
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    }
    if month.is_none() && day.is_some() {
        return None;
    }
    // Zero-padding: if any numeric month or day was written with a leading zero, pad both.
    let padded = nums.iter().any(|(at, n)| {
        n.starts_with('0') && matches!(parts[*at], Ok(Piece::Month { .. }) | Ok(Piece::Day { .. }))
    });
    for p in parts.iter_mut() {
        match p {
            Ok(Piece::Month { width }) | Ok(Piece::Day { width }) => {
                *width = if padded { 2 } else { 1 }
            }
            _ => {}
        }
    }
    Some(WrittenDate {
        year,
        month,
        day,
        parts,
    })
}

/// 1970-01-01, day 0 of [`days_from_civil`].
const EPOCH: jiff::civil::Date = jiff::civil::Date::constant(1970, 1, 1);

/// The calendar date, when it exists (calendar arithmetic is jiff's, not hand-written).
fn civil(y: i32, m: u32, d: u32) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// Days in month `m` of year `y` (0 for a month that does not exist).
fn days_in_month(y: i32, m: u32) -> u32 {
    civil(y, m, 1).map_or(0, |d| d.days_in_month().unsigned_abs().into())
}

/// Days since 1970-01-01 (proleptic Gregorian), when the date exists.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> Option<i64> {
    let span = civil(y, m, d)?.since(EPOCH).ok()?;
    Some(i64::from(span.get_days()))
}

/// Inverse of [`days_from_civil`]: year, month, day, for days within jiff's years -9999..=9999.
pub fn civil_from_days(z: i64) -> Option<(i32, u32, u32)> {
    let date = EPOCH
        .checked_add(jiff::Span::new().try_days(z).ok()?)
        .ok()?;
    Some((
        i32::from(date.year()),
        u32::from(date.month().unsigned_abs()),
        u32::from(date.day().unsigned_abs()),
    ))
}

/// Reference year for dates written without one (a leap year, so 2/29 survives).
const NO_YEAR: i32 = 2000;

impl WrittenDate {
    /// True when the written components form a real calendar date.
    pub fn is_valid(&self) -> bool {
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                (1..=12).contains(&m)
                    && d >= 1
                    && d <= days_in_month(self.year.unwrap_or(NO_YEAR), m)
            }
            (Some(m), None) => (1..=12).contains(&m),
            (None, None) => self.year.is_some_and(|y| (1800..=2199).contains(&y)),
            (None, Some(_)) => false,
        }
    }

    /// The same date moved by `days`, written in the same shape. `None` when invalid.
    pub fn shifted(&self, days: i64) -> Option<String> {
        if !self.is_valid() {
            return None;
        }
        let y0 = self.year.unwrap_or(NO_YEAR);
        let base = match (self.month, self.day) {
            (Some(m), Some(d)) => days_from_civil(y0, m, d)?,
            // Month precision: shift the middle of the month.
            (Some(m), None) => days_from_civil(y0, m, 15)?,
            // Year precision: shift the middle of the year.
            _ => days_from_civil(y0, 7, 2)?,
        };
        // Shifts beyond years 1-9999 have no written form.
        let shifted = base
            .checked_add(days)
            .filter(|z| (-719_162..=2_932_896).contains(z))?;
        let (y, m, d) = civil_from_days(shifted)?;
        let mut out = String::new();
        for (i, p) in self.parts.iter().enumerate() {
            match p {
                // An ordinal suffix after the day follows the new day ("3rd" -> "2nd").
                Err(lit)
                    if i > 0
                        && matches!(self.parts[i - 1], Ok(Piece::Day { .. }))
                        && matches!(
                            lit.to_ascii_lowercase().as_str(),
                            "st" | "nd" | "rd" | "th"
                        ) =>
                {
                    let suffix = ordinal_suffix(d);
                    if lit.chars().all(|c| c.is_ascii_uppercase()) {
                        out.push_str(&suffix.to_ascii_uppercase());
                    } else {
                        out.push_str(suffix);
                    }
                }
                Err(lit) => out.push_str(lit),
                Ok(Piece::Year4) => out.push_str(&format!("{y:04}")),
                Ok(Piece::Year2) => out.push_str(&format!("{:02}", y.rem_euclid(100))),
                Ok(Piece::Month { width }) => out.push_str(&format!("{m:0width$}")),
                Ok(Piece::Day { width }) => out.push_str(&format!("{d:0width$}")),
                Ok(Piece::MonthName { abbr, case }) => {
                    let full = MONTHS[(m - 1) as usize];
                    let name = if *abbr { &full[..3] } else { full };
                    let name = match case {
                        Case::Lower => name.to_string(),
                        Case::Upper => name.to_ascii_uppercase(),
                        Case::Title => {
                            let mut c = name.chars();
                            c.next()
                                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                                .unwrap_or_default()
                        }
                    };
                    out.push_str(&name);
                }
            }
        }
        Some(out)
    }

    /// Day number (days since 1970-01-01) when year, month and day are all written.
    pub fn day_number(&self) -> Option<i64> {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) if self.is_valid() => days_from_civil(y, m, d),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(s: &str, d: i64) -> Option<String> {
        parse(s)?.shifted(d)
    }

    #[test]
    fn shapes_are_kept() {
        assert_eq!(shift("03/14/2021", 30).as_deref(), Some("04/13/2021"));
        assert_eq!(shift("3/14/21", 30).as_deref(), Some("4/13/21"));
        assert_eq!(shift("2021-03-14", -14).as_deref(), Some("2021-02-28"));
        assert_eq!(
            shift("March 14, 2021", 1).as_deref(),
            Some("March 15, 2021")
        );
        assert_eq!(shift("14 Mar 2021", 20).as_deref(), Some("3 Apr 2021"));
        assert_eq!(shift("MARCH 31ST", 1).as_deref(), Some("APRIL 1ST"));
        assert_eq!(shift("7/22", 10).as_deref(), Some("8/1"));
        assert_eq!(shift("12/31/1999", 1).as_deref(), Some("1/1/2000"));
        assert_eq!(shift("03/09/2020", 1).as_deref(), Some("03/10/2020"));
        assert_eq!(shift("'92", 0).as_deref(), None);
    }

    #[test]
    fn ordinal_suffixes_follow_the_shifted_day() {
        assert_eq!(shift("3rd March", -1).as_deref(), Some("2nd March"));
        assert_eq!(shift("21st May 2020", -1).as_deref(), Some("20th May 2020"));
        assert_eq!(shift("MARCH 10TH", 1).as_deref(), Some("MARCH 11TH"));
    }

    #[test]
    fn huge_shifts_are_refused() {
        assert_eq!(shift("03/14/2021", i64::MAX), None);
        assert_eq!(shift("03/14/2021", 1 << 40), None);
        assert_eq!(shift("03/14/2021", -(1 << 40)), None);
    }

    #[test]
    fn round_trip_days() {
        for z in [-800_000i64, -1, 0, 1, 11_016, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(z).unwrap();
            assert_eq!(days_from_civil(y, m, d), Some(z));
        }
        assert_eq!(days_from_civil(2021, 3, 14), Some(18_700));
        assert_eq!(civil_from_days(0), Some((1970, 1, 1)));
        assert_eq!(days_from_civil(2021, 2, 29), None, "no such date");
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2021, 13), 0);
        assert_eq!(civil_from_days(1 << 40), None);
    }

    #[test]
    fn rejects_non_dates() {
        assert!(parse("120/80").is_none_or(|d| !d.is_valid()));
        assert!(parse("hello").is_none());
        assert!(parse("13/13/2020").is_none_or(|d| !d.is_valid()));
    }
}
