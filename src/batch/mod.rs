//! The batch runner: finds the inputs, runs the documents in parallel, each isolated (in a
//! worker process with a memory limit, or in-process with panics caught; a timeout either
//! way), writes their outputs atomically, keeps `DIR/manifest.json` (saved after every
//! document), skips inputs whose outputs are current, stops cleanly when asked, and shows
//! progress.

pub mod inputs;
pub mod manifest;
pub mod naming;
pub mod progress;
pub mod runner;
pub mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::analyze::LazyAnalyzer;
use crate::document::Document;
use crate::extract::PageObserver;
use crate::pipeline::PipelineOptions;
use crate::source::{io_reason, SourceFile};

pub use manifest::{Entry, Status};
pub use progress::ProgressMode;
pub use runner::Processor;

/// The jaryo version recorded with every output.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Held while a run writes to an output directory, so two runs never interleave.
const LOCK_FILE: &str = ".jaryo.lock";

/// Why a run could not proceed at all (exit status 1). Failures of single inputs are not
/// errors: they are `failed` entries.
#[derive(Debug, Error)]
pub enum BatchError {
    #[error("no inputs: no .pdf, .hwp, .hwpx, .txt, .md or .html files in {0}")]
    NoInputs(String),
    #[error("cannot write to the output directory {path}: {reason}")]
    OutputDir { path: PathBuf, reason: String },
    #[error("another jaryo run is writing to {path}; wait for it to finish")]
    Locked { path: PathBuf },
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    #[error("cannot start {jobs} worker threads: {reason}")]
    Threads { jobs: usize, reason: String },
    #[error("cannot start the worker processes: {0}")]
    Workers(String),
}

/// Documents run in worker processes (`jaryo worker`, see [`worker`]).
#[derive(Debug, Clone)]
pub struct Isolation {
    /// The jaryo binary to run as a worker.
    pub exe: PathBuf,
    /// Each worker's address-space limit in bytes; none when `None`.
    pub max_memory: Option<u64>,
}

/// What the manifest keeps of a processed document besides its outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub pages: u32,
    pub blocks: usize,
    /// Quality flags by kind.
    pub flags: BTreeMap<String, usize>,
}

/// A processed document: its outputs, written under temporary names and put in place once
/// the run takes them, and its summary.
#[derive(Debug)]
pub struct Processed {
    pub summary: Summary,
    pub outputs: crate::emit::StagedOutputs,
}

impl Processed {
    /// The summary of `document`.
    pub fn summary(document: &Document) -> Summary {
        Summary {
            pages: document.source.pages,
            blocks: document.blocks.len(),
            flags: flags_by_kind(document),
        }
    }

