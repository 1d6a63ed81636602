//! When an agenda must be published: five clear working days before the meeting.
//!
//! In England the agenda and reports of a meeting must be open to inspection at least five clear
//! days before it (Local Government Act 1972 s100B(3) and, for executive meetings, the Local
//! Authorities (Executive Arrangements) (Meetings and Access to Information) (England)
//! Regulations 2012, reg. 6). "Clear days" leave out the day the agenda is published and the day
//! of the meeting; weekends and bank holidays are not working days.
//!
//! In: a meeting date (and a planned publication date). Out: the latest working day on which the
//! agenda can be published, the five clear working days that leaves, and the bank holidays
//! skipped on the way, or an error when the dates fall outside the years the bank-holiday table
//! covers. Pure functions, no clock.

use chrono::{Datelike, NaiveDate, Weekday};

/// How many clear working days must lie between publication and the meeting.
pub const CLEAR_WORKING_DAYS: usize = 5;

/// The first year [`BANK_HOLIDAYS`] covers.
pub const FIRST_YEAR: i32 = 2012;
/// The last year [`BANK_HOLIDAYS`] covers.
pub const LAST_YEAR: i32 = 2027;

/// Bank holidays in England and Wales, 2012–2027: (year, month, day, name).
///
/// Source: GOV.UK, <https://www.gov.uk/bank-holidays.json>, division `england-and-wales`,
/// transcribed from two snapshots of that file (one listing 2012–2020, one 2019–2027; they agree
/// on the years both list). Substitute days are the dates on which the holiday is taken. Extra
/// holidays (the 2012 Diamond Jubilee, the 2022 Platinum Jubilee and State Funeral, the 2023
/// Coronation) and moved ones (Spring 2012 and 2022, Early May 2020) are included. When GOV.UK
/// publishes a new year, add its lines and move [`LAST_YEAR`].
pub const BANK_HOLIDAYS: &[(i32, u32, u32, &str)] = &[
    (2012, 1, 2, "New Year’s Day (substitute day)"),
    (2012, 4, 6, "Good Friday"),
    (2012, 4, 9, "Easter Monday"),
    (2012, 5, 7, "Early May bank holiday"),
    (2012, 6, 4, "Spring bank holiday (substitute day)"),
    (2012, 6, 5, "Queen’s Diamond Jubilee"),
    (2012, 8, 27, "Summer bank holiday"),
    (2012, 12, 25, "Christmas Day"),
    (2012, 12, 26, "Boxing Day"),
    (2013, 1, 1, "New Year’s Day"),
    (2013, 3, 29, "Good Friday"),
    (2013, 4, 1, "Easter Monday"),
    (2013, 5, 6, "Early May bank holiday"),
    (2013, 5, 27, "Spring bank holiday"),
    (2013, 8, 26, "Summer bank holiday"),
    (2013, 12, 25, "Christmas Day"),
    (2013, 12, 26, "Boxing Day"),
    (2014, 1, 1, "New Year’s Day"),
    (2014, 4, 18, "Good Friday"),
    (2014, 4, 21, "Easter Monday"),
    (2014, 5, 5, "Early May bank holiday"),
    (2014, 5, 26, "Spring bank holiday"),
    (2014, 8, 25, "Summer bank holiday"),
    (2014, 12, 25, "Christmas Day"),
    (2014, 12, 26, "Boxing Day"),
    (2015, 1, 1, "New Year’s Day"),
    (2015, 4, 3, "Good Friday"),
    (2015, 4, 6, "Easter Monday"),
    (2015, 5, 4, "Early May bank holiday"),
    (2015, 5, 25, "Spring bank holiday"),
    (2015, 8, 31, "Summer bank holiday"),
    (2015, 12, 25, "Christmas Day"),
    (2015, 12, 28, "Boxing Day (substitute day)"),
    (2016, 1, 1, "New Year’s Day"),
    (2016, 3, 25, "Good Friday"),
    (2016, 3, 28, "Easter Monday"),
    (2016, 5, 2, "Early May bank holiday"),
    (2016, 5, 30, "Spring bank holiday"),
    (2016, 8, 29, "Summer bank holiday"),
    (2016, 12, 26, "Boxing Day"),
    (2016, 12, 27, "Christmas Day (substitute day)"),
    (2017, 1, 2, "New Year’s Day (substitute day)"),
    (2017, 4, 14, "Good Friday"),
    (2017, 4, 17, "Easter Monday"),
    (2017, 5, 1, "Early May bank holiday"),
    (2017, 5, 29, "Spring bank holiday"),
    (2017, 8, 28, "Summer bank holiday"),
    (2017, 12, 25, "Christmas Day"),
    (2017, 12, 26, "Boxing Day"),
    (2018, 1, 1, "New Year’s Day"),
    (2018, 3, 30, "Good Friday"),
    (2018, 4, 2, "Easter Monday"),
    (2018, 5, 7, "Early May bank holiday"),
    (2018, 5, 28, "Spring bank holiday"),
    (2018, 8, 27, "Summer bank holiday"),
    (2018, 12, 25, "Christmas Day"),
    (2018, 12, 26, "Boxing Day"),
    (2019, 1, 1, "New Year’s Day"),
    (2019, 4, 19, "Good Friday"),
    (2019, 4, 22, "Easter Monday"),
    (2019, 5, 6, "Early May bank holiday"),
    (2019, 5, 27, "Spring bank holiday"),
    (2019, 8, 26, "Summer bank holiday"),
    (2019, 12, 25, "Christmas Day"),
    (2019, 12, 26, "Boxing Day"),
    (2020, 1, 1, "New Year’s Day"),
    (2020, 4, 10, "Good Friday"),
    (2020, 4, 13, "Easter Monday"),
    (2020, 5, 8, "Early May bank holiday (VE day)"),
    (2020, 5, 25, "Spring bank holiday"),
    (2020, 8, 31, "Summer bank holiday"),
    (2020, 12, 25, "Christmas Day"),
    (2020, 12, 28, "Boxing Day (substitute day)"),
    (2021, 1, 1, "New Year’s Day"),
    (2021, 4, 2, "Good Friday"),
    (2021, 4, 5, "Easter Monday"),
    (2021, 5, 3, "Early May bank holiday"),
    (2021, 5, 31, "Spring bank holiday"),
    (2021, 8, 30, "Summer bank holiday"),
    (2021, 12, 27, "Christmas Day (substitute day)"),
    (2021, 12, 28, "Boxing Day (substitute day)"),
    (2022, 1, 3, "New Year’s Day (substitute day)"),
    (2022, 4, 15, "Good Friday"),
    (2022, 4, 18, "Easter Monday"),
    (2022, 5, 2, "Early May bank holiday"),
    (2022, 6, 2, "Spring bank holiday"),
    (2022, 6, 3, "Platinum Jubilee bank holiday"),
    (2022, 8, 29, "Summer bank holiday"),
    (2022, 9, 19, "Bank Holiday for the State Funeral of Queen Elizabeth II"),
    (2022, 12, 26, "Boxing Day"),
    (2022, 12, 27, "Christmas Day (substitute day)"),
    (2023, 1, 2, "New Year’s Day (substitute day)"),
    (2023, 4, 7, "Good Friday"),
    (2023, 4, 10, "Easter Monday"),
    (2023, 5, 1, "Early May bank holiday"),
    (2023, 5, 8, "Bank holiday for the coronation of King Charles III"),
    (2023, 5, 29, "Spring bank holiday"),
    (2023, 8, 28, "Summer bank holiday"),
    (2023, 12, 25, "Christmas Day"),
    (2023, 12, 26, "Boxing Day"),
    (2024, 1, 1, "New Year’s Day"),
    (2024, 3, 29, "Good Friday"),
    (2024, 4, 1, "Easter Monday"),
    (2024, 5, 6, "Early May bank holiday"),
    (2024, 5, 27, "Spring bank holiday"),
    (2024, 8, 26, "Summer bank holiday"),
    (2024, 12, 25, "Christmas Day"),
    (2024, 12, 26, "Boxing Day"),
    (2025, 1, 1, "New Year’s Day"),
    (2025, 4, 18, "Good Friday"),
    (2025, 4, 21, "Easter Monday"),
    (2025, 5, 5, "Early May bank holiday"),
    (2025, 5, 26, "Spring bank holiday"),
    (2025, 8, 25, "Summer bank holiday"),
    (2025, 12, 25, "Christmas Day"),
    (2025, 12, 26, "Boxing Day"),
    (2026, 1, 1, "New Year’s Day"),
    (2026, 4, 3, "Good Friday"),
    (2026, 4, 6, "Easter Monday"),
    (2026, 5, 4, "Early May bank holiday"),
    (2026, 5, 25, "Spring bank holiday"),
    (2026, 8, 31, "Summer bank holiday"),
    (2026, 12, 25, "Christmas Day"),
    (2026, 12, 28, "Boxing Day (substitute day)"),
    (2027, 1, 1, "New Year’s Day"),
    (2027, 3, 26, "Good Friday"),
    (2027, 3, 29, "Easter Monday"),
    (2027, 5, 3, "Early May bank holiday"),
    (2027, 5, 31, "Spring bank holiday"),
    (2027, 8, 30, "Summer bank holiday"),
    (2027, 12, 27, "Christmas Day (substitute day)"),
    (2027, 12, 28, "Boxing Day (substitute day)"),
];

