//! Showing where a run is, on stderr: an indicatif bar (documents, pages, rate, ETA) when
//! stderr is a terminal, one plain log line per document otherwise, nothing but failures when
//! quiet.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::manifest::{Entry, Status};

/// How a run reports progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProgressMode {
    /// A bar on a terminal, log lines otherwise.
    #[default]
    Auto,
    /// One line per document.
    Log,
    /// Failures only.
    Quiet,
}

/// Documents done of all, pages done and the rates (in the message), time left.
const BAR_TEMPLATE: &str =
    "{spinner} [{elapsed_precise}] {bar:30.cyan/blue} {pos}/{len} documents · {msg} · ETA {eta}";

pub(crate) struct Progress {
    mode: ProgressMode,
    bar: Option<ProgressBar>,
    total: usize,
    done: AtomicUsize,
    pages: AtomicU64,
    start: Instant,
}

impl Progress {
    pub(crate) fn start(mode: ProgressMode, total: usize, jobs: usize, output: &str) -> Progress {
        let mode = match mode {
            ProgressMode::Auto if std::io::stderr().is_terminal() => ProgressMode::Auto,
            ProgressMode::Auto => ProgressMode::Log,
            other => other,
        };
        let bar = (mode == ProgressMode::Auto).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(BAR_TEMPLATE) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message("0 pages");
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        if mode == ProgressMode::Log {
            say(&format!(
                "jaryo: {}, {}, writing to {output}",
                count(total, "input"),
                count(jobs, "job")
            ));
        }
        Progress {
            mode,
            bar,
            total,
            done: AtomicUsize::new(0),
            pages: AtomicU64::new(0),
            start: Instant::now(),
        }
    }

    /// Reports one finished input.
    pub(crate) fn finished(&self, entry: &Entry) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let pages = if entry.status == Status::Ok {
            self.pages
                .fetch_add(u64::from(entry.pages), Ordering::Relaxed)
                + u64::from(entry.pages)
        } else {
            self.pages.load(Ordering::Relaxed)
        };
        let line = describe(entry);
        match self.mode {
            ProgressMode::Auto => {
                if let Some(bar) = &self.bar {
                    if matches!(entry.status, Status::Failed | Status::Unsupported) {
                        bar.println(line);
                    }
                    let seconds = self.start.elapsed().as_secs_f64().max(0.001);
                    bar.set_message(format!(
                        "{pages} pages · {:.1} documents/s · {:.1} pages/s",
                        done as f64 / seconds,
                        pages as f64 / seconds
                    ));
                    bar.inc(1);
                }
            }
            ProgressMode::Log => {
                let width = self.total.to_string().len();
                say(&format!("[{done:>width$}/{}] {line}", self.total));
            }
            ProgressMode::Quiet => {
                if entry.status == Status::Failed {
                    say(&line);
                }
            }
        }
    }

    pub(crate) fn end(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `ok      input/a.pdf → a (45 pages, 310 blocks, 2 flags, 1.23 s)` or
/// `failed  input/b.pdf: not a PDF …`.
fn describe(entry: &Entry) -> String {
    match entry.status {
        Status::Failed => format!(
            "failed  {}",
            entry.error.as_deref().unwrap_or(entry.path.as_str())
        ),
        Status::Unsupported => format!(
            "unsupported {}",
            entry.error.as_deref().unwrap_or(entry.path.as_str())
        ),
        status => {
            let flags: usize = entry.flags.values().sum();
            format!(
                "{:<7} {} → {} ({}, {}, {}, {:.2} s)",
                if status == Status::Ok {
                    "ok"
                } else {
                    "skipped"
                },
                entry.path,
                entry.output.as_deref().unwrap_or("?"),
                count(entry.pages as usize, "page"),
                count(entry.blocks, "block"),
                count(flags, "flag"),
                entry.seconds
            )
        }
    }
}

/// `1 page`, `45 pages`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Writes a line to stderr. A closed stderr (`jaryo run … 2>&1 | head`) must not stop the
/// run, as `eprintln!` would by panicking: the line is dropped instead.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