    /// Writes `document`'s outputs for the output name `name` under `dir`, not yet in place.
    pub fn of(
        document: &Document,
        dir: &Path,
        name: &str,
        emit: &crate::emit::EmitOptions,
    ) -> Result<Processed, String> {
        let outputs =
            crate::emit::stage_outputs(dir, name, document, emit).map_err(|e| e.to_string())?;
        Ok(Processed {
            summary: Processed::summary(document),
            outputs,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub output_dir: PathBuf,
    pub pipeline: PipelineOptions,
    /// Documents processed at once; 0 means one per core.
    pub jobs: usize,
    /// Redo inputs whose outputs are current.
    pub force: bool,
    /// Abandon a document that takes longer than this.
    pub timeout: Option<Duration>,
    pub progress: ProgressMode,
    /// The dictionaries the analyzer was loaded from: outputs made with other ones are redone.
    pub dictionary: Option<PathBuf>,
    pub user_dictionary: Option<crate::analyze::UserDict>,
    /// Also hidden files and folders inside input folders.
    pub hidden: bool,
    /// Which outputs to write beside the JSON.
    pub emit: crate::emit::EmitOptions,
    /// Run each document in a worker process; in this process when `None`.
    pub isolation: Option<Isolation>,
    /// Set (by a signal handler) to stop the run: no new documents start, the running ones
    /// are stopped (in workers) or finished, the manifest is written.
    pub stop: Option<Arc<AtomicBool>>,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// This run's entries, sorted by path.
    pub entries: Vec<Entry>,
    pub manifest: PathBuf,
    /// Temporary files of an earlier, killed run that were removed.
    pub removed_temp_files: usize,
    /// The run was stopped (`RunOptions::stop`); this many inputs were left undone.
    pub interrupted: Option<usize>,
}

impl RunSummary {
    pub fn counts(&self) -> manifest::Counts {
        manifest::count(&self.entries)
    }
}

/// Runs the pipeline with `analyzer` over every input (in worker processes when
/// `options.isolation` says so; they load their own analyzer).
pub fn run(options: &RunOptions, analyzer: Arc<LazyAnalyzer>) -> Result<RunSummary, BatchError> {
    let Some(isolation) = options.isolation.clone() else {
        let pipeline = options.pipeline.clone();
        let shared = Arc::clone(&analyzer);
        let dir = options.output_dir.clone();
        let emit = options.emit.clone();
        let processor: Processor = Arc::new(
            move |source: &SourceFile, name: &str, _: &_, observer: &_| {
                let mut pipeline = pipeline.clone();
                pipeline.extract.observer = Some(PageObserver::clone(observer));
                let document = crate::pipeline::process_source_lazily(source, &pipeline, &shared)
                    .map_err(|e| e.to_string())?;
                Processed::of(&document, &dir, name, &emit)
            },
        );
        let warm_up = Box::new(move || crate::pipeline::warm_up(&analyzer));
        return run_with(options, processor, Some(warm_up));
    };
    run_planned(options, |jobs, count| {
        // As many workers as documents at once, the cores shared among them.
        let workers = jobs.min(count).max(1);
        let setup = worker::Setup {
            dictionary: options.dictionary.clone(),
            user_dictionary: options.user_dictionary.clone(),
            password: options.pipeline.extract.password.clone(),
            whole_fonts_per_page: options.pipeline.extract.whole_fonts_per_page,
            skip_quality: options.pipeline.skip_quality,
            threads: (jobs / workers).max(1),
            max_memory: isolation.max_memory,
            emit: options.emit.clone(),
        };
        let pool = worker::WorkerPool::new(isolation.exe, setup, workers, options.stop.clone())
            .map_err(BatchError::Workers)?;
        let dir = options.output_dir.clone();
        let processor: Processor = Arc::new(
            move |source: &SourceFile, name: &str, ticket: &_, observer: &_| {
                pool.process(source, &dir, name, ticket, observer)
            },
        );
        Ok((processor, None))
    })
}

/// What a run's documents are processed with: the processor, and work to do beside the first
/// documents.
type Plan = (Processor, Option<Box<dyn FnOnce() + Send>>);

/// Runs `processor` over every input: the batch machinery without a fixed pipeline.
/// `warm_up` runs on a worker as the run starts, beside the first documents.
pub fn run_with(
    options: &RunOptions,
    processor: Processor,
    warm_up: Option<Box<dyn FnOnce() + Send>>,
) -> Result<RunSummary, BatchError> {
    run_planned(options, |_, _| Ok((processor, warm_up)))
}

/// The run, with the processor made by `plan(jobs, inputs)` once the inputs are known.
fn run_planned(
    options: &RunOptions,
    plan: impl FnOnce(usize, usize) -> Result<Plan, BatchError>,
) -> Result<RunSummary, BatchError> {
    let dir = options.output_dir.as_path();
    // Found before the output directory is made or locked: a run with nothing to do writes
    // nothing.
    let walk = inputs::WalkOptions {
        hidden: options.hidden,
    };
    let found = inputs::collect(&options.inputs, Some(dir), walk);
    if found.files.is_empty() && found.problems.is_empty() && found.unsupported.is_empty() {
        let named: Vec<String> = options
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(BatchError::NoInputs(named.join(", ")));
    }
    let lock = lock_output_dir(dir)?;
    let removed_temp_files = crate::emit::remove_stale_temp_files(dir);
    let ledger = manifest::Ledger::load(dir)?;
    let names = naming::assign(&found.files);
    let fingerprint = fingerprint(options);
    let jobs = match options.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };

    let mut problems: Vec<Entry> = found
        .problems
        .iter()
        .map(|(path, reason)| failed_entry(path, None, reason.clone(), 0.0))
        .chain(found.unsupported.iter().map(|(path, reason)| Entry {
            status: Status::Unsupported,
            ..failed_entry(path, None, reason.clone(), 0.0)
        }))
        .collect();
    let total = found.files.len() + problems.len();
    let total_work = found.files.iter().map(|i| expected_work(&i.path)).sum();
    let output_name = dir.display().to_string();
    let progress = Arc::new(progress::Progress::start(
        options.progress,
        total,
        total_work,
        jobs,
        &output_name,
    ));
    for entry in &problems {
        progress.finished(None, entry, 0);
    }

    let (processor, warm_up) = plan(jobs, found.files.len())?;
    let mut state = State {
        ledger,
        last_save: None,
    };
    for entry in &problems {
        state.ledger.record(entry.clone());
    }

    let jobs_list: Vec<Job> = found
        .files
        .iter()
        .zip(&names)
        .map(|(input, name)| Job {
            path: input.path.clone(),
            name: name.clone(),
            work: expected_work(&input.path),
        })
        .collect();
    // Longest first: the long documents start early, so the cores finish together.
    let mut order: Vec<usize> = (0..jobs_list.len()).collect();
    order.sort_by(|&a, &b| jobs_list[b].work.cmp(&jobs_list[a].work).then(a.cmp(&b)));

    let previous = state.ledger.clone();
    let mut results: Vec<Option<Entry>> = jobs_list.iter().map(|_| None).collect();
    let context = Arc::new(Context {
        options: options.clone(),
        processor,
        fingerprint,
        previous,
        jobs: jobs_list,
        order,
    });
    let task_context = Arc::clone(&context);
    let task_progress = Arc::clone(&progress);
    let task = move |k: usize, ticket: &runner::Ticket| {
        let job = &task_context.jobs[task_context.order[k]];
        task_progress.started(k, &job.path.display().to_string(), job.work);
        let pages = Arc::clone(&task_progress);
        let observer = PageObserver::new(move |event| pages.observe(k, event));
        task_context.process(k, ticket, &observer)
    };
    let mut undone = 0;
    // Each finished document is recorded here, on this thread, while the workers go on, and
    // the manifest saved: a killed run loses only the documents in flight.
    let report = |k: usize, outcome: runner::Outcome<Option<Entry>>, took: Duration| {
        let Some(entry) = context.entry_of(k, outcome, took) else {
            // Stopped before it was done: not recorded, so the next run does it.
            undone += 1;
            return;
        };
        progress.finished(Some(k), &entry, context.jobs[context.order[k]].work);
        state.ledger.record(entry.clone());
        state.save(dir);
        results[context.order[k]] = Some(entry);
    };
    let count = context.order.len();
    runner::run_tasks(jobs, options.timeout, count, warm_up, task, report)
        .map_err(|reason| BatchError::Threads { jobs, reason })?;
    progress.end();

    // An intermediate save may have failed; this one must not.
    state.ledger.save(dir)?;
    drop(lock);

    let mut entries: Vec<Entry> = results.into_iter().flatten().collect();
    entries.append(&mut problems);
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let stopped = options
        .stop
        .as_ref()
        .is_some_and(|s| s.load(Ordering::SeqCst));
    Ok(RunSummary {
        entries,
        manifest: dir.join(manifest::MANIFEST_FILE),
        removed_temp_files,
        interrupted: stopped.then_some(undone),
    })
}

struct Job {
    path: PathBuf,
    name: String,
    /// How long the document is expected to take, relative to the others.
    work: u64,
}

/// A byte of text carries far more to analyse than a byte of PDF (fonts, images, drawing
/// operators): per byte, the sample booklet's text took 4–8 times as long as the sample PDF
/// and the fixture PDFs (release build, 2026-11).
const TEXT_WORK_PER_BYTE: u64 = 8;

/// The expected work of an input, for scheduling: its size, text weighted up.
fn expected_work(path: &Path) -> u64 {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    match crate::source::format_of(path) {
        Some(crate::model::Format::Text) => size.saturating_mul(TEXT_WORK_PER_BYTE),
        _ => size,
    }
}

struct State {
    ledger: manifest::Ledger,
    /// When the last intermediate save ended, and how long it took.
    last_save: Option<(Instant, Duration)>,
}

/// Intermediate saves may take at most this share of the time between them: the manifest is
/// saved after every document unless it has grown so large (thousands of entries) that saving
/// it each time would hold up the run.
const SAVE_SHARE: u32 = 5;

impl State {
    /// Saves the manifest as it stands, unless the last save is too recent for its cost. A
    /// failed intermediate save is caught by the final save.
    fn save(&mut self, dir: &Path) {
        if let Some((ended, took)) = self.last_save {
            if ended.elapsed() < took * SAVE_SHARE {
                return;
            }
        }
        let start = Instant::now();
        let _ = self.ledger.save_progress(dir);
        self.last_save = Some((Instant::now(), start.elapsed()));
    }
}

/// What every document of a run shares, owned: the workers outlive a document abandoned at
/// the timeout.
struct Context {
    options: RunOptions,
    processor: Processor,
    fingerprint: BTreeMap<String, String>,
    previous: manifest::Ledger,
    jobs: Vec<Job>,
    /// The order the jobs start in: task `k` is job `order[k]`.
    order: Vec<usize>,
}

impl Context {
    fn stopping(&self) -> bool {
        let stop = self.options.stop.as_ref();
        stop.is_some_and(|s| s.load(Ordering::SeqCst))
    }

    /// Task `k`: reads, checks for resume, processes and writes one input. `None` when the
    /// run was stopped before the input was done.
    fn process(&self, k: usize, ticket: &runner::Ticket, observer: &PageObserver) -> Option<Entry> {
        if self.stopping() {
            return None;
        }
        let job = &self.jobs[self.order[k]];
        let start = Instant::now();
        let attempt = self.attempt(job, ticket, observer);
        let seconds = round_us(start.elapsed().as_secs_f64());
        match attempt {
            Ok(mut entry) => {
                entry.seconds = seconds;
                Some(entry)
            }
            // Killed by the stop, most likely: done again by the next run.
            Err(_) if self.stopping() => None,
            Err((sha256, reason)) => Some(failed_entry(&job.path, sha256, reason, seconds)),
        }
    }

    /// The entry, or the input's sha256 (when it was read) and the reason it failed.
    fn attempt(
        &self,
        job: &Job,
        ticket: &runner::Ticket,
        observer: &PageObserver,
    ) -> Result<Entry, (Option<String>, String)> {
        let path_text = job.path.display().to_string();
        let source = crate::source::read(&job.path).map_err(|e| (None, e.to_string()))?;
        let sha256 = source.sha256.clone();
        ticket.note(&sha256);
        let fail = |reason: String| (Some(sha256.clone()), reason);

        if !self.options.force {
            if let Some(previous) = self.previous.get(&path_text) {
                let dir = &self.options.output_dir;
                if manifest::is_current(previous, &sha256, &job.name, &self.fingerprint, dir) {
                    return Ok(Entry {
                        status: Status::Skipped,
                        path: path_text,
                        file: manifest::canonical(&job.path),
                        ..previous.clone()
                    });
                }
            }
        }

        let processed = (self.processor)(&source, &job.name, ticket, observer)
            .map_err(|reason| fail(runner::one_line(&path_text, &reason)))?;
        drop(source);
        let Processed { summary, outputs } = processed;
        if summary.pages == 0 {
            return Err(fail(format!("{path_text}: the document has no pages")));
        }
        if !ticket.commit() {
            // Abandoned at the timeout and reported as such: write nothing.
            return Err(fail(format!("{path_text}: abandoned")));
        }
        let written = outputs.commit().map_err(|e| fail(e.to_string()))?;
        Ok(Entry {
            file: manifest::canonical(&job.path),
            path: path_text,
            status: Status::Ok,
            error: None,
            sha256: Some(sha256),
            output: Some(job.name.clone()),
            outputs: written.files,
            pages: summary.pages,
            blocks: summary.blocks,
            flags: summary.flags,
            seconds: 0.0,
            jaryo: VERSION.to_string(),
            options: self.fingerprint.clone(),
        })
    }

    /// The manifest entry of task `k` from how it ended; `None` when the run was stopped
    /// before it was done.
    fn entry_of(
        &self,
        k: usize,
        outcome: runner::Outcome<Option<Entry>>,
        took: Duration,
    ) -> Option<Entry> {
        let path = &self.jobs[self.order[k]].path;
        let seconds = round_us(took.as_secs_f64());
        let name = path.display();
        Some(match outcome {
            runner::Outcome::Finished(entry) => return entry,
            runner::Outcome::Panicked { message, note } => failed_entry(
                path,
                note,
                format!("{name}: internal error: {message}"),
                seconds,
            ),
            runner::Outcome::Abandoned { limit, note } => failed_entry(
                path,
                note,
                format!(
                    "{name}: timed out after {} s ({})",
                    runner::format_seconds(limit),
                    // A worker process is killed; a thread can only be left to finish.
                    if self.options.isolation.is_some() {
                        "worker killed"
                    } else {
                        "abandoned"
                    }
                ),
                seconds,
            ),
            runner::Outcome::Unstarted(reason) => failed_entry(
                path,
                None,
                format!("{name}: not started: no worker thread ({reason})"),
                seconds,
            ),
        })
    }
}

fn failed_entry(path: &Path, sha256: Option<String>, reason: String, seconds: f64) -> Entry {
    let path_text = path.display().to_string();
    Entry {
        error: Some(runner::one_line(&path_text, &reason)),
        file: manifest::canonical(path),
        path: path_text,
        status: Status::Failed,
        sha256,
        output: None,
        outputs: Vec::new(),
        pages: 0,
        blocks: 0,
        flags: BTreeMap::new(),
        seconds,
        jaryo: VERSION.to_string(),
        options: BTreeMap::new(),
    }
}

/// The document's quality flag counts by kind: the quality stage's summary when it made one,
/// else counted from the blocks.
fn flags_by_kind(document: &Document) -> BTreeMap<String, usize> {
    if !document.quality.flags_by_kind.is_empty() {
        return document.quality.flags_by_kind.clone();
    }
    let mut counts = BTreeMap::new();
    for flag in document.blocks.iter().flat_map(|b| &b.quality.flags) {
        *counts.entry(flag.kind.clone()).or_insert(0) += 1;
    }
    counts
}

/// Seconds to the microsecond: a small document can now be processed in under a millisecond,
/// which milliseconds would report as no time at all.
fn round_us(seconds: f64) -> f64 {
    (seconds * 1_000_000.0).round() / 1_000_000.0
}

/// What the outputs depend on besides the input and the jaryo version: the dictionaries,
/// identified by file names, sizes and modification times (a rebuilt dictionary redoes all).
fn fingerprint(options: &RunOptions) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(dir) = &options.dictionary {
        out.insert("dictionary".to_string(), tree_fingerprint(dir));
    }
    if let Some(user) = &options.user_dictionary {
        let id = user
            .text()
            .map(|text| crate::source::sha256_hex(text.as_bytes()))
            .unwrap_or_else(|_| "absent".to_string());
        out.insert("user_dictionary".to_string(), id);
    }
    out.insert("outputs".to_string(), options.emit.fingerprint());
    out
}

fn tree_fingerprint(dir: &Path) -> String {
    fn visit(dir: &Path, base: &Path, lines: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                visit(&path, base, lines);
            } else if crate::analyze::user_cache::is_cache_file(
                &entry.file_name().to_string_lossy(),
            ) {
                // The compiled user dictionary, cached there by the runs themselves.
                continue;
            } else {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                let relative = path
                    .strip_prefix(base)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                lines.push(format!("{relative} {} {modified}", meta.len()));
            }
        }
    }
    let mut lines = Vec::new();
    visit(dir, dir, &mut lines);
    if lines.is_empty() {
        return "absent".to_string();
    }
    lines.sort();
    crate::source::sha256_hex(lines.join("\n").as_bytes())
}

