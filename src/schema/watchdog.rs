//! The last line of defence against a `--schema` that makes compiling or validating take hours
//! in ways the static [budget](super::budget) does not foresee (`unevaluatedProperties`
//! re-running every branch, `$recursiveRef` following the dynamic scope, thousands of chained
//! references): a watch on how long compiling the schema, and validating each value, take.
//! Past the limit the run stops, with a message that says why, and status 2. The embedded
//! schema is not watched: its cost is known.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How long one value may take, in milliseconds (`--schema-time-limit` in tests).
static LIMIT_MS: AtomicU64 = AtomicU64::new(10_000);

/// Each validating thread's clock: when its current validation started (milliseconds since
/// [`EPOCH`], plus one), or 0 while it is not validating.
static CLOCKS: Mutex<Vec<Arc<AtomicU64>>> = Mutex::new(Vec::new());
static EPOCH: OnceLock<Instant> = OnceLock::new();

thread_local! {
    static CLOCK: Arc<AtomicU64> = {
        let clock = Arc::new(AtomicU64::new(0));
        CLOCKS.lock().unwrap_or_else(PoisonError::into_inner).push(Arc::clone(&clock));
        clock
    };
}

fn now() -> u64 {
    let elapsed = EPOCH.get_or_init(Instant::now).elapsed().as_millis();
    u64::try_from(elapsed).unwrap_or(u64::MAX - 1) + 1
}

/// Sets how long the validation of one value may take.
pub fn set_limit(limit: Duration) {
    let ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX).max(1);
    LIMIT_MS.store(ms, Ordering::Relaxed);
}

/// Times one validation until dropped.
pub struct Timing;

impl Drop for Timing {
    fn drop(&mut self) {
        CLOCK.with(|clock| clock.store(0, Ordering::Relaxed));
    }
}

pub fn time() -> Timing {
    static WATCH: Once = Once::new();
    WATCH.call_once(|| {
        // Without a thread to watch, the run is merely unwatched, as before this existed.
        let _ = std::thread::Builder::new().name("schema-watchdog".into()).spawn(watch);
    });
    let start = now();
    CLOCK.with(|clock| clock.store(start, Ordering::Relaxed));
    Timing
}

fn watch() {
    loop {
        let limit = LIMIT_MS.load(Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis((limit / 4).clamp(10, 250)));
        let now = now();
        let clocks = CLOCKS.lock().unwrap_or_else(PoisonError::into_inner);
        let late = clocks
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .any(|start| start != 0 && now.saturating_sub(start) > limit);
        if late {
            let seconds = Duration::from_millis(limit).as_secs_f64();
            crate::report::note(&format!(
                "the schema took more than {seconds} s to compile or to validate one value, so \
                 the run was stopped: its subschemas multiply (anyOf, oneOf or allOf through \
                 $ref, unevaluatedProperties, $recursiveRef, long chains of references), and \
                 it could take hours. Simplify the schema."
            ));
            std::process::exit(2);
        }
    }
}
