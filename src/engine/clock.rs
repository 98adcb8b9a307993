//! The engine's clocks and run ids: wall-clock milliseconds for the scheduler (it tolerates a
//! clock that steps back) and for retry-after dates, RFC 3339 times for run files, and run ids
//! that are unique per browser profile.

use std::cell::Cell;

/// Milliseconds since the Unix epoch (0 outside a browser).
pub fn unix_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The scheduler's clock: the same wall clock, unsigned.
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Now as RFC 3339 in UTC (`2025-06-01T12:00:00.000Z`).
pub fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

thread_local! {
    static COUNTER: Cell<u32> = const { Cell::new(0) };
}

/// A new run id: the time to the millisecond, a random part (two tabs starting runs in the same
/// millisecond) and a per-page counter; printable ASCII only, as it goes into the simulator's
/// call tags.
pub fn new_run_id() -> String {
    let stamp: String = now_rfc3339().chars().filter(char::is_ascii_digit).collect();
    let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    let count = COUNTER.with(|counter| {
        let next = counter.get().wrapping_add(1);
        counter.set(next);
        next
    });
    format!("run-{stamp}-{random:08x}{count:x}")
}
