//! Identifier categories and their kind (direct or quasi).

use std::fmt;
use std::str::FromStr;

/// Whether an identifier names a person on its own (direct) or only narrows the
/// population down in combination with others (quasi).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A direct identifier (name, phone number, date, ...): removed by redaction.
    Direct,
    /// A quasi-identifier (occupation, rare condition, ...): reported for risk, kept by default.
    Quasi,
}

impl Kind {
    /// The stable lower-case label (`direct` / `quasi`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Quasi => "quasi",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.to_ascii_lowercase().as_str() {
            "direct" => Ok(Kind::Direct),
            "quasi" => Ok(Kind::Quasi),
            _ => Err(()),
        }
    }
}

macro_rules! categories {
    ($( $(#[$doc:meta])* $var:ident = $label:literal, $kind:ident, $hipaa:literal; )*) => {
        /// What an identifier is. Labels are stable, SCREAMING_SNAKE strings used in rule files,
        /// JSON output and the Python API.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Category {
            $( $(#[$doc])* $var, )*
        }

        impl Category {
            /// Every category, in declaration order.
            pub const ALL: &'static [Category] = &[$(Category::$var),*];

            /// The stable label, e.g. `"NAME"`.
            pub fn label(self) -> &'static str {
                match self { $(Category::$var => $label,)* }
            }

            /// The kind this category has unless a rule says otherwise.
            pub fn default_kind(self) -> Kind {
                match self { $(Category::$var => Kind::$kind,)* }
            }

            /// The HIPAA Safe Harbor identifier(s) (45 CFR 164.514(b)(2)(i)) this category covers;
            /// empty for quasi-identifier categories.
            pub fn hipaa(self) -> &'static str {
                match self { $(Category::$var => $hipaa,)* }
            }
        }

        impl FromStr for Category {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s {
                    $($label => Ok(Category::$var),)*
                    _ => Err(()),
                }
            }
        }
    };
}

categories! {
    /// Names of anyone: clients, relatives, clinicians.
    Name = "NAME", Direct, "(A) names";
    /// Dates and date elements more specific than a year.
    Date = "DATE", Direct, "(C) dates";
    /// Ages (over 89 direct; other ages are quasi-identifiers).
    Age = "AGE", Direct, "(C) ages over 89";
    /// Telephone numbers.
    Phone = "PHONE", Direct, "(D) telephone numbers";
    /// Fax numbers.
    Fax = "FAX", Direct, "(E) fax numbers";
    /// E-mail addresses.
    Email = "EMAIL", Direct, "(F) email addresses";
    /// Web addresses.
    Url = "URL", Direct, "(N) URLs";
    /// IP addresses.
    IpAddress = "IP_ADDRESS", Direct, "(O) IP addresses";
    /// Street addresses.
    StreetAddress = "STREET_ADDRESS", Direct, "(B) geographic subdivisions: street address";
    /// Cities and towns.
    City = "CITY", Direct, "(B) geographic subdivisions: city";
    /// States and provinces.
    State = "STATE", Direct, "(B) geographic subdivisions (states may be kept under Safe Harbor)";
    /// ZIP and postal codes.
    Zip = "ZIP", Direct, "(B) geographic subdivisions: ZIP code";
    /// Other places: facilities, wards, neighbourhoods, counties.
    Location = "LOCATION", Direct, "(B) geographic subdivisions";
    /// Employers, schools, churches, clinics, hospitals.
    Organization = "ORGANIZATION", Direct, "(R) any other unique identifying characteristic";
    /// SSN, MRN, member, account, licence, plate, serial and case numbers.
    Id = "ID", Direct, "(G)-(M), (R): SSN, MRN, health plan, account, licence, vehicle, device numbers";
    /// Social media handles.
    SocialHandle = "SOCIAL_HANDLE", Direct, "(R) any other unique identifying characteristic";
    /// Occupation (quasi).
    Occupation = "OCCUPATION", Quasi, "";
    /// Ethnicity, nationality or language (quasi).
    Ethnicity = "ETHNICITY", Quasi, "";
    /// Religion (quasi).
    Religion = "RELIGION", Quasi, "";
    /// Rare or visible condition (quasi).
    Condition = "CONDITION", Quasi, "";
    /// Distinctive event (quasi).
    Event = "EVENT", Quasi, "";
    /// Distinctive family structure (quasi).
    Family = "FAMILY", Quasi, "";
    /// Physical trait (quasi).
    Physical = "PHYSICAL", Quasi, "";
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Category {
    /// A category label as a user gives it (the CLI's `--categories` and deny files, the
    /// Python package's `categories` and `deny`): surrounding whitespace ignored, any case
    /// (`name`, `Name` and `NAME` are all [`Category::Name`]). The one place both front ends
    /// parse a label, so they accept the same names and refuse with the same message.
    ///
    /// ```
    /// use deid_core::Category;
    /// assert_eq!(Category::from_label(" phone ").unwrap(), Category::Phone);
    /// let e = Category::from_label("PHONES").unwrap_err();
    /// assert!(e.to_string().starts_with("unknown category \"PHONES\" (known: NAME, DATE,"));
    /// ```
    pub fn from_label(label: &str) -> Result<Category, crate::Error> {
        label.trim().to_ascii_uppercase().parse().map_err(|()| {
            let known: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
            crate::Error::config(format!(
                "unknown category {label:?} (known: {})",
                known.join(", ")
            ))
        })
    }

    /// The longest span of this category in bytes. A longer detection (1 MB of `Dr. Smith `,
    /// 1 MB of digits) is cut into pieces of at most this length, at whitespace where there is
    /// some, so every byte of it is still covered but no span grows without bound. The limits
    /// are far above any identifier seen in the gold corpora (the longest there: a 64-byte URL,
    /// a 52-byte organisation, a 38-byte name).
    pub fn max_span_bytes(self) -> usize {
        match self {
            Category::Url => 2048,
            Category::Email => 256,
            Category::Name
            | Category::StreetAddress
            | Category::Location
            | Category::Organization => 200,
            Category::City | Category::Date | Category::SocialHandle => 100,
            Category::Age
            | Category::Phone
            | Category::Fax
            | Category::IpAddress
            | Category::State
            | Category::Id => 64,
            Category::Zip => 32,
            _ => 200,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for &c in Category::ALL {
            assert_eq!(c.label().parse::<Category>(), Ok(c));
        }
        assert!("OTHER".parse::<Category>().is_err());
    }

    #[test]
    fn from_label_ignores_case_and_spaces_and_names_the_known_labels() {
        for &c in Category::ALL {
            assert_eq!(Category::from_label(c.label()).unwrap(), c);
            assert_eq!(
                Category::from_label(&format!(" {} ", c.label().to_lowercase())).unwrap(),
                c
            );
        }
        let e = Category::from_label("nope").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        assert!(e
            .to_string()
            .starts_with("unknown category \"nope\" (known: NAME, "));
        assert!(e.to_string().ends_with("PHYSICAL)"), "{e}");
        assert!(Category::from_label("").is_err());
    }

    #[test]
    fn direct_categories_map_to_hipaa() {
        for &c in Category::ALL {
            assert_eq!(
                c.default_kind() == Kind::Direct,
                !c.hipaa().is_empty(),
                "{c}"
            );
        }
    }
}
