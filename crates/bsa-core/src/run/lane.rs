//! Lanes: the calls that go to one API, with that API's limits.
//!
//! - [`LaneConfig`]: which stages a lane carries, its concurrency limit, requests per minute and
//!   per-request timeout. A run whose judge is on another provider than the model under test
//!   gives each its own lane, so a 429 from one API does not slow the other; when both are the
//!   same API one lane carries every stage and shares its limits.
//! - [`AdaptivePolicy`]: additive-increase / multiplicative-decrease of a lane's concurrency on
//!   rate limits.
//! - `Lane` (crate-private): the live state of a lane: calls in flight, the effective limit, the
//!   starts of the last minute, the calls ready to start (by priority), a rate-limit hold.
//!
//! The requests-per-minute limit is a sliding window over start times: a call may start at `t`
//! when fewer than `rpm` calls started in `(t - 60 s, t]`, so no 60-second interval ever holds
//! more than `rpm` starts. A sliding log rather than a token bucket because a bucket allows a
//! burst of `rpm` on top of the steady rate, which is exactly what providers count against.

use crate::run::plan::Stage;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, VecDeque};

/// The window the requests-per-minute limit counts over.
pub const RATE_WINDOW_MS: u64 = 60_000;

/// One API's share of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaneConfig {
    /// Shown in progress ("model", "judge", "api.openai.com").
    pub name: String,
    /// The stages this lane carries; each stage of a plan belongs to exactly one lane.
    pub stages: Vec<Stage>,
    /// Calls in flight at most (before adaptive reductions).
    pub max_concurrency: u32,
    /// Calls started in any 60-second window at most; `None` for no limit.
    pub requests_per_minute: Option<u32>,
    /// The engine aborts a request this long after it started and reports a timeout. Reasoning
    /// models can think for minutes, hence a separate value per lane.
    pub timeout_ms: u64,
}

impl LaneConfig {
    pub fn new(
        name: impl Into<String>,
        stages: Vec<Stage>,
        max_concurrency: u32,
        requests_per_minute: Option<u32>,
        timeout_ms: u64,
    ) -> LaneConfig {
        LaneConfig {
            name: name.into(),
            stages,
            max_concurrency,
            requests_per_minute,
            timeout_ms,
        }
    }
}

/// Additive-increase / multiplicative-decrease of a lane's concurrency.
///
/// After `rate_limits_to_halve` 429s within `window_ms`, the lane's effective concurrency is
/// halved (never below 1); 429s from calls that started before the last decrease are ignored,
/// since they answer the old rate (one decrease per burst, as TCP does per round trip). After
/// `successes_to_grow` successes in a row it grows by one, up to the configured limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdaptivePolicy {
    pub enabled: bool,
    pub rate_limits_to_halve: u32,
    pub window_ms: u64,
    pub successes_to_grow: u32,
}

impl Default for AdaptivePolicy {
    fn default() -> AdaptivePolicy {
        AdaptivePolicy {
            enabled: true,
            rate_limits_to_halve: 2,
            window_ms: 10_000,
            successes_to_grow: 10,
        }
    }
}

/// Ready calls are ordered by (priority class, call number): judge calls (class 0) before
/// generate calls (class 1), then plan order, so samples already generated are judged first.
pub(crate) type ReadyKey = (u8, u32);

pub(crate) fn ready_key(stage: Stage, index: u32) -> ReadyKey {
    (u8::from(!stage.is_judge()), index)
}

/// The live state of a lane; see the module docs.
#[derive(Clone, Debug)]
pub(crate) struct Lane {
    pub config: LaneConfig,
    pub effective: u32,
    pub in_flight: u32,
    /// Answered calls whose records are being stored: they keep their place (see the
    /// scheduler's module docs), so `in_flight + storing` never exceeds `effective`.
    pub storing: u32,
    /// Start times inside the rate window, oldest first.
    starts: VecDeque<u64>,
    /// No call starts before this time (a provider's retry-after on a 429).
    pub hold_until_ms: u64,
    rate_limits: VecDeque<u64>,
    last_decrease_ms: Option<u64>,
    success_streak: u32,
    pub ready: BTreeSet<ReadyKey>,
}

/// A lane's requests-per-minute window and retry-after hold, kept with a stored run so that a
/// reload neither forgets the calls of the last minute nor retries before a provider allowed it.
/// Times are ms since the epoch (the scheduler's clock).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateMemory {
    /// Start times inside the window, oldest first.
    pub starts: Vec<u64>,
    /// No call starts before this time; 0 for no hold.
    pub hold_until_ms: u64,
}

