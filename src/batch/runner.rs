//! Running one document in isolation: on a worker of the run's pool, so a document that runs
//! past the timeout can be abandoned, and under `catch_unwind`, so a panic inside pdf-extract or
//! lopdf becomes that document's failure instead of the batch's end.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex, Once};
use std::time::Duration;

use crate::document::Document;
use crate::source::SourceFile;

/// Turns a source into a document; the error is a one-line reason.
pub type Processor = Arc<dyn Fn(&SourceFile) -> Result<Document, String> + Send + Sync>;

/// Threads that run documents carry names starting with this; their panics are reported per
/// document.
const DOCUMENT_THREAD: &str = "jaryo-document";

/// pdf-extract recurses through content streams and font programs: give it room.
const DOCUMENT_STACK: usize = 32 * 1024 * 1024;

thread_local! {
    /// Where the last panic on this thread happened, recorded by the panic hook.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static QUIET_HOOK: Once = Once::new();

/// Keeps panics on document threads off stderr (they are reported per document, and would
/// tear the progress display); panics elsewhere go to the previous hook as before.
fn install_panic_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_document_thread = std::thread::current()
                .name()
                .is_some_and(|name| name.starts_with(DOCUMENT_THREAD));
            if on_document_thread {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_LOCATION.with(|cell| *cell.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

/// The threads that do a run's work: `jobs` of them, shared by the documents in flight. A
/// document runs on one worker, and its parallel parts (pages, blocks) spread to idle workers
/// of the same pool, so `--jobs N` means N busy cores however many documents are left.
///
/// A document abandoned at the timeout keeps its worker (a thread cannot be stopped from
/// outside); the pool is then replaced, so the documents after it still get `jobs` workers.
pub struct WorkPool {
    jobs: usize,
    current: Mutex<Arc<rayon::ThreadPool>>,
}

impl WorkPool {
    /// A pool of `jobs` workers (at least one); the error says why the threads could not start.
    pub fn new(jobs: usize) -> Result<WorkPool, String> {
        let jobs = jobs.max(1);
        Ok(WorkPool {
            jobs,
            current: Mutex::new(Arc::new(build_pool(jobs)?)),
        })
    }

    /// Runs `work` on a worker without waiting for it (it must not panic: a panic in a task
    /// nobody waits for aborts the process).
    pub fn spawn(&self, work: impl FnOnce() + Send + 'static) {
        self.current().spawn(work);
    }

    /// Runs `work` on a worker and waits for it: for bounded work (reading, writing) that
    /// needs no timeout.
    pub fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        self.current().install(work)
    }

    fn current(&self) -> Arc<rayon::ThreadPool> {
        Arc::clone(&self.current.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Swaps in a fresh pool (after an abandonment); the old one lives on until its last
    /// document ends. Keeps the old pool when new threads cannot start.
    fn renew(&self) {
        if let Ok(fresh) = build_pool(self.jobs) {
            *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        }
    }
}

fn build_pool(jobs: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(DOCUMENT_STACK)
        .thread_name(|i| format!("{DOCUMENT_THREAD}-{i}"))
        .build()
        .map_err(|e| e.to_string())
}

/// Runs `processor` on `source` on a worker of `pool` and waits at most `timeout`. Every
/// failure comes back as a one-line reason naming the file.
pub fn run_isolated(
    source: SourceFile,
    processor: &Processor,
    timeout: Option<Duration>,
    pool: &WorkPool,
) -> Result<Document, String> {
    install_panic_hook();
    let path = source.path.display().to_string();
    let (sender, receiver) = mpsc::channel();
    let processor = Arc::clone(processor);
    pool.current().spawn(move || {
        // Caught here, on the worker, where the panic hook recorded the location.
        let result = catch_unwind(AssertUnwindSafe(|| processor(&source))).map_err(|payload| {
            let location = PANIC_LOCATION.with(|cell| cell.borrow_mut().take());
            (panic_message(payload.as_ref()), location)
        });
        // The receiver is gone when the document was abandoned: nothing to do then.
        let _ = sender.send(result);
    });
    let received = match timeout {
        Some(limit) => receiver.recv_timeout(limit).map_err(|e| match e {
            mpsc::RecvTimeoutError::Timeout => {
                pool.renew();
                format!(
                    "{path}: timed out after {} s (abandoned)",
                    format_seconds(limit)
                )
            }
            mpsc::RecvTimeoutError::Disconnected => {
                format!("{path}: the worker thread ended without a result")
            }
        })?,
        None => receiver
            .recv()
            .map_err(|_| format!("{path}: the worker thread ended without a result"))?,
    };
    match received {
        Ok(result) => result.map_err(|reason| one_line(&path, &reason)),
        Err((message, location)) => Err(one_line(
            &path,
            &match location {
                Some(at) => format!("internal error: panic at {at}: {message}"),
                None => format!("internal error: panic: {message}"),
            },
        )),
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "non-text panic payload".to_string()
    }
}

/// `2`, `0.5`, `0.001`: seconds as typed.
fn format_seconds(limit: Duration) -> String {
    let text = format!("{:.3}", limit.as_secs_f64());
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A reason on one line that names the file (prefixing it when the reason does not already).
pub fn one_line(path: &str, reason: &str) -> String {
    let flat = reason
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if flat.contains(path) {
        flat
    } else {
        format!("{path}: {flat}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;
    use std::path::PathBuf;
    use std::time::Instant;

    fn source(name: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(name),
            bytes: b"%PDF-1.7".to_vec(),
            sha256: String::new(),
            format: Format::Pdf,
        }
    }

    // These tests drive the isolation with processors that misbehave on purpose; the real
    // pipeline's failures are covered by tests/batch_*.rs through the binary.

    #[test]
    fn a_panic_is_one_documents_failure_with_its_location() {
        let processor: Processor = Arc::new(|_| panic!("Unsupported CMap UniKS-UCS2-H"));
        let pool = WorkPool::new(1).unwrap();
        let error = run_isolated(source("in/forum.pdf"), &processor, None, &pool).unwrap_err();
        assert!(
            error.starts_with("in/forum.pdf: internal error: panic at src/batch/runner.rs:"),
            "{error}"
        );
        assert!(error.ends_with("Unsupported CMap UniKS-UCS2-H"), "{error}");
    }

    #[test]
    fn a_slow_document_is_abandoned_at_the_timeout() {
        let processor: Processor = Arc::new(|_| {
            std::thread::sleep(Duration::from_secs(5));
            Err("finished".into())
        });
        let pool = WorkPool::new(1).unwrap();
        let start = Instant::now();
        let error = run_isolated(
            source("slow.pdf"),
            &processor,
            Some(Duration::from_millis(50)),
            &pool,
        )
        .unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(error, "slow.pdf: timed out after 0.05 s (abandoned)");

        // The one worker is still asleep in the abandoned document: the next one gets a
        // fresh pool instead of waiting behind it.
        let quick: Processor = Arc::new(|_| Err("done".into()));
        let start = Instant::now();
        let error = run_isolated(source("next.pdf"), &quick, None, &pool).unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(error, "next.pdf: done");
    }

    #[test]
    fn a_document_uses_the_pools_workers_for_its_parallel_parts() {
        use rayon::prelude::*;
        // Every thread the document's parallel loop ran on belongs to the run's pool.
        let processor: Processor = Arc::new(|_| {
            let names: Vec<String> = (0..64)
                .into_par_iter()
                .map(|_| {
                    std::thread::sleep(Duration::from_millis(1));
                    std::thread::current().name().unwrap_or("").to_string()
                })
                .collect();
            Err(names.join(","))
        });
        let pool = WorkPool::new(2).unwrap();
        let error = run_isolated(source("pages.pdf"), &processor, None, &pool).unwrap_err();
        let names = error.trim_start_matches("pages.pdf: ");
        assert!(
            names.split(',').all(|n| n.starts_with(DOCUMENT_THREAD)),
            "{names}"
        );
    }

    #[test]
    fn reasons_become_one_line_naming_the_file() {
        assert_eq!(
            one_line("a.pdf", "bad xref\nat 12"),
            "a.pdf: bad xref; at 12"
        );
        assert_eq!(one_line("a.pdf", "a.pdf: encrypted"), "a.pdf: encrypted");
    }
}
