//! The clock the benches time with: wall-clock time, or, with `SQ_BENCH_CLOCK=cpu` (set by
//! the regression gate, `scripts/bench-regression`), the CPU time of the benchmark's thread
//! (Linux, 64-bit), so that time spent waiting for a core while other processes run does not
//! count. Cache and memory-bandwidth contention still do. Single-threaded benchmarks only: a
//! benchmark that spreads its work over threads is timed by its own thread's share.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Wall-clock or thread CPU time, chosen once at start-up.
pub struct GateClock {
    cpu: bool,
}

impl GateClock {
    /// The clock `SQ_BENCH_CLOCK` asks for (`cpu`, or wall-clock time when unset, unknown, or
    /// when the thread CPU clock cannot be read).
    pub fn from_env() -> Self {
        let asked = std::env::var("SQ_BENCH_CLOCK").is_ok_and(|v| v.trim() == "cpu");
        GateClock {
            cpu: asked && thread_cpu_ns().is_some(),
        }
    }

    fn now(&self) -> u64 {
        if self.cpu {
            thread_cpu_ns().unwrap_or(0)
        } else {
            static EPOCH: OnceLock<Instant> = OnceLock::new();
            EPOCH.get_or_init(Instant::now).elapsed().as_nanos() as u64
        }
    }
}

/// The CPU time of the calling thread in nanoseconds.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
#[allow(unsafe_code)]
fn thread_cpu_ns() -> Option<u64> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable `struct timespec` (two 64-bit fields on 64-bit Linux)
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_cpu_ns() -> Option<u64> {
    None
}

impl Measurement for GateClock {
    type Intermediate = u64;
    type Value = Duration;

    fn start(&self) -> u64 {
        self.now()
    }

    fn end(&self, start: u64) -> Duration {
        Duration::from_nanos(self.now().saturating_sub(start))
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        static WALL: WallTime = WallTime;
        WALL.formatter()
    }
}
