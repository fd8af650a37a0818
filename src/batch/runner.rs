//! Running a batch's documents on the run's workers. Each of `jobs` workers loops: it takes
//! the next document and runs it to the end (read, process, write) on its own thread, then
//! takes another, so no document waits on a hand-off between threads, and a worker that waits
//! inside one document's parallel loop helps only with that loop's parts, never starts a
//! whole other document there. Every document runs under `catch_unwind`, so a panic inside
//! pdf-extract or lopdf becomes that document's failure instead of the batch's end; one that
//! runs past the timeout is abandoned: the run reports it at once, a fresh worker takes its
//! place, and the stuck worker stops when (if ever) the document returns, its result unused.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

use crate::extract::PageObserver;
use crate::source::SourceFile;

/// Turns a source into its outputs, serialised, under the given output name; the error is a
/// one-line reason. The ticket tells a processor that can stop its work (a worker process)
/// when the task was abandoned; the observer is told of the pages as they are extracted.
pub type Processor = Arc<
    dyn Fn(&SourceFile, &str, &Ticket, &PageObserver) -> Result<super::Processed, String>
        + Send
        + Sync,
>;

/// Threads that run documents carry names starting with this; their panics are reported per
/// document.
pub(crate) const DOCUMENT_THREAD: &str = "jaryo-document";

/// pdf-extract recurses through content streams and font programs: give it room.
pub(crate) const DOCUMENT_STACK: usize = 32 * 1024 * 1024;

thread_local! {
    /// Where the last panic on this thread happened, recorded by the panic hook.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static QUIET_HOOK: Once = Once::new();

/// Keeps panics on document threads off stderr (they are reported per document, and would
/// tear the progress display); panics elsewhere go to the previous hook as before.
pub(crate) fn install_panic_hook() {
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

/// How one task ended, as the run reports it.
#[derive(Debug)]
pub enum Outcome<T> {
    /// The task returned.
    Finished(T),
    /// The task panicked: the message, with the location when the panic hook recorded one.
    Panicked {
        message: String,
        note: Option<String>,
    },
    /// The task ran past the timeout and was abandoned.
    Abandoned {
        limit: Duration,
        note: Option<String>,
    },
    /// No worker was left to run the task (every one was abandoned, and no new thread could
    /// start): the reason.
    Unstarted(String),
}

/// A running task's line to the run: what it has learnt so far, and its claim to write.
pub struct Ticket<'a> {
    board: &'a Board,
    index: usize,
}

impl Ticket<'_> {
    /// Records what is known of the task so far (an input's sha256), for the run's report if
    /// the task is abandoned or panics later.
    pub fn note(&self, note: &str) {
        let mut board = self.board.lock();
        if let Phase::Running { note: slot, .. } = &mut board.phases[self.index] {
            *slot = Some(note.to_string());
        }
    }

    /// Whether the run has given up on the task (it ran past the timeout): its work can stop.
    pub fn abandoned(&self) -> bool {
        !matches!(self.board.lock().phases[self.index], Phase::Running { .. })
    }

    /// Claims the right to write the task's outputs: false when the task was already
    /// abandoned (its failure is reported, so it must leave nothing behind); once true, the
    /// task is no longer abandoned at the timeout (writing is bounded work).
    pub fn commit(&self) -> bool {
        let mut board = self.board.lock();
        match &mut board.phases[self.index] {
            Phase::Running { committed, .. } => {
                *committed = true;
                true
            }
            _ => false,
        }
    }
}

/// Where each task is.
#[derive(Debug)]
enum Phase {
    Waiting,
    Running {
        since: Instant,
        note: Option<String>,
        committed: bool,
    },
    /// Returned; its result waits in `Shared::results` for the run to report it.
    Finished,
    Abandoned,
    Reported,
}

