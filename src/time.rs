//! UTC timestamps without a clock dependency in the format: Unix seconds to
//! RFC 3339 (`2026-11-28T12:00:00Z`) and back, and the pack time, which is
//! `SOURCE_DATE_EPOCH` when set (reproducible builds) and the clock otherwise.

/// Formats Unix seconds as RFC 3339 UTC to the second.
pub fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The `YYYY-MM-DD` part of an RFC 3339 timestamp made by [`rfc3339`].
pub fn date_part(ts: &str) -> &str {
    ts.get(..10).unwrap_or(ts)
}

/// Parses a `SOURCE_DATE_EPOCH` value: decimal Unix seconds, up to year 9999.
pub fn parse_epoch(s: &str) -> Result<u64, String> {
    let v: u64 = s
        .trim()
        .parse()
        .map_err(|_| format!("SOURCE_DATE_EPOCH={s:?} is not a number of seconds"))?;
    if v > 253_402_300_799 {
        return Err(format!("SOURCE_DATE_EPOCH={s} is after the year 9999"));
    }
    Ok(v)
}

/// Now, in Unix seconds (0 if the clock is before 1970).
#[cfg(feature = "cli")]
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Howard Hinnant's days-to-civil algorithm, for days since 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_648_725_157), "2022-03-31T11:12:37Z");
        assert_eq!(rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(date_part("2022-03-31T11:12:37Z"), "2022-03-31");
    }

    #[test]
    fn epoch_parsing() {
        assert_eq!(parse_epoch("1700000000"), Ok(1_700_000_000));
        assert!(parse_epoch("-1").is_err());
        assert!(parse_epoch("1e9").is_err());
        assert!(parse_epoch("253402300800").is_err());
    }
}