/// Creates the output directory, checks it can be written, and locks it for this run. The lock
/// is released when the returned file is dropped, or when the process dies.
fn lock_output_dir(dir: &Path) -> Result<std::fs::File, BatchError> {
    let cannot = |error: std::io::Error| BatchError::OutputDir {
        path: dir.to_path_buf(),
        reason: io_reason(&error),
    };
    std::fs::create_dir_all(dir).map_err(cannot)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))
        .map_err(cannot)?;
    match file.try_lock() {
        Ok(()) => {
            // The lock file may exist from an earlier run in a directory now read-only.
            let probe = dir.join(".jaryo.probe");
            crate::emit::write_atomic(&probe, b"").map_err(|e| BatchError::OutputDir {
                path: dir.to_path_buf(),
                reason: match e {
                    crate::emit::EmitError::Write { source, .. } => io_reason(&source),
                    other => other.to_string(),
                },
            })?;
            let _ = std::fs::remove_file(&probe);
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(BatchError::Locked {
            path: dir.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(error)) => Err(cannot(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_fingerprint_ignores_the_user_dictionary_cache() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("matrix.mtx"), b"costs").unwrap();
        let before = tree_fingerprint(dir.path());
        std::fs::write(dir.path().join("jaryo-user-0123abcd.bin"), b"cache").unwrap();
        std::fs::write(dir.path().join(".jaryo-user-4567.bin.42.tmp"), b"half").unwrap();
        assert_eq!(tree_fingerprint(dir.path()), before);
        std::fs::write(dir.path().join("dict.words"), b"words").unwrap();
        assert_ne!(tree_fingerprint(dir.path()), before);
    }
}