/// A date the bank-holiday table does not cover, so whether it is a working day is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutsideTable {
    pub date: NaiveDate,
}

impl std::fmt::Display for OutsideTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the publication deadline needs the bank holidays of {}, but committee-paper knows those of \
             {FIRST_YEAR}–{LAST_YEAR} only (England and Wales, from GOV.UK)",
            self.date.year()
        )
    }
}

impl std::error::Error for OutsideTable {}

/// The bank holiday on `date`, if it is one.
pub fn bank_holiday(date: NaiveDate) -> Result<Option<&'static str>, OutsideTable> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Err(OutsideTable { date });
    }
    Ok(BANK_HOLIDAYS
        .iter()
        .find(|(y, m, d, _)| *y == date.year() && *m == date.month() && *d == date.day())
        .map(|(.., name)| *name))
}

/// Whether `date` is a working day: Monday to Friday and not a bank holiday.
pub fn is_working_day(date: NaiveDate) -> Result<bool, OutsideTable> {
    let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    // Look the date up even at weekends, so that every date used is inside the table.
    let holiday = bank_holiday(date)?;
    Ok(!weekend && holiday.is_none())
}

/// The working days strictly between publication and the meeting: the "clear" days.
pub fn clear_working_days(published: NaiveDate, meeting: NaiveDate) -> Result<usize, OutsideTable> {
    let mut count = 0;
    let mut day = published.succ_opt();
    while let Some(d) = day.filter(|d| *d < meeting) {
        if is_working_day(d)? {
            count += 1;
        }
        day = d.succ_opt();
    }
    Ok(count)
}

