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
        /// Index into [`MONTH_NAMES`]: the language the month was written in.
        lang: u8,
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

pub(crate) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// An English weekday's name, ASCII case-insensitively ("Monday", "SUNDAY").
pub(crate) fn is_weekday(w: &str) -> bool {
    WEEKDAYS.iter().any(|d| w.eq_ignore_ascii_case(d))
}

/// Is `w` exactly an English month's name or its abbreviation ("June", "sept", "Dec")?
/// Case-insensitive. (Other languages' names are left out: Welsh "Mai" is a given name too.)
pub(crate) fn is_english_month_word(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    MONTHS.contains(&l.as_str()) || english_month_abbreviation(&l).is_some()
}

/// The month (1-12) an English abbreviation names: three letters, or "sept" (lower case).
fn english_month_abbreviation(l: &str) -> Option<u32> {
    if l.len() == 3 || l == "sept" {
        MONTHS
            .iter()
            .position(|m| m.starts_with(l))
            .map(|i| i as u32 + 1)
    } else {
        None
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

/// Month names of the languages notes from the six countries mix in (English first; then
/// Spanish, French, Māori, Welsh, Irish), lower case, so a date written "3 de marzo de 2024",
/// "12 janvier", "5 Hōngongoi" or "2 Bealtaine" is parsed, shifted and written back in its own
/// language. The text may drop the accents and macrons ("fevrier", "hongongoi").
pub(crate) const MONTH_NAMES: &[[&str; 12]] = &[
    MONTHS,
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "kohitātea",
        "huitanguru",
        "poutūterangi",
        "paengawhāwhā",
        "haratua",
        "pipiri",
        "hōngongoi",
        "here-turi-kōkā",
        "mahuru",
        "whiringa-ā-nuku",
        "whiringa-ā-rangi",
        "hakihea",
    ],
    [
        "ionawr",
        "chwefror",
        "mawrth",
        "ebrill",
        "mai",
        "mehefin",
        "gorffennaf",
        "awst",
        "medi",
        "hydref",
        "tachwedd",
        "rhagfyr",
    ],
    [
        "eanáir",
        "feabhra",
        "márta",
        "aibreán",
        "bealtaine",
        "meitheamh",
        "iúil",
        "lúnasa",
        "meán fómhair",
        "deireadh fómhair",
        "samhain",
        "nollaig",
    ],
];

/// The letter without its accent or macron, for the letters of [`MONTH_NAMES`].
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ā' => 'a',
        'é' | 'è' | 'ê' | 'ē' => 'e',
        'í' | 'î' | 'ī' => 'i',
        'ó' | 'ô' | 'ō' => 'o',
        'ú' | 'û' | 'ū' => 'u',
        _ => c,
    }
}

/// The month name (or English abbreviation) at the start of `s`, ending at a word boundary:
/// (month 1-12, abbreviated, language, length in bytes). Case-insensitive.
fn month_at(s: &str) -> Option<(u32, bool, u8, usize)> {
    let ends_word = |n: usize| !s[n..].starts_with(|c: char| c.is_alphanumeric());
    let prefix_len = |name: &str| -> Option<usize> {
        // Compare char by char, lower-casing the text: the names are lower case.
        let mut it = s.char_indices();
        for nc in name.chars() {
            let (_, c) = it.next()?;
            let c = c.to_lowercase().next().unwrap_or(c);
            if c != nc && c != fold_accent(nc) {
                return None;
            }
        }
        let n = it.next().map_or(s.len(), |(i, _)| i);
        ends_word(n).then_some(n)
    };
    for (lang, names) in MONTH_NAMES.iter().enumerate() {
        for (i, name) in names.iter().enumerate() {
            if let Some(n) = prefix_len(name) {
                return Some((i as u32 + 1, false, lang as u8, n));
            }
        }
    }
    // English abbreviations: three letters, or "sept".
    let word_len = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    let l = s[..word_len].to_ascii_lowercase();
    english_month_abbreviation(&l).map(|m| (m, true, 0, word_len))
}

/// Connecting words a written date may hold besides its numbers and month: English "of",
/// "the"; Spanish and French "de", "del"; Māori "o"; Welsh "mis".
fn date_filler(l: &str) -> bool {
    matches!(l, "of" | "the" | "de" | "del" | "o" | "mis")
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

/// Parses a date inside a span that resolution may have grown over neighbouring words
/// ("Desde Marzo de 2019", where "Desde" was also taken for a name): the words before the
/// first number or month name and after the last number or month name are kept as literal
/// text around the date [`parse`] reads. Returns `None` when the core is not a date.
pub fn parse_within(s: &str) -> Option<WrittenDate> {
    if let Some(d) = parse(s) {
        return Some(d);
    }
    // The first and last "atoms" of a date: digit runs and month names starting a word.
    let (mut start, mut end) = (None, 0);
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let word_start = i == 0 || !s[..i].ends_with(char::is_alphanumeric);
        let atom = if c.is_ascii_digit() {
            Some(
                s[i..]
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(s.len() - i),
            )
        } else if word_start {
            month_at(&s[i..]).map(|(_, _, _, n)| n)
        } else {
            None
        };
        match atom {
            Some(n) => {
                start.get_or_insert(i);
                end = i + n;
                i += n;
            }
            None => i += c.len_utf8(),
        }
    }
    let start = start?;
    let mut d = parse(&s[start..end])?;
    if start > 0 {
        d.parts.insert(0, Err(s[..start].to_string()));
    }
    if end < s.len() {
        d.parts.push(Err(s[end..].to_string()));
    }
    Some(d)
}

