//! The clock. Every time-dependent call accepts an explicit `now` (epoch seconds) so tests and
//! callers can inject one; without it, the system clock is read where the platform has one.

use crate::error::Result;

/// `explicit` if given, else the current time in whole seconds since the Unix epoch.
///
/// On `wasm32-unknown-unknown` there is no system clock in `std`: callers there must pass `now`
/// (the JavaScript binding always does, from `Date.now()`).
pub fn now_or(explicit: Option<i64>) -> Result<i64> {
    match explicit {
        Some(now) => Ok(now),
        None => system_now(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn system_now() -> Result<i64> {
    use std::time::{SystemTime, UNIX_EPOCH};
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| crate::Error::argument("the system clock is before 1970"))?;
    i64::try_from(since.as_secs()).map_err(|_| crate::Error::argument("the system clock is out of range"))
}

#[cfg(target_arch = "wasm32")]
fn system_now() -> Result<i64> {
    Err(crate::Error::argument(
        "no system clock on wasm32-unknown-unknown: pass `now` explicitly",
    ))
}