struct BoardState {
    phases: Vec<Phase>,
    /// Tasks now running (at most one per worker): the ones the timeout watches.
    running: Vec<usize>,
    /// Tasks finished and not yet reported, in the order they finished.
    finished: Vec<usize>,
    /// Worker loops that may still take a task: started, not yet out of tasks, not abandoned.
    loops: usize,
}

/// The tasks' phases, shared by the workers and the run that waits for them.
struct Board {
    state: Mutex<BoardState>,
    changed: Condvar,
}

impl Board {
    fn lock(&self) -> MutexGuard<'_, BoardState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

type Task<T> = dyn Fn(usize, &Ticket) -> T + Send + Sync;
type TaskResult<T> = (Result<T, String>, Duration, Option<String>);

/// What the worker loops share.
struct Shared<T> {
    board: Board,
    /// Each finished task's value (or panic message), time and note, until reported.
    results: Vec<Mutex<Option<TaskResult<T>>>>,
    next: AtomicUsize,
    task: Box<Task<T>>,
    /// Run by the second worker to arrive (the only one with `jobs` 1), before its tasks.
    warm_up: Mutex<Option<Box<dyn FnOnce() + Send>>>,
    arrivals: AtomicUsize,
    jobs: usize,
}

/// Runs `task(k, ticket)` for every `k` in `0..count` (started in that order) on `jobs`
/// workers, with `warm_up` on one of them as the run starts, and hands every task's
/// [`Outcome`] and time to `report` on the calling thread as it comes (`report` may take its
/// time: the workers go on meanwhile). Returns when every task is reported; an abandoned
/// task's thread may still be running then. The error: no worker thread could start.
pub fn run_tasks<T: Send + 'static>(
    jobs: usize,
    timeout: Option<Duration>,
    count: usize,
    warm_up: Option<Box<dyn FnOnce() + Send>>,
    task: impl Fn(usize, &Ticket) -> T + Send + Sync + 'static,
    mut report: impl FnMut(usize, Outcome<T>, Duration),
) -> Result<(), String> {
    if count == 0 {
        return Ok(());
    }
    install_panic_hook();
    let jobs = jobs.max(1);
    let shared = Arc::new(Shared {
        board: Board {
            state: Mutex::new(BoardState {
                phases: (0..count).map(|_| Phase::Waiting).collect(),
                running: Vec::with_capacity(jobs),
                finished: Vec::new(),
                loops: jobs,
            }),
            changed: Condvar::new(),
        },
        results: (0..count).map(|_| Mutex::new(None)).collect(),
        next: AtomicUsize::new(0),
        task: Box::new(task),
        warm_up: Mutex::new(warm_up),
        arrivals: AtomicUsize::new(0),
        jobs,
    });
    // Kept until the run ends; dropping a pool lets its threads go once their work is done.
    let mut pools = vec![build_pool(jobs)?];
    let loop_shared = Arc::clone(&shared);
    pools[0].spawn_broadcast(move |_| work_loop(&loop_shared));

    // Why a replacement worker could not start, if one could not.
    let mut unstarted: Option<String> = None;
    let mut reported = 0;
    let mut board = shared.board.lock();
    while reported < count {
        let now = Instant::now();
        let mut due: Vec<(usize, Due)> = board
            .finished
            .drain(..)
            .map(|index| (index, Due::Result))
            .collect();
        let mut next_deadline: Option<Instant> = None;
        if let Some(limit) = timeout {
            let BoardState {
                phases, running, ..
            } = &mut *board;
            running.retain(|&index| match &mut phases[index] {
                Phase::Running {
                    since,
                    note,
                    committed: false,
                } => {
                    let deadline = *since + limit;
                    if now < deadline {
                        next_deadline = Some(next_deadline.map_or(deadline, |d| d.min(deadline)));
                        return true;
                    }
                    due.push((index, Due::Abandoned(limit, note.take(), now - *since)));
                    phases[index] = Phase::Abandoned;
                    false
                }
                _ => true,
            });
        }
        let abandoned = due
            .iter()
            .filter(|(_, d)| matches!(d, Due::Abandoned(..)))
            .count();
        board.loops -= abandoned;
        let stranded: Vec<usize> = if due.is_empty() && board.loops == 0 {
            (0..count)
                .filter(|&k| matches!(board.phases[k], Phase::Waiting))
                .collect()
        } else {
            Vec::new()
        };
        if !stranded.is_empty() {
            // No worker is left to take the tasks still waiting (every one was abandoned and
            // no new thread could start): report them, so the run ends.
            let waiting = stranded;
            for &k in &waiting {
                board.phases[k] = Phase::Reported;
            }
            drop(board);
            for k in waiting {
                let reason = unstarted
                    .clone()
                    .unwrap_or_else(|| "no worker thread is left".to_string());
                report(k, Outcome::Unstarted(reason), Duration::ZERO);
                reported += 1;
            }
            board = shared.board.lock();
            continue;
        }
        if !due.is_empty() {
            drop(board);
            // A fresh one-thread pool for each abandoned worker keeps `jobs` cores busy.
            for _ in 0..abandoned {
                match build_pool(1) {
                    Ok(pool) => {
                        shared.board.lock().loops += 1;
                        let loop_shared = Arc::clone(&shared);
                        pool.spawn_broadcast(move |_| work_loop(&loop_shared));
                        pools.push(pool);
                    }
                    Err(reason) => unstarted = Some(reason),
                }
            }
            for (index, due) in due {
                let (outcome, seconds) = match due {
                    Due::Result => take_result(&shared, index),
                    Due::Abandoned(limit, note, seconds) => {
                        (Outcome::Abandoned { limit, note }, seconds)
                    }
                };
                report(index, outcome, seconds);
                reported += 1;
            }
            board = shared.board.lock();
            continue;
        }
        board = match next_deadline {
            Some(deadline) => {
                let wait = deadline.saturating_duration_since(now);
                shared
                    .board
                    .changed
                    .wait_timeout(board, wait)
                    .unwrap_or_else(|p| p.into_inner())
                    .0
            }
            None => shared
                .board
                .changed
                .wait(board)
                .unwrap_or_else(|p| p.into_inner()),
        };
    }
    drop(board);
    drop(pools);
    Ok(())
}