/// Parses a date as found by a DATE rule. Returns `None` for text that is not a date.
pub fn parse(s: &str) -> Option<WrittenDate> {
    // Tokenise into digit runs, month names (3), letter runs and other runs.
    let mut toks: Vec<(u8, &str)> = Vec::new();
    let class = |c: char| {
        if c.is_ascii_digit() {
            0
        } else if c.is_alphabetic() {
            1
        } else {
            2
        }
    };
    let mut i = 0;
    while let Some(first) = s[i..].chars().next() {
        let c = class(first);
        let at_word_start = i == 0 || !s[..i].ends_with(char::is_alphanumeric);
        if c == 1 && at_word_start {
            if let Some((_, _, _, n)) = month_at(&s[i..]) {
                toks.push((3, &s[i..i + n]));
                i += n;
                continue;
            }
        }
        let n = s[i..]
            .char_indices()
            .find(|&(_, ch)| class(ch) != c)
            .map_or(s.len() - i, |(k, _)| k);
        toks.push((c, &s[i..i + n]));
        i += n;
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
            3 => {
                let (m, abbr, lang, _) = month_at(t)?;
                if month_name.is_some() {
                    return None;
                }
                month_name = Some(m);
                parts.push(Ok(Piece::MonthName {
                    abbr,
                    case: case_of(t),
                    lang,
                }));
            }
            1 => {
                let l = t.to_lowercase();
                let ordinal = matches!(l.as_str(), "st" | "nd" | "rd" | "th" | "er")
                    && k > 0
                    && toks[k - 1].0 == 0;
                if !(ordinal || date_filler(&l)) {
                    return None;
                }
                parts.push(Err(t.to_string()));
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
                // French "1er" is the first only: "1er août" -> "12 mars".
                Err(lit)
                    if i > 0
                        && matches!(self.parts[i - 1], Ok(Piece::Day { .. }))
                        && lit.eq_ignore_ascii_case("er") =>
                {
                    if d == 1 {
                        out.push_str(lit);
                    }
                }
                Err(lit) => out.push_str(lit),
                Ok(Piece::Year4) => out.push_str(&format!("{y:04}")),
                Ok(Piece::Year2) => out.push_str(&format!("{:02}", y.rem_euclid(100))),
                Ok(Piece::Month { width }) => out.push_str(&format!("{m:0width$}")),
                Ok(Piece::Day { width }) => out.push_str(&format!("{d:0width$}")),
                Ok(Piece::MonthName { abbr, case, lang }) => {
                    let full =
                        MONTH_NAMES.get(usize::from(*lang)).unwrap_or(&MONTHS)[(m - 1) as usize];
                    let name = if *abbr { &full[..3] } else { full };
                    let name = match case {
                        Case::Lower => name.to_string(),
                        Case::Upper => name.to_uppercase(),
                        Case::Title => {
                            let mut c = name.chars();
                            c.next()
                                .map(|f| f.to_uppercase().to_string() + c.as_str())
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
    #[test]
    fn english_month_words_whole_and_abbreviated() {
        for w in ["June", "sept", "DEC", "may", "September"] {
            assert!(super::is_english_month_word(w), "{w}");
        }
        for w in ["Mai", "marzo", "Junes", "se", "Maybe", "session"] {
            assert!(!super::is_english_month_word(w), "{w}");
        }
    }

    use super::*;

    #[test]
    fn dates_in_other_languages_shift_in_their_language() {
        // (written, shifted by -30 days)
        let cases = [
            ("3 de marzo de 2024", "2 de febrero de 2024"),
            ("12 janvier 2023", "13 décembre 2022"),
            ("12 JANVIER 2023", "13 DÉCEMBRE 2022"),
            ("5 o Hōngongoi", "5 o Pipiri"),
            ("2 Bealtaine 2021", "2 Aibreán 2021"),
            ("1 Hydref 2020", "1 Medi 2020"),
            ("marzo de 2019", "febrero de 2019"),
            ("14 March 2021", "12 February 2021"),
            ("1er août 2021", "2 juillet 2021"),
            ("31 août 2021", "1 août 2021"),
            ("3 fevrier 2020", "4 janvier 2020"),
        ];
        for (written, want) in cases {
            let d = parse(written).unwrap_or_else(|| panic!("{written}"));
            assert_eq!(d.shifted(-30).as_deref(), Some(want), "{written}");
        }
        assert!(parse("3 de las pastillas").is_none());
    }

    #[test]
    fn a_date_inside_a_grown_span_keeps_its_words() {
        let d = parse_within("Desde Marzo de 2019").unwrap();
        assert_eq!(d.shifted(-30).as_deref(), Some("Desde Febrero de 2019"));
        let d = parse_within("on 14 March 2021 she").unwrap();
        assert_eq!(d.shifted(-30).as_deref(), Some("on 12 February 2021 she"));
        assert!(parse_within("no date here").is_none());
    }

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
