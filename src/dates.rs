//! The Glassix date formats, in UTC and without any locale: `dd/MM/yyyy HH:mm:ss:ff` for
//! `tickets/list` and phone calls, `dd/MM/yyyy` for user status logs. Pure arithmetic on
//! milliseconds since the epoch, so it is tested on the host.

use crate::js::push_num;

const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 → (year, month 1..=12, day 1..=31). Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// (year, month 1..=12, day 1..=31) → days since 1970-01-01.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Parts {
    y: i64,
    mo: u32,
    d: u32,
    h: i64,
    mi: i64,
    s: i64,
    ms: i64,
}

fn split(ms: f64) -> Parts {
    let t = ms.floor() as i64;
    let days = t.div_euclid(DAY_MS);
    let rem = t.rem_euclid(DAY_MS);
    let (y, mo, d) = civil_from_days(days);
    Parts {
        y,
        mo,
        d,
        h: rem / 3_600_000,
        mi: rem / 60_000 % 60,
        s: rem / 1000 % 60,
        ms: rem % 1000,
    }
}

fn join(p: &Parts) -> f64 {
    (days_from_civil(p.y, p.mo, p.d) * DAY_MS + p.h * 3_600_000 + p.mi * 60_000 + p.s * 1000 + p.ms)
        as f64
}

/// Dates Glassix can represent: years 1..=9999 (also keeps the arithmetic far from overflow).
pub fn in_range(ms: f64) -> bool {
    ms.is_finite() && (-62_135_596_800_000.0..253_402_300_800_000.0).contains(&ms)
}

/// `dd/MM/yyyy HH:mm:ss:ff` in UTC (hundredths are truncated, never rounded up).
pub fn format_full(ms: f64) -> String {
    let p = split(ms);
    let mut out = format_day(ms);
    for (sep, n) in [(' ', p.h), (':', p.mi), (':', p.s), (':', p.ms / 10)] {
        out.push(sep);
        push_num(&mut out, n as u64, 2);
    }
    out
}

/// `dd/MM/yyyy` in UTC.
pub fn format_day(ms: f64) -> String {
    let p = split(ms);
    let mut out = String::with_capacity(22);
    push_num(&mut out, u64::from(p.d), 2);
    out.push('/');
    push_num(&mut out, u64::from(p.mo), 2);
    out.push('/');
    push_num(&mut out, p.y as u64, 4);
    out
}

/// Parses `dd/MM/yyyy`, optionally followed by ` HH:mm`, `:ss` and `:ff` (or `.ff`), as UTC.
/// Returns `None` for anything else, including impossible dates such as 31/02.
pub fn parse(s: &str) -> Option<f64> {
    let s = s.trim();
    let (date, time) = match s.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let mut dp = date.split('/');
    let d = num(dp.next()?, 1, 2)?;
    let mo = num(dp.next()?, 1, 2)?;
    let y = num(dp.next()?, 4, 4)?;
    if dp.next().is_some()
        || !(1..=12).contains(&mo)
        || d == 0
        || d > i64::from(days_in_month(y, mo as u32))
    {
        return None;
    }
    let (mut h, mut mi, mut sec, mut ff) = (0, 0, 0, 0);
    if let Some(t) = time {
        let mut tp = t.split([':', '.']);
        h = num(tp.next()?, 1, 2)?;
        mi = num(tp.next()?, 1, 2)?;
        if let Some(x) = tp.next() {
            sec = num(x, 1, 2)?;
        }
        if let Some(x) = tp.next() {
            // hundredths; a third digit would be milliseconds, which the format does not have
            ff = num(x, 1, 2)?;
            if x.len() == 1 {
                ff *= 10;
            }
        }
        if tp.next().is_some() || h > 23 || mi > 59 || sec > 59 {
            return None;
        }
    }
    Some(join(&Parts {
        y,
        mo: mo as u32,
        d: d as u32,
        h,
        mi,
        s: sec,
        ms: ff * 10,
    }))
}