/// The publication deadline of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The latest working day on which publishing leaves [`CLEAR_WORKING_DAYS`] clear working
    /// days before the meeting.
    pub latest: NaiveDate,
    /// Those clear working days, earliest first.
    pub clear_days: Vec<NaiveDate>,
    /// Bank holidays between the deadline and the meeting, which do not count.
    pub holidays: Vec<(NaiveDate, &'static str)>,
}

/// The latest working day on which the agenda of a meeting on `meeting` can be published.
///
/// Publishing on a weekend or bank holiday after this date can still leave five clear working
/// days (a Saturday before a Monday-week meeting, say); [`clear_working_days`] judges any date.
pub fn publication_deadline(meeting: NaiveDate) -> Result<Deadline, OutsideTable> {
    let mut clear_days = Vec::new();
    let mut holidays = Vec::new();
    let mut day = meeting;
    let latest = loop {
        day = day.pred_opt().ok_or(OutsideTable { date: day })?;
        let working = is_working_day(day)?;
        if clear_days.len() == CLEAR_WORKING_DAYS {
            if working {
                break day;
            }
        } else if working {
            clear_days.push(day);
        }
        if let Some(name) = bank_holiday(day)? {
            holidays.push((day, name));
        }
    };
    clear_days.reverse();
    holidays.reverse();
    Ok(Deadline { latest, clear_days, holidays })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn latest_publication_dates() {
        // (meeting, latest publication day, why)
        let cases = [
            ("2014-08-28", "2014-08-19", "Thursday after the August bank holiday Monday"),
            ("2014-09-15", "2014-09-05", "a Monday meeting: the Friday of the week before last"),
            ("2014-12-18", "2014-12-10", "an ordinary Thursday"),
            ("2015-01-09", "2014-12-31", "New Year's Day falls among the days counted back"),
            ("2014-04-23", "2014-04-11", "Easter: Good Friday and Easter Monday skipped"),
            ("2021-01-04", "2020-12-22", "Christmas 2020 with the Boxing Day substitute Monday"),
            ("2022-09-22", "2022-09-13", "the State Funeral holiday of 19 September 2022"),
            ("2023-05-11", "2023-05-02", "the Coronation holiday of 8 May 2023"),
            ("2014-08-30", "2014-08-21", "a Saturday meeting: its day is not counted either"),
        ];
        for (meeting, expected, why) in cases {
            let deadline = publication_deadline(date(meeting)).unwrap();
            assert_eq!(deadline.latest, date(expected), "{meeting}: {why}");
            assert_eq!(deadline.clear_days.len(), CLEAR_WORKING_DAYS, "{meeting}");
            assert_eq!(clear_working_days(deadline.latest, date(meeting)).unwrap(), CLEAR_WORKING_DAYS, "{meeting}");
            // One working day later leaves only four.
            let mut later = deadline.latest.succ_opt().unwrap();
            while !is_working_day(later).unwrap() {
                later = later.succ_opt().unwrap();
            }
            assert_eq!(clear_working_days(later, date(meeting)).unwrap(), CLEAR_WORKING_DAYS - 1, "{meeting}");
        }
    }

    #[test]
    fn the_2014_fixture_meeting_skips_the_summer_bank_holiday() {
        let deadline = publication_deadline(date("2014-08-28")).unwrap();
        assert_eq!(
            deadline.clear_days,
            ["2014-08-20", "2014-08-21", "2014-08-22", "2014-08-26", "2014-08-27"].map(date).to_vec()
        );
        assert_eq!(deadline.holidays, vec![(date("2014-08-25"), "Summer bank holiday")]);
    }

    #[test]
    fn counting_clear_days_leaves_out_both_ends_and_weekends() {
        // Published Friday 22 August 2014 for Thursday 28th: 26, 27 (25th a bank holiday).
        assert_eq!(clear_working_days(date("2014-08-22"), date("2014-08-28")).unwrap(), 2);
        // A Saturday publication before a Monday-week meeting still leaves five.
        assert_eq!(clear_working_days(date("2014-09-06"), date("2014-09-15")).unwrap(), 5);
        assert_eq!(clear_working_days(date("2014-08-28"), date("2014-08-28")).unwrap(), 0);
        assert_eq!(clear_working_days(date("2014-08-29"), date("2014-08-28")).unwrap(), 0);
    }

    #[test]
    fn dates_beyond_the_table_are_errors() {
        for meeting in ["2011-06-01", "2028-03-01", "2012-01-05"] {
            let err = publication_deadline(date(meeting)).unwrap_err();
            assert!(err.to_string().contains("2012–2027"), "{meeting}: {err}");
        }
        // The first meeting whose five clear days and deadline all fall in 2012.
        assert!(publication_deadline(date("2012-01-11")).is_ok());
        assert!(publication_deadline(date("2027-12-31")).is_ok());
    }

    /// The table against the rules that make the usual holidays (Easter by the Gregorian
    /// computus, first and last Mondays, substitute days), so a mistyped date shows up. The
    /// special days of each year are listed by hand.
    #[test]
    fn table_matches_the_rules_apart_from_the_listed_exceptions() {
        // The anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8).
        fn easter(year: i32) -> NaiveDate {
            let (a, b, c) = (year % 19, year / 100, year % 100);
            let (d, e) = (b / 4, b % 4);
            let f = (b + 8) / 25;
            let g = (b - f + 1) / 3;
            let h = (19 * a + b - d - g + 15) % 30;
            let (i, k) = (c / 4, c % 4);
            let l = (32 + 2 * e + 2 * i - h - k) % 7;
            let m = (a + 11 * h + 22 * l) / 451;
            let n = h + l - 7 * m + 114;
            NaiveDate::from_ymd_opt(year, (n / 31) as u32, (n % 31 + 1) as u32).unwrap()
        }
        let monday_on_or_after =
            |d: NaiveDate| d + chrono::Days::new(u64::from((7 - d.weekday().num_days_from_monday()) % 7));
        let mut expected = Vec::new();
        for year in FIRST_YEAR..=LAST_YEAR {
            let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap();
            let mut new_year = ymd(1, 1);
            while matches!(new_year.weekday(), Weekday::Sat | Weekday::Sun) {
                new_year = new_year.succ_opt().unwrap();
            }
            expected.push(new_year);
            let e = easter(year);
            expected.push(e - chrono::Days::new(2));
            expected.push(e + chrono::Days::new(1));
            expected.push(monday_on_or_after(ymd(5, 1)));
            expected.push(monday_on_or_after(ymd(5, 25)));
            expected.push(monday_on_or_after(ymd(8, 25)));
            // Christmas and Boxing Day, each moved to the next free weekday.
            let mut taken = Vec::new();
            for d in [ymd(12, 25), ymd(12, 26)] {
                let mut day = d;
                while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || taken.contains(&day) {
                    day = day.succ_opt().unwrap();
                }
                taken.push(day);
            }
            expected.extend(taken);
        }
        // Moved and extra days, as GOV.UK lists them.
        let moved = [("2012-05-28", "2012-06-04"), ("2020-05-04", "2020-05-08"), ("2022-05-30", "2022-06-02")];
        for (from, to) in moved {
            let at = expected.iter().position(|d| *d == date(from)).unwrap();
            expected[at] = date(to);
        }
        expected.extend(["2012-06-05", "2022-06-03", "2022-09-19", "2023-05-08"].map(date));
        expected.sort();
        let table: Vec<NaiveDate> =
            BANK_HOLIDAYS.iter().map(|(y, m, d, _)| NaiveDate::from_ymd_opt(*y, *m, *d).unwrap()).collect();
        let mut sorted = table.clone();
        sorted.sort();
        assert_eq!(table, sorted, "the table is in date order");
        assert_eq!(table, expected);
    }
}
