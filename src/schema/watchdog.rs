//! The last line of defence against a `--schema` that makes compiling or validating take hours
//! in ways the static [budget](super::budget) does not foresee (`unevaluatedProperties`
//! re-running every branch, `$recursiveRef` following the dynamic scope, thousands of chained
//! references): a watch on how long validating each value takes.
//!
//! A validation inside the jsonschema crate cannot be interrupted, and a library must never end
//! its caller's process. So the work with a watched schema runs on a thread of its own, and the
//! caller waits for it: when one value takes longer than the limit, the caller gets a
//! [`TimedOut`] back at once, and the schema is spent (every later check with it times out
//! too). The runaway thread is left to finish on its own; the command line then exits. The
//! embedded schema is not watched: its cost is known.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, Once, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How long one value may take unless the caller says otherwise.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(10);

/// The work took longer than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut {
    pub limit: Duration,
}

impl TimedOut {
    /// What a person is told.
    pub fn message(self) -> String {
        format!(
            "the schema took more than {} s to compile or to validate one value, so checking \
             stopped",
            self.limit.as_secs_f64()
        )
    }

    pub fn help(self) -> &'static str {
        "its subschemas multiply (anyOf, oneOf or allOf through $ref, unevaluatedProperties, \
         $recursiveRef, long chains of references), and it could take hours: simplify the schema"
    }
}

/// One thread's clock: when its current validation started (milliseconds since [`EPOCH`],
/// plus one; 0 while it is not validating), for which watch, and that watch's limit.
#[derive(Default)]
struct Clock {
    start: AtomicU64,
    watch: AtomicU64,
    limit: AtomicU64,
}

static CLOCKS: Mutex<Vec<Arc<Clock>>> = Mutex::new(Vec::new());
/// The watches whose limit was passed.
static EXPIRED: Mutex<Vec<u64>> = Mutex::new(Vec::new());
static NEXT_WATCH: AtomicU64 = AtomicU64::new(1);
/// The smallest limit of any watch, in milliseconds: how often the watchdog looks.
static SHORTEST: AtomicU64 = AtomicU64::new(u64::MAX);
static EPOCH: OnceLock<Instant> = OnceLock::new();

thread_local! {
    static CLOCK: Arc<Clock> = {
        let clock = Arc::new(Clock::default());
        CLOCKS.lock().unwrap_or_else(PoisonError::into_inner).push(Arc::clone(&clock));
        clock
    };
}

fn now() -> u64 {
    let elapsed = EPOCH.get_or_init(Instant::now).elapsed().as_millis();
    u64::try_from(elapsed).unwrap_or(u64::MAX - 1) + 1
}

fn millis(limit: Duration) -> u64 {
    u64::try_from(limit.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// The time limit of one schema's work.
#[derive(Debug)]
pub struct Watch {
    id: u64,
    limit: Duration,
}

impl Watch {
    pub fn new(limit: Duration) -> Watch {
        SHORTEST.fetch_min(millis(limit), Ordering::Relaxed);
        Watch { id: NEXT_WATCH.fetch_add(1, Ordering::Relaxed), limit }
    }

    /// Times one validation on this thread until the returned guard is dropped.
    pub fn time(&self) -> Timing {
        static WATCHDOG: Once = Once::new();
        WATCHDOG.call_once(|| {
            // Without a thread to watch, the run is merely unwatched, as before this existed.
            let _ = std::thread::Builder::new().name("schema-watchdog".into()).spawn(watch);
        });
        CLOCK.with(|clock| {
            clock.watch.store(self.id, Ordering::Relaxed);
            clock.limit.store(millis(self.limit), Ordering::Relaxed);
            clock.start.store(now(), Ordering::Release);
        });
        Timing
    }

    /// Whether a validation with this watch has run past its limit.
    pub fn expired(&self) -> bool {
        EXPIRED.lock().unwrap_or_else(PoisonError::into_inner).contains(&self.id)
    }

    /// Runs `work` on a thread of its own and waits for it, as long as no validation in it
    /// passes the limit. `whole` bounds the wait as a whole too (for compiling, which has no
    /// values to time).
    pub fn run<T: Send + 'static>(
        &self,
        whole: Option<Duration>,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, TimedOut> {
        let timed_out = TimedOut { limit: self.limit };
        if self.expired() {
            return Err(timed_out);
        }
        let (send, receive) = mpsc::sync_channel(1);
        let spawned = std::thread::Builder::new().name("schema-work".into()).spawn(move || {
            let _ = send.send(work());
        });
        if spawned.is_err() {
            return Err(timed_out);
        }
        let started = Instant::now();
        let tick = Duration::from_millis((millis(self.limit) / 4).clamp(5, 100));
        loop {
            match receive.recv_timeout(tick) {
                Ok(done) => return Ok(done),
                Err(RecvTimeoutError::Disconnected) => return Err(timed_out),
                Err(RecvTimeoutError::Timeout) => {}
            }
            if self.expired() || whole.is_some_and(|w| started.elapsed() > w) {
                self.expire();
                return Err(timed_out);
            }
        }
    }

    fn expire(&self) {
        let mut expired = EXPIRED.lock().unwrap_or_else(PoisonError::into_inner);
        if !expired.contains(&self.id) {
            expired.push(self.id);
        }
    }
}

/// Times one validation until dropped.
pub struct Timing;

impl Drop for Timing {
    fn drop(&mut self) {
        CLOCK.with(|clock| clock.start.store(0, Ordering::Relaxed));
    }
}

/// The watchdog: marks each watch one of whose validations runs past its limit.
fn watch() {
    loop {
        let shortest = SHORTEST.load(Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis((shortest / 4).clamp(5, 250)));
        let now = now();
        let late: Vec<u64> = CLOCKS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|c| {
                let start = c.start.load(Ordering::Acquire);
                start != 0 && now.saturating_sub(start) > c.limit.load(Ordering::Relaxed)
            })
            .map(|c| c.watch.load(Ordering::Relaxed))
            .collect();
        if !late.is_empty() {
            let mut expired = EXPIRED.lock().unwrap_or_else(PoisonError::into_inner);
            for id in late {
                if !expired.contains(&id) {
                    expired.push(id);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_within_the_limit_returns_its_value() {
        let watch = Watch::new(Duration::from_secs(5));
        assert_eq!(watch.run(None, || 2 + 2), Ok(4));
        assert!(!watch.expired());
    }

    #[test]
    fn a_value_past_the_limit_times_out_and_spends_the_watch() {
        let watch = Arc::new(Watch::new(Duration::from_millis(50)));
        let inner = Arc::clone(&watch);
        let started = Instant::now();
        let result = watch.run(None, move || {
            let _timing = inner.time();
            std::thread::sleep(Duration::from_secs(3));
        });
        assert_eq!(result, Err(TimedOut { limit: Duration::from_millis(50) }));
        assert!(started.elapsed() < Duration::from_secs(2), "the caller did not wait it out");
        assert!(watch.expired());
        assert_eq!(watch.run(None, || 1), Err(TimedOut { limit: Duration::from_millis(50) }));
        // Another schema's watch is not spent by this one.
        assert_eq!(Watch::new(Duration::from_secs(5)).run(None, || 1), Ok(1));
    }

    #[test]
    fn a_whole_bound_stops_work_that_times_no_value() {
        let watch = Watch::new(Duration::from_millis(40));
        let result = watch.run(Some(Duration::from_millis(40)), || {
            std::thread::sleep(Duration::from_secs(3));
        });
        assert!(result.is_err());
    }
}
