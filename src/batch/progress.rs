//! Showing where a run is, on stderr: an indicatif bar (pages extracted of the pages expected,
//! documents done, rate, the documents in progress with their pages, ETA) when stderr is a
//! terminal, one plain log line per document otherwise, nothing but failures when quiet.
//!
//! The bar counts pages as they are extracted (the workers report them as they go), so it moves
//! while one long document runs. A document's page count is known only once it opens; the pages
//! of the documents not yet opened are estimated from their size at the pages per byte of the
//! opened ones ([`PageModel`]). The ETA is the pages left at the run's pages per second so far,
//! smoothed so that it counts down steadily instead of jumping as documents open and end.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::manifest::{Entry, Status};
use crate::extract::PageEvent;

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

/// Pages extracted of the pages expected; documents done, pages, the rate and the documents in
/// progress (in the message); the smoothed time left.
const BAR_TEMPLATE: &str =
    "{spinner} [{elapsed_precise}] {bar:30.cyan/blue} {percent:>3}% · {msg} · ETA {smooth_eta}";

/// At most this many documents in progress are named in the bar.
const NAMED_IN_PROGRESS: usize = 2;

/// How quickly the shown ETA follows a new estimate: it closes 1/e of the gap in this many
/// seconds (or half the time run so far, when less), counting down in between.
const ETA_SMOOTHING_SECONDS: f64 = 5.0;

/// A document being worked on.
#[derive(Debug, Clone)]
struct Running {
    id: usize,
    path: String,
    /// Its expected work (size, text weighted up), as scheduled.
    work: u64,
    /// Its page count, once it opened.
    pages: Option<u32>,
    extracted: u32,
}

/// What the run knows of its pages, and the ETA made from them. Time is given in seconds since
/// the run started, so the model is tested without a clock.
#[derive(Debug, Clone)]
pub(crate) struct PageModel {
    documents: usize,
    documents_done: usize,
    /// Expected work of the documents not yet opened (nor finished).
    work_unopened: u64,
    /// Expected work and pages of the documents that opened.
    work_opened: u64,
    pages_opened: u64,
    /// Pages extracted in this run.
    pages_done: u64,
    running: Vec<Running>,
    /// The ETA estimated when the pages last moved: when, and the seconds it said.
    estimate: Option<(f64, f64)>,
    /// The last ETA shown: when, and the seconds it said.
    shown_eta: Option<(f64, f64)>,
}

impl PageModel {
    /// `documents` inputs whose expected work adds up to `work`.
    pub(crate) fn new(documents: usize, work: u64) -> PageModel {
        PageModel {
            documents,
            documents_done: 0,
            work_unopened: work,
            work_opened: 0,
            pages_opened: 0,
            pages_done: 0,
            running: Vec::new(),
            estimate: None,
            shown_eta: None,
        }
    }

    /// Document `id` (of expected `work`) started.
    pub(crate) fn started(&mut self, id: usize, path: &str, work: u64) {
        self.running.push(Running {
            id,
            path: path.to_string(),
            work,
            pages: None,
            extracted: 0,
        });
    }

    /// Document `id` reported `event`, `now` seconds into the run.
    pub(crate) fn observe(&mut self, id: usize, event: PageEvent, now: f64) {
        self.apply(id, event);
        self.estimate_at(now);
    }

    fn apply(&mut self, id: usize, event: PageEvent) {
        let Some(doc) = self.running.iter_mut().find(|r| r.id == id) else {
            return;
        };
        match event {
            PageEvent::Opened { pages } if doc.pages.is_none() => {
                doc.pages = Some(pages);
                self.work_unopened = self.work_unopened.saturating_sub(doc.work);
                self.work_opened += doc.work;
                self.pages_opened += u64::from(pages);
            }
            PageEvent::Opened { .. } => {}
            PageEvent::Extracted { pages } => {
                let Some(total) = doc.pages else { return };
                let more = pages.min(total - doc.extracted);
                doc.extracted += more;
                self.pages_done += u64::from(more);
            }
        }
    }

    /// Document `id` (of expected `work`; `None` for an input that never started) ended with
    /// `entry`, `now` seconds into the run.
    pub(crate) fn finished(&mut self, id: Option<usize>, entry: &Entry, work: u64, now: f64) {
        self.end(id, entry, work);
        self.estimate_at(now);
    }

