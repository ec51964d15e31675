//! A bounded in-memory replay cache for client assertions, keyed by `(iss, jti)`.

use crate::error::{Error, Result};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// The default number of entries a [`ReplayCache`] holds.
pub const DEFAULT_MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
struct Entries {
    expiry_of: HashMap<(String, String), i64>,
    by_expiry: BTreeSet<(i64, String, String)>,
}

impl Entries {
    fn purge_expired(&mut self, now: i64) {
        while let Some(first) = self.by_expiry.first() {
            if first.0 > now {
                break;
            }
            if let Some((_, iss, jti)) = self.by_expiry.pop_first() {
                self.expiry_of.remove(&(iss, jti));
            }
        }
    }
}

/// Remembers which `(iss, jti)` pairs were accepted, each until its `exp` + clock tolerance.
///
/// Bounded: when it holds `max_entries` unexpired entries it refuses new ones with
/// [`Error::ReplayCacheFull`] instead of evicting one (eviction would let that assertion be
/// replayed). Expired entries are dropped first. Safe to share between threads.
pub struct ReplayCache {
    max_entries: usize,
    entries: Mutex<Entries>,
}

impl ReplayCache {
    /// A cache holding at most `max_entries` (at least 1) unexpired entries.
    pub fn new(max_entries: usize) -> ReplayCache {
        ReplayCache {
            max_entries: max_entries.max(1),
            entries: Mutex::new(Entries::default()),
        }
    }

    /// The number of entries held, expired ones not yet purged included.
    pub fn len(&self) -> usize {
        self.lock().expiry_of.len()
    }

    /// True when the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most entries the cache holds.
    pub fn max_entries(&self) -> usize {
        self.max_entries
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records `(iss, jti)` as used until `expires_at` (epoch seconds), atomically.
    ///
    /// Fails with [`Error::Replayed`] when the pair is already held and `now` has not passed its
    /// expiry, and with [`Error::ReplayCacheFull`] when there is no room.
    pub fn check_and_record(&self, iss: &str, jti: &str, expires_at: i64, now: i64) -> Result<()> {
        let mut entries = self.lock();
        let key = (iss.to_owned(), jti.to_owned());
        if let Some(&expiry) = entries.expiry_of.get(&key) {
            if expiry > now {
                return Err(Error::Replayed);
            }
        }
        entries.purge_expired(now);
        if entries.expiry_of.len() >= self.max_entries {
            return Err(Error::ReplayCacheFull);
        }
        entries.by_expiry.insert((expires_at, key.0.clone(), key.1.clone()));
        entries.expiry_of.insert(key, expires_at);
        Ok(())
    }
}

impl Default for ReplayCache {
    fn default() -> Self {
        ReplayCache::new(DEFAULT_MAX_ENTRIES)
    }
}

impl std::fmt::Debug for ReplayCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplayCache")
            .field("len", &self.len())
            .field("max_entries", &self.max_entries)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_detected_until_expiry_then_forgotten() {
        let cache = ReplayCache::new(10);
        cache.check_and_record("c", "j1", 100, 50).unwrap();
        assert_eq!(cache.check_and_record("c", "j1", 100, 99), Err(Error::Replayed));
        cache.check_and_record("other", "j1", 100, 50).unwrap();
        cache.check_and_record("c", "j1", 200, 100).unwrap();
        assert_eq!(
            cache.len(),
            1,
            "both entries that expired at 100 were purged, one was re-recorded"
        );
    }

    #[test]
    fn full_cache_refuses_instead_of_forgetting() {
        let cache = ReplayCache::new(2);
        cache.check_and_record("c", "a", 100, 0).unwrap();
        cache.check_and_record("c", "b", 200, 0).unwrap();
        assert_eq!(cache.check_and_record("c", "x", 300, 10), Err(Error::ReplayCacheFull));
        assert_eq!(cache.check_and_record("c", "a", 100, 10), Err(Error::Replayed));
        cache.check_and_record("c", "x", 300, 100).unwrap();
        assert_eq!(cache.check_and_record("c", "b", 200, 150), Err(Error::Replayed));
    }

    #[test]
    fn iss_and_jti_cannot_be_confused_by_concatenation() {
        let cache = ReplayCache::new(10);
        cache.check_and_record("ab", "c", 100, 0).unwrap();
        cache.check_and_record("a", "bc", 100, 0).unwrap();
    }
}
