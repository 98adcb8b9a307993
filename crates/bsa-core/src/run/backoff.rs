//! How long a failed call waits before its next attempt: [`BackoffPolicy`].
//!
//! Without a hint from the provider the delay is exponential with "equal jitter": after the
//! n-th failure the ceiling is `min(cap, base * 2^(n-1))` and the delay is drawn uniformly from
//! the upper half of it, `[ceiling / 2, ceiling)`. Equal jitter rather than full jitter (the whole
//! `[0, ceiling)`) because it keeps a real minimum wait, so a struggling server gets relief, and
//! because each attempt's shortest wait equals the previous attempt's longest, delays of one call
//! never shrink until the cap.
//!
//! With a hint (`retry-after`, `retry-after-ms`, a body's `retryDelay`) the hint replaces the
//! exponential delay: the server said when capacity comes back, and waiting longer than that
//! only idles the run. The call waits the hint (at least `base`, which guards against
//! `retry-after: 0` loops) plus a small jitter of up to a tenth of it (at most `hint_jitter_cap_ms`)
//! so calls that got the same hint do not all return in the same millisecond.
//!
//! The random number is supplied by the caller; [`unit_random`] derives one from a seed and the
//! call, so a run's delays are reproducible from its seed.

use serde::{Deserialize, Serialize};

/// Exponential backoff with equal jitter, honouring server hints (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackoffPolicy {
    /// Ceiling after the first failure, and the least wait after a hint.
    pub base_ms: u64,
    /// The largest ceiling.
    pub cap_ms: u64,
    /// The most jitter added to a server's hint.
    pub hint_jitter_cap_ms: u64,
}

impl Default for BackoffPolicy {
    fn default() -> BackoffPolicy {
        BackoffPolicy {
            base_ms: 1_000,
            cap_ms: 60_000,
            hint_jitter_cap_ms: 1_000,
        }
    }
}

impl BackoffPolicy {
    /// The largest delay after `failures` failures (1 for the first): `min(cap, base * 2^(n-1))`.
    pub fn ceiling(&self, failures: u32) -> u64 {
        let doublings = failures.saturating_sub(1).min(63);
        self.base_ms
            .saturating_mul(1u64 << doublings)
            .min(self.cap_ms)
    }

    /// The wait after the `failures`-th failure, given the server's hint if any, and `random`
    /// uniform in `[0, 1)` (values outside are clamped).
    pub fn delay(&self, failures: u32, retry_after_ms: Option<u64>, random: f64) -> u64 {
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        match retry_after_ms {
            Some(hint) => {
                let wait = hint.max(self.base_ms);
                let spread = (wait / 10).min(self.hint_jitter_cap_ms);
                wait.saturating_add(scale(spread, random))
            }
            None => {
                let ceiling = self.ceiling(failures);
                let half = ceiling / 2;
                half + scale(ceiling - half, random)
            }
        }
    }
}

/// `floor(span * random)` for `random` in `[0, 1]`, never above `span - 1` unless `span` is 0,
/// so a delay stays below its ceiling.
fn scale(span: u64, random: f64) -> u64 {
    if span == 0 {
        return 0;
    }
    // f64 has 53 bits of mantissa; delays are far below 2^53 ms.
    ((span as f64 * random) as u64).min(span - 1)
}

/// A number in `[0, 1)` determined by `seed` and two values (the call's number and its attempt).
///
/// Written here rather than taken from a crate or from `crate::rng`: it is a hash, not a random
/// stream (the scheduler needs one independent number per (call, attempt), reproducible after a
/// reload, without carrying generator state), and it is the SplitMix64 finaliser, a few lines.
pub fn unit_random(seed: u64, a: u64, b: u64) -> f64 {
    let mut z =
        seed ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // The top 53 bits, scaled into [0, 1).
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let policy = BackoffPolicy {
            base_ms: 500,
            cap_ms: 10_000,
            hint_jitter_cap_ms: 1_000,
        };
        // 500, 1000, 2000, 4000, 8000, then capped at 10000.
        let ceilings: Vec<u64> = (1..=7).map(|n| policy.ceiling(n)).collect();
        assert_eq!(ceilings, [500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
        assert_eq!(policy.ceiling(u32::MAX), 10_000, "no overflow");
    }

    #[test]
    fn delays_stay_in_the_upper_half_and_never_shrink() {
        let policy = BackoffPolicy::default();
        for n in 1..=10 {
            let ceiling = policy.ceiling(n);
            assert_eq!(policy.delay(n, None, 0.0), ceiling / 2);
            assert_eq!(policy.delay(n, None, 0.999_999_9), ceiling - 1);
            assert_eq!(
                policy.delay(n, None, 1.0),
                ceiling - 1,
                "1.0 is clamped below"
            );
            if n > 1 && ceiling == 2 * policy.ceiling(n - 1) {
                // Below the cap, the shortest wait after failure n is longer than the longest
                // possible after failure n-1.
                assert!(policy.delay(n, None, 0.0) >= policy.delay(n - 1, None, 0.999_999));
            }
        }
    }

    #[test]
    fn hints_are_waited_out_with_a_small_jitter() {
        let policy = BackoffPolicy::default();
        // A 20 s hint: at least 20 s, at most 20 s + min(2 s, 1 s cap).
        assert_eq!(policy.delay(1, Some(20_000), 0.0), 20_000);
        assert_eq!(policy.delay(1, Some(20_000), 0.5), 20_500);
        assert!(policy.delay(6, Some(20_000), 0.999) < 21_000);
        // A hint of 0 still waits the base delay.
        assert_eq!(policy.delay(1, Some(0), 0.0), 1_000);
        // NaN randomness does not poison the delay.
        assert_eq!(policy.delay(3, None, f64::NAN), policy.ceiling(3) / 2);
    }

    #[test]
    fn unit_random_is_uniform_enough_and_reproducible() {
        let draws: Vec<f64> = (0..10_000).map(|i| unit_random(42, i, 1)).collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        // Uniform [0,1) has mean 0.5 and standard error 0.29/sqrt(10000) ~ 0.003.
        assert!((mean - 0.5).abs() < 0.015, "mean {mean}");
        assert_eq!(unit_random(42, 7, 1), unit_random(42, 7, 1));
        assert_ne!(unit_random(42, 7, 1), unit_random(42, 7, 2));
        assert_ne!(unit_random(42, 7, 1), unit_random(43, 7, 1));
    }
}
