//! Showing where a run is, on stderr: an indicatif bar (documents, pages, rate, the documents
//! in progress, ETA) when stderr is a terminal, one plain log line per document otherwise,
//! nothing but failures when quiet. The bar advances by each document's expected work (its
//! size, text weighted up) rather than by one per document, so a long booklet moves it as far
//! as it weighs and the ETA does not jump when a small document ends.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
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

/// Share of the work done; documents done of all, pages done, the rate and the documents in
/// progress (in the message); time left.
const BAR_TEMPLATE: &str =
    "{spinner} [{elapsed_precise}] {bar:30.cyan/blue} {percent:>3}% · {msg} · ETA {eta}";

/// At most this many documents in progress are named in the bar.
const NAMED_IN_PROGRESS: usize = 2;

pub(crate) struct Progress {
    mode: ProgressMode,
    bar: Option<ProgressBar>,
    total: usize,
    done: AtomicUsize,
    pages: AtomicU64,
    start: Instant,
    /// The documents being worked on, by input path, in the order they started.
    running: Mutex<Vec<String>>,
}

impl Progress {
    /// `total` inputs whose expected work adds up to `work`.
    pub(crate) fn start(
        mode: ProgressMode,
        total: usize,
        work: u64,
        jobs: usize,
        output: &str,
    ) -> Progress {
        let mode = match mode {
            ProgressMode::Auto if std::io::stderr().is_terminal() => ProgressMode::Auto,
            ProgressMode::Auto => ProgressMode::Log,
            other => other,
        };
        let bar = (mode == ProgressMode::Auto).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(work.max(1)), ProgressDrawTarget::stderr());
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
            running: Mutex::new(Vec::new()),
        }
    }

    /// Reports that a worker started on the input at `path`.
    pub(crate) fn started(&self, path: &str) {
        if let Ok(mut running) = self.running.lock() {
            running.push(path.to_string());
        }
        if let Some(bar) = &self.bar {
            bar.set_message(self.message());
        }
    }

    /// `3/10 documents · 120 pages · 4.2 pages/s · now: a.pdf, b.txt +1`.
    fn message(&self) -> String {
        let done = self.done.load(Ordering::Relaxed);
        let pages = self.pages.load(Ordering::Relaxed);
        let seconds = self.start.elapsed().as_secs_f64().max(0.001);
        let mut text = format!(
            "{done}/{} documents · {pages} pages · {:.1} pages/s",
            self.total,
            pages as f64 / seconds
        );
        if let Ok(running) = self.running.lock() {
            if !running.is_empty() {
                let names: Vec<&str> = running
                    .iter()
                    .take(NAMED_IN_PROGRESS)
                    .map(|p| {
                        std::path::Path::new(p)
                            .file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or(p)
                    })
                    .collect();
                text.push_str(&format!(" · now: {}", names.join(", ")));
                if running.len() > NAMED_IN_PROGRESS {
                    text.push_str(&format!(" +{}", running.len() - NAMED_IN_PROGRESS));
                }
            }
        }
        text
    }

    /// Reports one finished input, which was `work` of the run's expected work.
    pub(crate) fn finished(&self, entry: &Entry, work: u64) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if entry.status == Status::Ok {
            self.pages
                .fetch_add(u64::from(entry.pages), Ordering::Relaxed);
        }
        if let Ok(mut running) = self.running.lock() {
            running.retain(|p| *p != entry.path);
        }
        let line = describe(entry);
        match self.mode {
            ProgressMode::Auto => {
                if let Some(bar) = &self.bar {
                    if matches!(entry.status, Status::Failed | Status::Unsupported) {
                        bar.println(line);
                    }
                    bar.set_message(self.message());
                    bar.inc(work);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, pages: u32) -> Entry {
        Entry {
            path: path.to_string(),
            status: Status::Ok,
            error: None,
            sha256: None,
            output: None,
            outputs: Vec::new(),
            pages,
            blocks: 0,
            flags: Default::default(),
            seconds: 0.0,
            jaryo: String::new(),
            options: Default::default(),
        }
    }

    #[test]
    fn the_message_names_the_documents_in_progress_and_counts_pages() {
        let progress = Progress::start(ProgressMode::Quiet, 4, 100, 2, "out");
        for path in [
            "input/seoul_social_economy_forum_2020.pdf",
            "input/seoul_social_economy_forum_2020.txt",
            "b/c.md",
        ] {
            progress.started(path);
        }
        let message = progress.message();
        assert!(message.starts_with("0/4 documents · 0 pages"), "{message}");
        assert!(
            message.ends_with(
                "now: seoul_social_economy_forum_2020.pdf, seoul_social_economy_forum_2020.txt +1"
            ),
            "{message}"
        );
        progress.finished(&entry("input/seoul_social_economy_forum_2020.pdf", 82), 60);
        let message = progress.message();
        assert!(message.starts_with("1/4 documents · 82 pages"), "{message}");
        assert!(
            message.ends_with("now: seoul_social_economy_forum_2020.txt, c.md"),
            "{message}"
        );
    }
}