fn num(s: &str, min_len: usize, max_len: usize) -> Option<i64> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Adds calendar months, clamping the day to the target month's length (31/01 + 1 → 28/02 or 29/02).
pub fn add_months(ms: f64, months: i64) -> f64 {
    let mut p = split(ms);
    let total = p.y * 12 + i64::from(p.mo) - 1 + months;
    p.y = total.div_euclid(12);
    p.mo = (total.rem_euclid(12) + 1) as u32;
    p.d = p.d.min(days_in_month(p.y, p.mo));
    join(&p)
}

/// Splits `[since, until]` into windows of at most one calendar month. Windows touch: each ends
/// exactly where the next starts, so nothing can fall between them whatever resolution the server
/// compares at (a ticket active exactly on a seam is in both, and the caller drops the repeat).
/// A range of one month or less is one window. Each window's month is counted from its own start
/// (31/01 → 29/02 → 29/03 …), so every window passes a `until <= since.AddMonths(1)` check.
pub fn month_windows(since: f64, until: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut start = since;
    loop {
        let next = add_months(start, 1);
        if next >= until {
            out.push((start, until));
            return out;
        }
        out.push((start, next));
        start = next;
    }
}

/// `ms` rounded down / up to the API's resolution, a hundredth of a second.
pub fn floor_hundredth(ms: f64) -> f64 {
    (ms / 10.0).floor() * 10.0
}

pub fn ceil_hundredth(ms: f64) -> f64 {
    (ms / 10.0).ceil() * 10.0
}