    fn end(&mut self, id: Option<usize>, entry: &Entry, work: u64) {
        self.documents_done += 1;
        let doc = id.and_then(|id| self.running.iter().position(|r| r.id == id));
        let Some(doc) = doc.map(|at| self.running.remove(at)) else {
            self.work_unopened = self.work_unopened.saturating_sub(work);
            return;
        };
        match doc.pages {
            None => self.work_unopened = self.work_unopened.saturating_sub(doc.work),
            Some(pages) => {
                let left = u64::from(pages - doc.extracted);
                if entry.status == Status::Ok {
                    // Extracted, the last of them reported with the outputs.
                    self.pages_done += left;
                } else {
                    // Never to be extracted.
                    self.pages_opened -= left;
                }
            }
        }
    }

    /// The run's pages: those of the opened documents, and the others' estimated at the pages
    /// per unit of work of the opened ones; `None` before any opened.
    pub(crate) fn expected_pages(&self) -> Option<u64> {
        if self.work_opened == 0 {
            return (self.pages_opened > 0 || self.work_unopened == 0).then_some(self.pages_opened);
        }
        let per_work = self.pages_opened as f64 / self.work_opened as f64;
        Some(self.pages_opened + (self.work_unopened as f64 * per_work).round() as u64)
    }

    /// Estimates the time left as the pages moved, `now` seconds into the run: the expected
    /// pages left at the run's pages per second so far.
    fn estimate_at(&mut self, now: f64) {
        let Some(expected) = self.expected_pages() else {
            return;
        };
        if self.pages_done == 0 || now <= 0.0 {
            return;
        }
        let rate = self.pages_done as f64 / now;
        let left = expected.saturating_sub(self.pages_done) as f64 / rate;
        self.estimate = Some((now, left));
    }

    /// Seconds left, `now` seconds into the run: the last estimate counted down since it was
    /// made, followed smoothly by the shown value (which counts down meanwhile, so the pages
    /// coming in bursts and documents ending do not make it jump). `None` until a page is
    /// extracted.
    pub(crate) fn eta(&mut self, now: f64) -> Option<f64> {
        let (at, left) = self.estimate?;
        let estimate = (left - (now - at)).max(0.0);
        let shown = match self.shown_eta {
            None => estimate,
            Some((at, shown)) => {
                let elapsed = (now - at).max(0.0);
                let counted_down = (shown - elapsed).max(0.0);
                // Early estimates rest on few pages: followed faster, so a first guess does not
                // linger through a short run.
                let smoothing = ETA_SMOOTHING_SECONDS.min(now / 2.0).max(0.1);
                let pull = 1.0 - (-elapsed / smoothing).exp();
                counted_down + (estimate - counted_down) * pull
            }
        };
        self.shown_eta = Some((now, shown));
        Some(shown)
    }

    /// `3/10 documents · 120 pages · 4.2 pages/s · now: a.pdf 12/80, b.txt +1`.
    fn message(&self, now: f64) -> String {
        let mut text = format!(
            "{}/{} documents · {} pages · {:.1} pages/s",
            self.documents_done,
            self.documents,
            self.pages_done,
            self.pages_done as f64 / now.max(0.001)
        );
        if !self.running.is_empty() {
            let names: Vec<String> = self
                .running
                .iter()
                .take(NAMED_IN_PROGRESS)
                .map(|doc| {
                    let name = std::path::Path::new(&doc.path)
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or(&doc.path);
                    match doc.pages {
                        Some(pages) => format!("{name} {}/{pages}", doc.extracted),
                        None => name.to_string(),
                    }
                })
                .collect();
            text.push_str(&format!(" · now: {}", names.join(", ")));
            if self.running.len() > NAMED_IN_PROGRESS {
                text.push_str(&format!(" +{}", self.running.len() - NAMED_IN_PROGRESS));
            }
        }
        text
    }
}

pub(crate) struct Progress {
    mode: ProgressMode,
    bar: Option<ProgressBar>,
    total: usize,
    model: Arc<Mutex<PageModel>>,
    start: Instant,
}

