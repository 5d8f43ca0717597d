//! The time each stage of a scan took, and the process's peak memory when it ended: what
//! `--verbose` prints, so that a user of a large batch sees which stage holds the most.

use std::time::Instant;

/// One stage of a scan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lap {
    /// The stage's name.
    pub stage: &'static str,
    /// Wall-clock seconds it took.
    pub seconds: f64,
    /// The process's peak resident memory so far, in bytes, when the stage ended (`None`
    /// where the system does not tell it).
    pub peak_memory: Option<u64>,
}

impl Lap {
    /// The stage `stage`, begun at `since`, ending now.
    pub fn since(stage: &'static str, since: Instant) -> Lap {
        Lap {
            stage,
            seconds: since.elapsed().as_secs_f64(),
            peak_memory: peak_memory(),
        }
    }
}

/// The process's peak resident set size: `VmHWM` on Linux, the figure `/usr/bin/time` reports
/// as maximum resident set size.
#[cfg(target_os = "linux")]
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    kb.trim().strip_suffix("kB")?.trim().parse::<u64>().ok().map(|kb| kb << 10)
}

#[cfg(not(target_os = "linux"))]
fn peak_memory() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lap_takes_its_time_and_the_peak_so_far() {
        let lap = Lap::since("x", Instant::now());
        assert!(lap.seconds >= 0.0);
        #[cfg(target_os = "linux")]
        {
            // A test binary holds at least a megabyte resident.
            assert!(lap.peak_memory.is_some_and(|b| b > 1 << 20), "{lap:?}");
            let held = std::hint::black_box(vec![1u8; 64 << 20]);
            let after = Lap::since("y", Instant::now()).peak_memory.unwrap();
            assert!(after >= 64 << 20, "{after}");
            drop(std::hint::black_box(held));
        }
    }
}