/// Parses an HTTP-date (RFC 9110 §5.6.7) as UTC: IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`,
/// obsolete RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`.
pub fn parse_http_date(s: &str) -> Option<f64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = |m: &str| {
        MONTHS
            .iter()
            .position(|x| x.eq_ignore_ascii_case(m))
            .map(|i| i as u32 + 1)
    };
    let time = |t: &str| -> Option<(i64, i64, i64)> {
        let mut p = t.split(':');
        let r = (
            num(p.next()?, 2, 2)?,
            num(p.next()?, 2, 2)?,
            num(p.next()?, 2, 2)?,
        );
        (p.next().is_none() && r.0 < 24 && r.1 < 60 && r.2 < 61).then_some(r)
    };
    let parts: Vec<&str> = s.split_whitespace().collect();
    let (d, mo, y, (h, mi, sec)) = match parts.as_slice() {
        // IMF-fixdate
        [_, d, m, y, t, "GMT"] => (num(d, 2, 2)?, month(m)?, num(y, 4, 4)?, time(t)?),
        // RFC 850
        [_, dmy, t, "GMT"] => {
            let mut p = dmy.split('-');
            let (d, m, yy) = (
                num(p.next()?, 2, 2)?,
                month(p.next()?)?,
                num(p.next()?, 2, 2)?,
            );
            // two-digit years: 70-99 → 19xx, else 20xx (RFC 9110 asks for the nearest past century)
            (d, m, if yy >= 70 { 1900 + yy } else { 2000 + yy }, time(t)?)
        }
        // asctime
        [_, m, d, t, y] => (num(d, 1, 2)?, month(m)?, num(y, 4, 4)?, time(t)?),
        _ => return None,
    };
    if d == 0 || d > i64::from(days_in_month(y, mo)) {
        return None;
    }
    Some(join(&Parts {
        y,
        mo,
        d: d as u32,
        h,
        mi,
        s: sec,
        ms: 0,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_1_2024: f64 = 1_704_067_200_000.0;

    #[test]
    fn formats_in_utc_with_hundredths() {
        assert_eq!(format_full(JAN_1_2024), "01/01/2024 00:00:00:00");
        // 2020-12-24T11:20:00.229Z
        assert_eq!(format_full(1_608_808_800_229.0), "24/12/2020 11:20:00:22");
        assert_eq!(format_day(1_608_808_800_229.0), "24/12/2020");
        // the last hundredth of a day never rounds up into the next day
        assert_eq!(format_full(JAN_1_2024 - 1.0), "31/12/2023 23:59:59:99");
        // before 1970
        assert_eq!(format_full(-86_400_000.0), "31/12/1969 00:00:00:00");
    }

    #[test]
    fn parses_what_it_formats() {
        for ms in [
            JAN_1_2024,
            1_608_808_800_220.0,
            951_782_400_000.0, /* 29/02/2000 */
        ] {
            assert_eq!(parse(&format_full(ms)), Some(ms));
        }
        assert_eq!(parse("01/07/2023 00:00:00:00"), Some(1_688_169_600_000.0));
        assert_eq!(parse("01/07/2023"), Some(1_688_169_600_000.0));
        assert_eq!(
            parse("1/7/2023 5:03"),
            Some(1_688_169_600_000.0 + 5.0 * 3_600_000.0 + 180_000.0)
        );
        assert_eq!(parse("01/07/2023 00:00:00.5"), Some(1_688_169_600_500.0));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for s in [
            "",
            "2023-07-01",
            "31/02/2023",
            "00/01/2023",
            "01/13/2023",
            "01/01/23",
            "01/01/2023 24:00",
            "01/01/2023 10:60",
            "01/01/2023 x",
            "01/01/2023 10:00:00:00:00",
            "01/01/2023 10:00:00:123",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn adds_calendar_months_with_clamping() {
        let jan31 = parse("31/01/2024 10:00:00:00").unwrap();
        assert_eq!(format_full(add_months(jan31, 1)), "29/02/2024 10:00:00:00");
        assert_eq!(format_full(add_months(jan31, 2)), "31/03/2024 10:00:00:00");
        assert_eq!(format_full(add_months(jan31, 11)), "31/12/2024 10:00:00:00");
        assert_eq!(format_full(add_months(jan31, 13)), "28/02/2025 10:00:00:00");
        assert_eq!(format_full(add_months(jan31, -2)), "30/11/2023 10:00:00:00");
    }

    #[test]
    fn http_dates_in_all_three_formats_are_utc() {
        let t = Some(784_111_777_000.0); // 1994-11-06T08:49:37Z
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), t);
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), t);
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), t);
        assert_eq!(
            parse_http_date("Wed Nov 25 04:29:33 2026"),
            Some(1_795_580_973_000.0)
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "tomorrow",
            "Sun, 06 Nov 1994 25:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn windows_from_the_31st_are_each_at_most_one_month() {
        let s = parse("31/01/2024 10:00:00:00").unwrap();
        let u = parse("15/05/2024 00:00:00:00").unwrap();
        let w = month_windows(s, u);
        for (a, b) in &w {
            assert!(
                *b <= add_months(*a, 1),
                "{} → {}",
                format_full(*a),
                format_full(*b)
            );
        }
        assert_eq!(format_full(w[1].0), "29/02/2024 10:00:00:00");
        assert_eq!(format_full(w[1].1), "29/03/2024 10:00:00:00");
        assert_eq!(w.last().unwrap().1, u);
    }

    #[test]
    fn one_month_or_less_is_one_window() {
        let s = parse("01/01/2024").unwrap();
        assert_eq!(
            month_windows(s, add_months(s, 1)),
            vec![(s, add_months(s, 1))]
        );
        assert_eq!(month_windows(s, s + 1000.0), vec![(s, s + 1000.0)]);
    }

    #[test]
    fn three_months_split_into_touching_windows() {
        let s = parse("15/01/2024 08:30:00:00").unwrap();
        let u = parse("15/04/2024 08:30:00:00").unwrap();
        let w = month_windows(s, u);
        let shown: Vec<_> = w
            .iter()
            .map(|(a, b)| (format_full(*a), format_full(*b)))
            .collect();
        assert_eq!(
            shown,
            vec![
                (
                    "15/01/2024 08:30:00:00".to_string(),
                    "15/02/2024 08:30:00:00".to_string()
                ),
                (
                    "15/02/2024 08:30:00:00".to_string(),
                    "15/03/2024 08:30:00:00".to_string()
                ),
                (
                    "15/03/2024 08:30:00:00".to_string(),
                    "15/04/2024 08:30:00:00".to_string()
                ),
            ]
        );
        for pair in w.windows(2) {
            assert_eq!(pair[1].0, pair[0].1, "no gap");
        }
    }

    #[test]
    fn rounding_to_hundredths() {
        assert_eq!(floor_hundredth(1005.0), 1000.0);
        assert_eq!(ceil_hundredth(1005.0), 1010.0);
        assert_eq!(ceil_hundredth(1010.0), 1010.0);
        assert_eq!(floor_hundredth(-5.0), -10.0);
    }
}
