//! Tokenizing throughput on the sample booklet (one core) and dictionary load time.
//!
//!     cargo bench --bench tokenize
//!
//! Uses `JARYO_DICT` or `dictionaries/ko-dic` (installed when missing). Prints medians; also
//! runs lindera's own segmenter on the same text in the same run for a ratio.

use std::borrow::Cow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use jaryo::analyze::Analyzer;

/// CPU time of the calling thread: on a shared machine wall-clock time mostly measures the
/// other processes, so throughput is reported per CPU-second too.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Runs `f` `n` times; median wall-clock and median thread-CPU durations.
fn measure<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    let mut last = f();
    for _ in 0..n {
        let (w, c) = (Instant::now(), thread_cpu_time());
        last = f();
        cpu.push(thread_cpu_time() - c);
        wall.push(w.elapsed());
    }
    (median(wall), median(cpu), last)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dict_dir = std::env::var_os("JARYO_DICT")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("dictionaries/ko-dic"));
    jaryo::dict::ensure_installed(&dict_dir, true)?;
    let user = root.join("dictionaries/user.csv");
    let text = std::fs::read_to_string(root.join("input/seoul_social_economy_forum_2020.txt"))?;
    let megabytes = text.len() as f64 / 1e6;

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    // Dictionary load (memory-mapped), with and without the user dictionary.
    let (wall, cpu, _) = measure(15, || Analyzer::load(&dict_dir, Some(&user)).map(|_| ()));
    let (wall_plain, cpu_plain, _) = measure(15, || Analyzer::load(&dict_dir, None).map(|_| ()));
    println!(
        "dictionary load (median of 15): {:.1} ms wall / {:.1} ms CPU with the user dictionary, \
         {:.1} ms wall / {:.1} ms CPU without",
        ms(wall),
        ms(cpu),
        ms(wall_plain),
        ms(cpu_plain)
    );

    let analyzer = Analyzer::load(&dict_dir, Some(&user))?;
    let (wall, cpu, tokens) = measure(15, || analyzer.tokenize(&text).map(|t| t.len()));
    println!(
        "jaryo tokenize, {megabytes:.3} MB (median of 15): {:.1} ms wall = {:.2} MB/s; \
         {:.1} ms CPU = {:.2} MB/s per core; {} tokens",
        ms(wall),
        megabytes / wall.as_secs_f64(),
        ms(cpu),
        megabytes / cpu.as_secs_f64(),
        tokens?
    );

    // lindera's segmenter on the same dictionary, for comparison.
    let dictionary = lindera::dictionary::load_fs_dictionary(&dict_dir)?;
    let segmenter =
        lindera::segmenter::Segmenter::new(lindera::mode::Mode::Normal, dictionary, None);
    let (lwall, lcpu, ltokens) = measure(15, || {
        segmenter
            .segment(Cow::Borrowed(text.as_str()))
            .map(|t| t.len())
    });
    println!(
        "lindera segment (same dictionary): {:.1} ms wall, {:.1} ms CPU = {:.2} MB/s per core; \
         {} tokens; jaryo/lindera CPU ratio {:.2}",
        ms(lwall),
        ms(lcpu),
        megabytes / lcpu.as_secs_f64(),
        ltokens?,
        cpu.as_secs_f64() / lcpu.as_secs_f64()
    );
    Ok(())
}