/// A task the run is about to report.
enum Due {
    /// Finished: its result waits in `Shared::results`.
    Result,
    /// Abandoned: the limit, the task's note, and how long it ran.
    Abandoned(Duration, Option<String>, Duration),
}

/// The outcome of a finished task, and how long it ran.
fn take_result<T>(shared: &Shared<T>, index: usize) -> (Outcome<T>, Duration) {
    let stored = shared.results[index]
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    match stored {
        Some((Ok(value), seconds, _)) => (Outcome::Finished(value), seconds),
        Some((Err(message), seconds, note)) => (Outcome::Panicked { message, note }, seconds),
        None => (
            Outcome::Unstarted("the task left no result".to_string()),
            Duration::ZERO,
        ),
    }
}

/// One worker: the warm-up if it is this worker's, then tasks until none is left or one of
/// them is abandoned (a fresh worker has taken this one's place then). Never panics.
fn work_loop<T: Send>(shared: &Shared<T>) {
    let arrival = shared.arrivals.fetch_add(1, Ordering::SeqCst);
    if arrival == 1 || shared.jobs == 1 {
        let warm_up = shared
            .warm_up
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(warm_up) = warm_up {
            // A failed warm-up only means the documents do that work themselves.
            let _ = catch_unwind(AssertUnwindSafe(warm_up));
        }
    }
    loop {
        let index = shared.next.fetch_add(1, Ordering::SeqCst);
        let since = Instant::now();
        {
            let mut board = shared.board.lock();
            if index >= board.phases.len() {
                board.loops -= 1;
                shared.board.changed.notify_all();
                return;
            }
            board.phases[index] = Phase::Running {
                since,
                note: None,
                committed: false,
            };
            board.running.push(index);
            // The run keeps the timeout's clock: it needs to know this one started.
            shared.board.changed.notify_all();
        }
        let ticket = Ticket {
            board: &shared.board,
            index,
        };
        let result = catch_panic(|| (shared.task)(index, &ticket));
        let seconds = since.elapsed();
        let mut board = shared.board.lock();
        let note = match &mut board.phases[index] {
            Phase::Running { note, .. } => note.take(),
            // Abandoned: reported already, and another worker runs in this one's place.
            _ => return,
        };
        board.phases[index] = Phase::Finished;
        board.running.retain(|&k| k != index);
        board.finished.push(index);
        // Stored before the run can see the task finished (it takes the board's lock first).
        if let Ok(mut slot) = shared.results[index].lock() {
            *slot = Some((result, seconds, note));
        }
        shared.board.changed.notify_all();
    }
}