impl Lane {
    pub fn new(config: LaneConfig) -> Lane {
        Lane {
            effective: config.max_concurrency,
            config,
            in_flight: 0,
            storing: 0,
            starts: VecDeque::new(),
            hold_until_ms: 0,
            rate_limits: VecDeque::new(),
            last_decrease_ms: None,
            success_streak: 0,
            ready: BTreeSet::new(),
        }
    }

    fn forget_old_starts(&mut self, now: u64) {
        while self
            .starts
            .front()
            .is_some_and(|&start| now - start.min(now) >= RATE_WINDOW_MS)
        {
            self.starts.pop_front();
        }
    }

    /// Whether a call may start now if one is ready.
    pub fn can_start(&mut self, now: u64) -> bool {
        if self.in_flight + self.storing >= self.effective || self.hold_until_ms > now {
            return false;
        }
        match self.config.requests_per_minute {
            None => true,
            Some(rpm) => {
                self.forget_old_starts(now);
                self.starts.len() < rpm as usize
            }
        }
    }

    pub fn record_start(&mut self, now: u64) {
        self.forget_old_starts(now);
        self.starts.push_back(now);
    }

    /// When a ready call could start, if only time stands in the way: `None` when nothing is
    /// ready or the lane is full (a finishing call wakes it).
    pub fn next_start_ms(&mut self, now: u64) -> Option<u64> {
        if self.ready.is_empty() || self.in_flight + self.storing >= self.effective {
            return None;
        }
        let mut at = self.hold_until_ms.max(now);
        if let Some(rpm) = self.config.requests_per_minute {
            self.forget_old_starts(now);
            if self.starts.len() >= rpm as usize {
                // The window frees a place when the oldest start in it leaves.
                let free = self.starts.len() + 1 - rpm as usize;
                if let Some(&start) = self.starts.get(free - 1) {
                    at = at.max(start.saturating_add(RATE_WINDOW_MS));
                }
            }
        }
        Some(at)
    }

    /// What the lane remembers of the last minute at `now` (see [`RateMemory`]): the starts
    /// only when it has a requests-per-minute limit.
    pub fn rate_memory(&self, now: u64) -> RateMemory {
        let starts = match self.config.requests_per_minute {
            Some(_) => self
                .starts
                .iter()
                .copied()
                .filter(|&start| start <= now && now - start < RATE_WINDOW_MS)
                .collect(),
            None => Vec::new(),
        };
        RateMemory {
            starts,
            hold_until_ms: self.hold_at(now),
        }
    }

    /// The retry-after hold still ahead at `now`, or 0.
    pub fn hold_at(&self, now: u64) -> u64 {
        if self.hold_until_ms > now {
            self.hold_until_ms
        } else {
            0
        }
    }

    /// Takes back what [`Lane::rate_memory`] gave before a reload: the starts still inside the
    /// window at `now` (a start "in the future", from a clock that stepped back, counts as now),
    /// and a retry-after hold that has not passed.
    pub fn remember(&mut self, memory: &RateMemory, now: u64) {
        let mut starts: Vec<u64> = memory
            .starts
            .iter()
            .map(|&start| start.min(now))
            .filter(|&start| now - start < RATE_WINDOW_MS)
            .chain(self.starts.iter().copied())
            .collect();
        starts.sort_unstable();
        self.starts = starts.into();
        if memory.hold_until_ms > now {
            self.hold_until_ms = self.hold_until_ms.max(memory.hold_until_ms);
        }
    }

    /// Starts inside the rate window ending at `now`.
    pub fn starts_in_window(&self, now: u64) -> usize {
        self.starts
            .iter()
            .filter(|&&start| now - start.min(now) < RATE_WINDOW_MS)
            .count()
    }

    pub fn on_success(&mut self, policy: &AdaptivePolicy) {
        if !policy.enabled {
            return;
        }
        self.success_streak += 1;
        if self.success_streak >= policy.successes_to_grow {
            self.success_streak = 0;
            if self.effective < self.config.max_concurrency {
                self.effective += 1;
            }
        }
    }

