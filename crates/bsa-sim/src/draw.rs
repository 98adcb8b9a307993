//! Deterministic draws: every "random" choice of the simulator is a hash of what identifies it.
//!
//! [`Draw`] hashes a list of parts (the seed, a call's item and sample, a purpose string) into a
//! 64-bit value, and turns it into a uniform number in `[0, 1)` or an index. Nothing here keeps
//! state, so the same call gets the same reply and the same fault however many requests run at
//! once and in whatever order they arrive.
//!
//! Hand-rolled (FNV-1a, then the SplitMix64 finaliser) rather than taken from a crate because
//! the values must never change between Rust or crate versions (`std`'s `DefaultHasher` makes
//! no such promise) and this is a dozen lines; it is not for security.

/// A stable 64-bit hash of a sequence of parts; see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Draw(u64);

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Draw {
    /// Hashes `parts` in order. A separator byte between parts keeps `["ab", "c"]` and
    /// `["a", "bc"]` apart.
    pub fn of(parts: &[&[u8]]) -> Draw {
        let mut hash = FNV_OFFSET;
        for part in parts {
            for byte in part.iter().copied().chain(std::iter::once(0xff)) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(FNV_PRIME);
            }
        }
        Draw(splitmix_finalise(hash))
    }

    /// Like [`Draw::of`] for text parts, the common case.
    pub fn of_text(parts: &[&str]) -> Draw {
        let bytes: Vec<&[u8]> = parts.iter().map(|part| part.as_bytes()).collect();
        Draw::of(&bytes)
    }

    /// The raw 64-bit value.
    pub fn value(self) -> u64 {
        self.0
    }

    /// A number in `[0, 1)` from the top 53 bits (the precision of an `f64`).
    pub fn unit(self) -> f64 {
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index in `0..len`; `len` must be non-zero (callers pass constant-sized lists).
    pub fn index(self, len: usize) -> usize {
        debug_assert!(len > 0);
        (self.0 % len.max(1) as u64) as usize
    }

    /// A further draw from this one, for when a single identity needs several choices.
    pub fn then(self, purpose: &str) -> Draw {
        Draw::of(&[&self.0.to_le_bytes(), purpose.as_bytes()])
    }

    /// Lower-case hex of the value, 16 digits: for ids and signatures.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The SplitMix64 output function: spreads FNV's weak low bits over the whole word.
fn splitmix_finalise(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_core_matches_the_published_test_vector() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the reference test vectors); `of` adds a 0xff
        // separator and the finaliser, so recompute those two steps by hand here.
        let mut hash = (FNV_OFFSET ^ u64::from(b'a')).wrapping_mul(FNV_PRIME);
        assert_eq!(hash, 0xaf63_dc4c_8601_ec8c);
        hash ^= 0xff;
        hash = hash.wrapping_mul(FNV_PRIME);
        assert_eq!(Draw::of(&[b"a"]).value(), splitmix_finalise(hash));
    }

    #[test]
    fn separators_keep_parts_apart() {
        assert_ne!(Draw::of_text(&["ab", "c"]), Draw::of_text(&["a", "bc"]));
        assert_eq!(Draw::of_text(&["ab", "c"]), Draw::of_text(&["ab", "c"]));
    }

    #[test]
    fn unit_draws_are_roughly_uniform() {
        // 10,000 draws: the share below 0.3 must be near 0.3 (binomial sd is about 0.0046, so
        // 0.02 is more than four standard deviations).
        let n = 10_000;
        let below = (0..n)
            .filter(|i| Draw::of_text(&["uniform", &i.to_string()]).unit() < 0.3)
            .count();
        let share = below as f64 / n as f64;
        assert!((share - 0.3).abs() < 0.02, "share {share}");
        for i in 0..1000 {
            let unit = Draw::of_text(&[&i.to_string()]).unit();
            assert!((0.0..1.0).contains(&unit));
        }
    }
}
