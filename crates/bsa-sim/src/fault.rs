//! Injected faults: which [`Fault`] (if any) hits one attempt of a call, and its delay.
//!
//! The draw is a hash of the seed, the call tag and the attempt number of that tag
//! ([`crate::draw::Draw`]), never a shared generator, so a run is reproducible from its seed even
//! when requests race. Faults hit attempts, not calls: each retry draws again, and after
//! `max_faults_per_call` faulted attempts a tag is never faulted again, so a client that retries
//! always finishes.

use crate::config::{FaultRates, SimConfig};
use crate::draw::Draw;
use std::time::Duration;

/// A way for one attempt to fail, as real providers fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    TooManyRequests,
    ServerError,
    Hang,
    Malformed,
    Cutoff,
    Drop,
}

impl Fault {
    /// In draw order: one uniform number is compared with the running sum of the rates.
    pub const ALL: [Fault; 6] = [
        Fault::TooManyRequests,
        Fault::ServerError,
        Fault::Hang,
        Fault::Malformed,
        Fault::Cutoff,
        Fault::Drop,
    ];

    /// The key under `faulted` in `/sim/counts`.
    pub fn key(self) -> &'static str {
        match self {
            Fault::TooManyRequests => "429",
            Fault::ServerError => "500",
            Fault::Hang => "hang",
            Fault::Malformed => "malformed",
            Fault::Cutoff => "cutoff",
            Fault::Drop => "drop",
        }
    }

    fn rate(self, rates: &FaultRates) -> f64 {
        match self {
            Fault::TooManyRequests => rates.rate_429,
            Fault::ServerError => rates.rate_500,
            Fault::Hang => rates.rate_hang,
            Fault::Malformed => rates.rate_malformed,
            Fault::Cutoff => rates.rate_cutoff,
            Fault::Drop => rates.rate_drop,
        }
    }

    /// Whether `key` names an injected fault (as opposed to a refusal such as `401`).
    pub fn is_injected_key(key: &str) -> bool {
        Fault::ALL.iter().any(|fault| fault.key() == key)
    }
}

fn attempt_draw(config: &SimConfig, tag: &str, attempt: u64, purpose: &str) -> Draw {
    Draw::of(&[
        &config.seed.to_le_bytes(),
        tag.as_bytes(),
        &attempt.to_le_bytes(),
        purpose.as_bytes(),
    ])
}

/// The fault for attempt number `attempt` (0-based) of `tag`, which has had `faults_so_far`
/// injected faults already.
pub fn choose_fault(
    config: &SimConfig,
    tag: &str,
    attempt: u64,
    faults_so_far: u64,
) -> Option<Fault> {
    if faults_so_far >= u64::from(config.max_faults_per_call) {
        return None;
    }
    let draw = attempt_draw(config, tag, attempt, "fault").unit();
    let mut threshold = 0.0;
    for fault in Fault::ALL {
        threshold += fault.rate(&config.faults);
        if draw < threshold {
            return Some(fault);
        }
    }
    None
}

/// Total delay of an attempt: the base latency plus a jitter uniform in `0..=jitter_ms`.
pub fn delay(config: &SimConfig, tag: &str, attempt: u64) -> Duration {
    let jitter = if config.jitter_ms == 0 {
        0
    } else {
        attempt_draw(config, tag, attempt, "jitter").value() % (config.jitter_ms + 1)
    };
    Duration::from_millis(config.latency_ms + jitter)
}

/// Whether a 429 also carries `retry-after-ms` (about half do, as only some providers send it).
pub fn sends_retry_after_ms(config: &SimConfig, tag: &str, attempt: u64) -> bool {
    attempt_draw(config, tag, attempt, "retry-after-ms").index(2) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(faults: FaultRates) -> SimConfig {
        SimConfig {
            faults,
            seed: 7,
            ..SimConfig::default()
        }
    }

    #[test]
    fn no_rates_no_faults_and_full_rate_always() {
        let none = config(FaultRates::default());
        assert!((0..500).all(|attempt| choose_fault(&none, "t", attempt, 0).is_none()));
        let all_drop = config(FaultRates {
            rate_drop: 1.0,
            ..FaultRates::default()
        });
        assert!(
            (0..500).all(|attempt| choose_fault(&all_drop, "t", attempt, 0) == Some(Fault::Drop))
        );
    }

    #[test]
    fn the_cap_lets_every_call_finish() {
        let always = config(FaultRates {
            rate_500: 1.0,
            ..FaultRates::default()
        });
        assert_eq!(choose_fault(&always, "t", 2, 2), Some(Fault::ServerError));
        assert_eq!(choose_fault(&always, "t", 3, 3), None, "default cap is 3");
    }

    #[test]
    fn rates_split_the_draws_and_the_seed_matters() {
        // 6 kinds at 0.1 each over 6,000 attempts: each share near 0.1 (sd about 0.004).
        let rates = FaultRates {
            rate_429: 0.1,
            rate_500: 0.1,
            rate_hang: 0.1,
            rate_malformed: 0.1,
            rate_cutoff: 0.1,
            rate_drop: 0.1,
        };
        let config = config(rates);
        let n = 6000;
        for fault in Fault::ALL {
            let hits = (0..n)
                .filter(|a| choose_fault(&config, "tag", *a, 0) == Some(fault))
                .count();
            assert!(
                (hits as f64 / n as f64 - 0.1).abs() < 0.02,
                "{fault:?}: {hits}"
            );
        }
        let other_seed = SimConfig {
            seed: 8,
            ..config.clone()
        };
        let differ = (0..100)
            .any(|a| choose_fault(&config, "tag", a, 0) != choose_fault(&other_seed, "tag", a, 0));
        assert!(differ);
    }

    #[test]
    fn jitter_stays_in_range() {
        let config = SimConfig {
            latency_ms: 10,
            jitter_ms: 5,
            ..SimConfig::default()
        };
        for attempt in 0..200 {
            let ms = delay(&config, "t", attempt).as_millis();
            assert!((10..=15).contains(&ms), "{ms}");
        }
    }
}