/// Locks the model whatever a panicking holder left (it is only counts).
fn lock(model: &Mutex<PageModel>) -> MutexGuard<'_, PageModel> {
    model.lock().unwrap_or_else(|p| p.into_inner())
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
        let model = Arc::new(Mutex::new(PageModel::new(total, work)));
        let start = Instant::now();
        let bar = (mode == ProgressMode::Auto).then(|| {
            let bar = ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stderr());
            let eta_model = Arc::clone(&model);
            let smooth_eta = move |_: &ProgressState, out: &mut dyn std::fmt::Write| {
                let eta = lock(&eta_model).eta(start.elapsed().as_secs_f64());
                let _ = match eta {
                    Some(seconds) => write!(out, "{}", clock(seconds)),
                    None => write!(out, "…"),
                };
            };
            if let Ok(style) = ProgressStyle::with_template(BAR_TEMPLATE) {
                bar.set_style(
                    style
                        .with_key("smooth_eta", smooth_eta)
                        .progress_chars("=> "),
                );
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
            model,
            start,
        }
    }

    /// Reports that document `id`, the input at `path` of expected `work`, started.
    pub(crate) fn started(&self, id: usize, path: &str, work: u64) {
        lock(&self.model).started(id, path, work);
        self.redraw();
    }

    /// Reports what document `id`'s extraction got to.
    pub(crate) fn observe(&self, id: usize, event: PageEvent) {
        let now = self.start.elapsed().as_secs_f64();
        lock(&self.model).observe(id, event, now);
        self.redraw();
    }

    /// Moves the bar to the model (never while holding the model: the bar's ETA reads it).
    fn redraw(&self) {
        let Some(bar) = &self.bar else { return };
        let (message, done, expected) = {
            let model = lock(&self.model);
            let now = self.start.elapsed().as_secs_f64();
            (model.message(now), model.pages_done, model.expected_pages())
        };
        bar.set_length(expected.unwrap_or(0).max(done).max(1));
        bar.set_position(done);
        bar.set_message(message);
    }

    #[cfg(test)]
    fn message(&self) -> String {
        lock(&self.model).message(self.start.elapsed().as_secs_f64())
    }

    /// Reports one finished input: document `id` (`None` for an input that never started),
    /// which was `work` of the run's expected work.
    pub(crate) fn finished(&self, id: Option<usize>, entry: &Entry, work: u64) {
        let done = {
            let now = self.start.elapsed().as_secs_f64();
            let mut model = lock(&self.model);
            model.finished(id, entry, work, now);
            model.documents_done
        };
        let line = describe(entry);
        match self.mode {
            ProgressMode::Auto => {
                if let Some(bar) = &self.bar {
                    if matches!(entry.status, Status::Failed | Status::Unsupported) {
                        bar.println(line);
                    }
                }
                self.redraw();
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

/// `42s`, `3m05s`, `1h02m`: a time left as the bar shows it.
fn clock(seconds: f64) -> String {
    let seconds = seconds.round() as u64;
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m{:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60),
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
            file: None,
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

    fn failed(path: &str) -> Entry {
        Entry {
            status: Status::Failed,
            ..entry(path, 0)
        }
    }

    const PDF: &str = "input/seoul_social_economy_forum_2020.pdf";
    const TEXT: &str = "input/seoul_social_economy_forum_2020.txt";

    #[test]
    fn the_message_names_the_documents_in_progress_with_their_pages() {
        let progress = Progress::start(ProgressMode::Quiet, 4, 100, 2, "out");
        progress.started(0, PDF, 60);
        progress.started(1, TEXT, 30);
        progress.started(2, "b/c.md", 10);
        progress.observe(0, PageEvent::Opened { pages: 82 });
        progress.observe(0, PageEvent::Extracted { pages: 1 });
        progress.observe(0, PageEvent::Extracted { pages: 2 });
        let message = progress.message();
        assert!(message.starts_with("0/4 documents · 3 pages"), "{message}");
        assert!(
            message.ends_with(
                "now: seoul_social_economy_forum_2020.pdf 3/82, seoul_social_economy_forum_2020.txt +1"
            ),
            "{message}"
        );
        progress.finished(Some(0), &entry(PDF, 82), 60);
        let message = progress.message();
        // The pages not yet reported one by one came with the outputs.
        assert!(message.starts_with("1/4 documents · 82 pages"), "{message}");
        assert!(
            message.ends_with("now: seoul_social_economy_forum_2020.txt, c.md"),
            "{message}"
        );
    }

    #[test]
    fn pages_not_yet_opened_are_estimated_from_the_opened_ones() {
        let mut model = PageModel::new(3, 100);
        assert_eq!(model.expected_pages(), None);
        model.started(0, PDF, 50);
        model.started(1, TEXT, 25);
        model.observe(0, PageEvent::Opened { pages: 80 }, 1.0);
        // 80 pages for 50 of work: the 50 not yet opened should hold 80 more.
        assert_eq!(model.expected_pages(), Some(160));
        model.observe(1, PageEvent::Opened { pages: 10 }, 1.0);
        // 90 pages for 75: the last 25 hold 30.
        assert_eq!(model.expected_pages(), Some(120));
        model.observe(1, PageEvent::Extracted { pages: 4 }, 2.0);
        // A document that fails halfway takes its pages not extracted out of the run.
        model.finished(Some(1), &failed(TEXT), 25, 2.0);
        assert_eq!(model.pages_done, 4);
        assert_eq!(model.expected_pages(), Some(84 + 28));
        // One that fails before opening takes its work out.
        model.finished(None, &failed("c.pdf"), 25, 2.0);
        assert_eq!(model.expected_pages(), Some(84));
        // Pages reported twice (or more than the document has) count once.
        model.observe(0, PageEvent::Extracted { pages: 200 }, 3.0);
        assert_eq!(model.pages_done, 84);
    }

    /// A long document (100 pages at 1 page/s) on one job while short ones (2 pages each, one
    /// every 2 s) pass on the other: the shown ETA counts down, never jumping up as the short
    /// ones come in bursts of pages and end.
    #[test]
    fn the_eta_counts_down_while_a_long_document_runs() {
        let shorts = 50;
        let mut model = PageModel::new(1 + shorts, 1000 + 20 * shorts as u64);
        model.started(0, PDF, 1000);
        model.observe(0, PageEvent::Opened { pages: 100 }, 0.0);
        let mut etas = Vec::new();
        for tick in 1..=500 {
            let now = f64::from(tick) * 0.2;
            if tick % 5 == 0 {
                let second = tick / 5;
                if second <= 100 {
                    model.observe(0, PageEvent::Extracted { pages: 1 }, now);
                }
                if second == 100 {
                    model.finished(Some(0), &entry(PDF, 100), 1000, now);
                }
                let short = second as usize / 2;
                if second % 2 == 0 && (1..=shorts).contains(&short) {
                    model.started(short, TEXT, 20);
                    model.observe(short, PageEvent::Opened { pages: 2 }, now);
                    model.observe(short, PageEvent::Extracted { pages: 2 }, now);
                    model.finished(Some(short), &entry(TEXT, 2), 20, now);
                }
            }
            etas.push((now, model.eta(now)));
        }
        let shown: Vec<(f64, f64)> = etas
            .iter()
            .filter_map(|(now, eta)| eta.map(|e| (*now, e)))
            .collect();
        for pair in shown.windows(2) {
            let ((_, before), (now, after)) = (pair[0], pair[1]);
            assert!(
                after <= before + 0.05,
                "ETA rose at {now:.1} s: {before:.1} → {after:.1}"
            );
        }
        // Done at 100 s: the ETA got there.
        let at_end = shown.iter().find(|(now, _)| *now >= 100.0).map(|(_, e)| *e);
        assert!(at_end.is_some_and(|e| e < 10.0), "{at_end:?}");
        // And in the middle it was about right (the truth at 50 s is 50 s).
        let middle = shown.iter().find(|(now, _)| *now >= 50.0).map(|(_, e)| *e);
        assert!(
            middle.is_some_and(|e| (40.0..60.0).contains(&e)),
            "{middle:?}"
        );
    }

    #[test]
    fn times_left_read_as_a_clock() {
        assert_eq!(clock(42.4), "42s");
        assert_eq!(clock(185.0), "3m05s");
        assert_eq!(clock(3720.0), "1h02m");
    }
}