/// Runs `f`, a panic in it becoming its message with the location where it happened (on a
/// document thread, whose panics the hook records).
pub(crate) fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = panic_message(payload.as_ref());
        match PANIC_LOCATION.with(|cell| cell.borrow_mut().take()) {
            Some(at) => format!("panic at {at}: {message}"),
            None => format!("panic: {message}"),
        }
    })
}

fn build_pool(jobs: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(DOCUMENT_STACK)
        .thread_name(|i| format!("{DOCUMENT_THREAD}-{i}"))
        .build()
        .map_err(|e| e.to_string())
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
pub fn format_seconds(limit: Duration) -> String {
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
    use std::sync::mpsc;

    /// Runs `task` over `count` tasks and returns every report, in the order they came.
    fn run<T: Send + 'static>(
        jobs: usize,
        timeout: Option<Duration>,
        count: usize,
        warm_up: Option<Box<dyn FnOnce() + Send>>,
        task: impl Fn(usize, &Ticket) -> T + Send + Sync + 'static,
    ) -> Vec<(usize, Outcome<T>)> {
        let mut reports = Vec::new();
        run_tasks(jobs, timeout, count, warm_up, task, |k, outcome, _| {
            reports.push((k, outcome))
        })
        .unwrap();
        reports
    }

    // These tests drive the workers with tasks that misbehave on purpose; the real pipeline's
    // failures are covered by tests/batch_*.rs through the binary.

    #[test]
    fn every_task_is_reported_once() {
        let mut reports = run(2, None, 50, None, |k, _| k * 10);
        reports.sort_by_key(|(k, _)| *k);
        assert_eq!(reports.len(), 50);
        for (k, outcome) in reports {
            assert!(matches!(outcome, Outcome::Finished(v) if v == k * 10));
        }
        assert!(run(2, None, 0, None, |k, _| k).is_empty());
    }

    #[test]
    fn a_panic_is_one_tasks_failure_with_its_location() {
        let reports = run(1, None, 3, None, |k, ticket| {
            ticket.note("sha-of-forum");
            if k == 1 {
                panic!("Unsupported CMap UniKS-UCS2-H");
            }
            k
        });
        assert_eq!(reports.len(), 3);
        let (_, panicked) = reports.iter().find(|(k, _)| *k == 1).unwrap();
        let Outcome::Panicked { message, note } = panicked else {
            panic!("{panicked:?}");
        };
        assert!(
            message.starts_with("panic at src/batch/runner.rs:"),
            "{message}"
        );
        assert!(
            message.ends_with("Unsupported CMap UniKS-UCS2-H"),
            "{message}"
        );
        assert_eq!(note.as_deref(), Some("sha-of-forum"));
        // The others still ran.
        assert!(reports
            .iter()
            .filter(|(k, _)| *k != 1)
            .all(|(_, o)| matches!(o, Outcome::Finished(_))));
    }

    #[test]
    fn a_slow_task_is_abandoned_and_a_fresh_worker_runs_the_rest() {
        let (late_commit, committed) = mpsc::channel();
        let late_commit = Mutex::new(late_commit);
        let start = Instant::now();
        let reports = run(
            1,
            Some(Duration::from_millis(50)),
            4,
            None,
            move |k, ticket| {
                if k == 0 {
                    ticket.note("sha-of-slow");
                    std::thread::sleep(Duration::from_millis(400));
                    // Abandoned by now: it must not write.
                    let _ = late_commit.lock().unwrap().send(ticket.commit());
                }
                k
            },
        );
        // With one worker asleep in task 0, the others ran on its replacement, long before
        // task 0 woke up.
        assert!(
            start.elapsed() < Duration::from_millis(350),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(reports.len(), 4);
        let (_, first) = reports.iter().find(|(k, _)| *k == 0).unwrap();
        let Outcome::Abandoned { limit, note } = first else {
            panic!("{first:?}");
        };
        assert_eq!(*limit, Duration::from_millis(50));
        assert_eq!(note.as_deref(), Some("sha-of-slow"));
        assert_eq!(
            committed.recv_timeout(Duration::from_secs(5)),
            Ok(false),
            "an abandoned task may not commit"
        );
    }

    #[test]
    fn a_committed_task_is_not_abandoned_while_it_writes() {
        let reports = run(1, Some(Duration::from_millis(30)), 1, None, |_, ticket| {
            assert!(ticket.commit());
            std::thread::sleep(Duration::from_millis(120));
            "written"
        });
        assert!(matches!(reports[0].1, Outcome::Finished("written")));
    }

    #[test]
    fn the_warm_up_runs_beside_the_first_task() {
        let (started, task_started) = mpsc::channel::<()>();
        let started = Mutex::new(started);
        let (warmed, warm_up_saw) = mpsc::channel();
        // The warm-up waits for task 0 to start, and task 0 for the warm-up to end: only two
        // workers, one on each, get through.
        let (warm_up_done, wait_for_warm_up) = mpsc::channel::<()>();
        let wait_for_warm_up = Mutex::new(wait_for_warm_up);
        let warm_up: Box<dyn FnOnce() + Send> = Box::new(move || {
            let _ = warmed.send(task_started.recv_timeout(Duration::from_secs(5)).is_ok());
            let _ = warm_up_done.send(());
        });
        let reports = run(2, None, 3, Some(warm_up), move |k, _| {
            if k == 0 {
                let _ = started.lock().unwrap().send(());
                let waited = wait_for_warm_up
                    .lock()
                    .unwrap()
                    .recv_timeout(Duration::from_secs(5));
                return waited.is_ok();
            }
            true
        });
        assert_eq!(reports.len(), 3);
        assert!(reports
            .iter()
            .all(|(_, o)| matches!(o, Outcome::Finished(true))));
        assert_eq!(warm_up_saw.recv_timeout(Duration::from_secs(5)), Ok(true));
        // Exactly once: the warm-up's sender is gone after its one run.
        assert!(warm_up_saw
            .recv_timeout(Duration::from_millis(200))
            .is_err());
    }

    #[test]
    fn a_tasks_parallel_parts_stay_on_the_runs_workers() {
        use rayon::prelude::*;
        let reports = run(2, None, 2, None, |_, _| {
            (0..64)
                .into_par_iter()
                .map(|_| {
                    std::thread::sleep(Duration::from_millis(1));
                    std::thread::current().name().unwrap_or("").to_string()
                })
                .collect::<Vec<String>>()
        });
        for (_, outcome) in reports {
            let Outcome::Finished(names) = outcome else {
                panic!("{outcome:?}");
            };
            assert!(
                names.iter().all(|n| n.starts_with(DOCUMENT_THREAD)),
                "{names:?}"
            );
        }
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