    /// Records a 429 for a call that started at `started_ms`; true when the limit was halved.
    pub fn on_rate_limited(&mut self, started_ms: u64, now: u64, policy: &AdaptivePolicy) -> bool {
        if !policy.enabled {
            return false;
        }
        self.success_streak = 0;
        if self
            .last_decrease_ms
            .is_some_and(|decrease| started_ms < decrease)
        {
            return false;
        }
        while self
            .rate_limits
            .front()
            .is_some_and(|&at| now - at.min(now) >= policy.window_ms)
        {
            self.rate_limits.pop_front();
        }
        self.rate_limits.push_back(now);
        if self.rate_limits.len() >= policy.rate_limits_to_halve as usize {
            self.effective = (self.effective / 2).max(1);
            self.rate_limits.clear();
            self.last_decrease_ms = Some(now);
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lane(max_concurrency: u32, rpm: Option<u32>) -> Lane {
        Lane::new(LaneConfig::new(
            "test",
            Stage::ALL.to_vec(),
            max_concurrency,
            rpm,
            1_000,
        ))
    }

    #[test]
    fn the_rate_window_and_a_hold_survive_a_reload() {
        let mut before = lane(10, Some(3));
        let t0 = 1_000_000;
        for at in [t0, t0 + 10_000, t0 + 20_000] {
            assert!(before.can_start(at));
            before.record_start(at);
        }
        before.hold_until_ms = t0 + 50_000;
        let now = t0 + 30_000;
        assert!(!before.can_start(now), "three starts in the last minute");
        let memory = before.rate_memory(now);
        assert_eq!(memory.starts, [t0, t0 + 10_000, t0 + 20_000]);
        assert_eq!(memory.hold_until_ms, t0 + 50_000);

        // A new page: without the memory the lane would start at once.
        let mut after = lane(10, Some(3));
        assert!(after.can_start(now));
        after.remember(&memory, now);
        assert!(!after.can_start(now));
        // The hold ends at t0 + 50 s, and then the oldest start has left the window too.
        assert!(!after.can_start(t0 + 49_999));
        assert!(after.can_start(t0 + 60_000));
        assert_eq!(after.starts_in_window(t0 + 60_000), 2);
        after.record_start(t0 + 60_000);
        assert!(!after.can_start(t0 + 65_000), "full again");

        // Starts that left the window, a passed hold and a start from a clock that stepped back.
        let old = RateMemory {
            starts: vec![now - 70_000, now + 5_000],
            hold_until_ms: now - 1,
        };
        let mut fresh = lane(10, Some(1));
        fresh.remember(&old, now);
        assert_eq!(
            fresh.starts_in_window(now),
            1,
            "the future start counts as now"
        );
        assert_eq!(
            fresh.hold_until_ms, 0,
            "a hold that has passed is not taken"
        );
        assert!(!fresh.can_start(now));
        assert!(fresh.can_start(now + 60_000));
        assert_eq!(lane(1, None).rate_memory(now), RateMemory::default());
        // Without a limit, only the hold is worth keeping.
        let mut unlimited = lane(1, None);
        unlimited.record_start(now);
        unlimited.hold_until_ms = now + 5;
        assert_eq!(
            unlimited.rate_memory(now),
            RateMemory {
                starts: Vec::new(),
                hold_until_ms: now + 5
            }
        );
    }

    #[test]
    fn the_rate_window_frees_a_place_when_the_oldest_start_leaves_it() {
        let mut lane = lane(10, Some(2));
        lane.ready.insert((1, 0));
        assert!(lane.can_start(0));
        lane.record_start(0);
        assert!(lane.can_start(10));
        lane.record_start(10);
        assert!(!lane.can_start(59_999));
        assert_eq!(lane.next_start_ms(20), Some(60_000));
        assert!(
            lane.can_start(60_000),
            "the start at 0 left the window (0, 60000]"
        );
        lane.record_start(60_000);
        assert_eq!(lane.next_start_ms(60_000), Some(60_010));
    }

    #[test]
    fn halving_needs_two_fresh_rate_limits_and_growth_needs_a_run_of_successes() {
        let policy = AdaptivePolicy::default();
        let mut lane = lane(8, None);
        assert!(!lane.on_rate_limited(0, 100, &policy));
        assert!(lane.on_rate_limited(0, 200, &policy));
        assert_eq!(lane.effective, 4);
        // Calls started before the decrease at 200 answer the old rate: ignored.
        assert!(!lane.on_rate_limited(150, 300, &policy));
        assert!(!lane.on_rate_limited(199, 310, &policy));
        assert_eq!(lane.effective, 4);
        // Two 429s more than the window apart do not halve.
        assert!(!lane.on_rate_limited(250, 400, &policy));
        assert!(!lane.on_rate_limited(20_000, 20_500, &policy));
        assert_eq!(lane.effective, 4);
        for _ in 0..policy.successes_to_grow - 1 {
            lane.on_success(&policy);
        }
        assert_eq!(lane.effective, 4);
        lane.on_success(&policy);
        assert_eq!(lane.effective, 5);
        for _ in 0..policy.successes_to_grow * 10 {
            lane.on_success(&policy);
        }
        assert_eq!(lane.effective, 8, "never above the configured limit");
        let mut single = self::lane(1, None);
        single.on_rate_limited(0, 0, &policy);
        single.on_rate_limited(0, 1, &policy);
        assert_eq!(single.effective, 1, "never below 1");
    }
}
