//! Documents in worker processes: the run hands each input to a long-lived child process (the
//! same binary, `jaryo worker`) over a pipe and gets its outputs back, serialised. A crash, an
//! abort, a stack overflow, a hang or a memory blow-up inside one document ends that child
//! only: the run reports the document as failed with the reason and starts a fresh worker.
//! Each worker limits its own address space (`setrlimit(RLIMIT_AS)`); the run kills a worker
//! (SIGKILL) whose document ran past the timeout, so the work really stops.
//!
//! The protocol, both ways: frames of a little-endian `u64` length and that many bytes. The
//! run sends a [`Setup`] once, then per document a [`Request`] and the input's bytes; the
//! worker answers each with a [`Reply`] and, when done, each output file as it is serialised:
//! data frames of at most [`CHUNK`] bytes and an end frame (see [`send_output`]). The run
//! writes each straight to its temporary file, so neither side holds an output whole.

use std::io::{BufReader, BufWriter, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::runner::{self, Ticket};
use super::{Processed, Summary};
use crate::emit::StagedOutputs;
use crate::extract::{PageEvent, PageObserver};
use crate::model::Format;
use crate::source::SourceFile;

/// The hidden subcommand a worker process runs.
pub const WORKER_COMMAND: &str = "worker";

/// The default limit of a worker's address space.
pub const DEFAULT_MAX_MEMORY: u64 = 2 << 30;

/// The smallest limit taken: a worker maps its binary, the dictionary, its threads' stacks
/// and the allocator's arenas (some 300 MiB of address space) before any document; at
/// 256 MiB a fresh worker could not always map the dictionary.
const MIN_MAX_MEMORY: u64 = 512 << 20;

/// How often a waiting run checks whether the document was abandoned or the run interrupted.
const POLL_INTERVAL_MS: i32 = 50;

/// How long a worker that stopped answering has to end by itself before it is killed.
const DEATH_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// The end of a worker's standard error kept to explain its death.
const STDERR_TAIL: usize = 4096;

#[derive(Debug, Error)]
pub enum WorkerError {
    #[error("worker: cannot read from the run: {0}")]
    Read(std::io::Error),
    #[error("worker: cannot answer the run: {0}")]
    Write(std::io::Error),
    #[error("worker: the run sent a malformed message: {0}")]
    Message(serde_json::Error),
    #[error("worker: cannot start the document threads: {0}")]
    Threads(String),
}

/// What a worker needs to know once, sent as its first message.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Setup {
    pub dictionary: Option<PathBuf>,
    pub user_dictionary: Option<crate::analyze::UserDict>,
    pub password: Option<String>,
    pub whole_fonts_per_page: bool,
    pub skip_quality: bool,
    /// Threads for one document's parallel parts.
    pub threads: usize,
    /// The address-space limit in bytes; none when `None`.
    pub max_memory: Option<u64>,
    /// Which outputs to render beside the JSON.
    pub emit: crate::emit::EmitOptions,
}

/// One document to process; its bytes follow in the next frame.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    path: PathBuf,
    sha256: String,
    format: Format,
    output_dir: PathBuf,
    name: String,
}

/// A worker's answer to one request: any number of `Progress` frames, then `Done` or
/// `Failed`.
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    /// How far the document's extraction got.
    Progress(PageEvent),
    /// The output files follow in this order (paths relative to the output directory), each
    /// as data frames and an end frame.
    Done {
        summary: Summary,
        files: Vec<String>,
    },
    /// The document failed: the one-line reason.
    Failed(String),
}

fn write_frame(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(bytes)
}

/// The next frame; `None` at a clean end of input. Read as it comes, so a wrong length cannot
/// make the reader reserve memory the bytes are not there for.
fn read_frame(input: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut length = [0u8; 8];
    match input.read_exact(&mut length) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let length = u64::from_le_bytes(length);
    let mut bytes = Vec::new();
    input.take(length).read_to_end(&mut bytes)?;
    if (bytes.len() as u64) < length {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(bytes))
}

fn read_required(input: &mut impl Read) -> std::io::Result<Vec<u8>> {
    read_frame(input)?.ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into())
}

/// The most bytes of an output one data frame carries.
const CHUNK: usize = 1 << 18;

/// The first byte of each frame of a streamed output: what the rest is.
const DATA: u8 = 0;
/// The output is complete.
const END: u8 = 1;
/// The output could not be made: the rest is the reason.
const ERROR: u8 = 2;

/// Frames an output as it is written: data frames of up to [`CHUNK`] bytes.
struct Chunked<'a, W: Write> {
    out: &'a mut W,
    /// `DATA` and the bytes not yet sent.
    buffer: Vec<u8>,
}

impl<W: Write> Chunked<'_, W> {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.len() > 1 {
            write_frame(self.out, &self.buffer)?;
            self.buffer.truncate(1);
        }
        Ok(())
    }
}

impl<W: Write> Write for Chunked<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() > CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends one output written by `write` as data frames and an end frame (an error frame with
/// the reason when `write` fails for another reason than the pipe).
fn send_output<W: Write>(
    out: &mut W,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut chunked = Chunked {
        out,
        buffer: Vec::with_capacity(CHUNK + 1),
    };
    chunked.buffer.push(DATA);
    let written = write(&mut chunked).and_then(|()| chunked.send());
    match written {
        Ok(()) => write_frame(out, &[END]),
        Err(e) => {
            let mut frame = vec![ERROR];
            frame.extend_from_slice(e.to_string().as_bytes());
            write_frame(out, &frame)
        }
    }
}

/// Receives one output sent by [`send_output`] into `sink` (none when it could not be
/// opened: the frames are read all the same). The reason when the worker could not make it,
/// the write error when `sink` failed; an I/O error when the pipe broke.
fn receive_output(
    input: &mut impl Read,
    mut sink: Option<&mut dyn Write>,
) -> std::io::Result<Result<(), String>> {
    let mut failed = None;
    loop {
        let frame = read_required(input)?;
        match frame.split_first() {
            Some((&DATA, bytes)) => {
                if let Some(out) = sink.as_deref_mut() {
                    if let Err(e) = out.write_all(bytes) {
                        failed.get_or_insert(crate::source::io_reason(&e));
                        sink = None;
                    }
                }
            }
            Some((&END, _)) => break,
            Some((&ERROR, reason)) => {
                failed = Some(String::from_utf8_lossy(reason).into_owned());
                break;
            }
            _ => return Err(std::io::Error::other("a malformed output frame")),
        }
    }
    Ok(failed.map_or(Ok(()), Err))
}

// ---------------------------------------------------------------------------------------
// The worker side.

/// `jaryo worker`: serves the run on standard input and output until the run closes the
/// pipe. Anything a library prints to standard output goes to standard error instead, so it
/// cannot corrupt the answers.
pub fn serve() -> Result<(), WorkerError> {
    // SAFETY: plain descriptor calls on this process's own standard streams.
    let answers = unsafe {
        let fd = libc::dup(libc::STDOUT_FILENO);
        if fd < 0 {
            return Err(WorkerError::Write(std::io::Error::last_os_error()));
        }
        libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO);
        std::fs::File::from_raw_fd(fd)
    };
    let mut input = BufReader::new(std::io::stdin().lock());
    // Shared with the page reports, which come from the document's threads.
    let output = Arc::new(Mutex::new(BufWriter::new(answers)));
    let setup: Setup =
        serde_json::from_slice(&read_required(&mut input).map_err(WorkerError::Read)?)
            .map_err(WorkerError::Message)?;
    confine(setup.max_memory);

    let analyzer = Arc::new(crate::analyze::LazyAnalyzer::with_user_dict(
        setup.dictionary.as_deref().unwrap_or(Path::new("")),
        setup.user_dictionary.clone(),
    ));
    let warm = Arc::clone(&analyzer);
    // Beside the first document, as in the run itself; a failed start only means the
    // documents do that work themselves.
    let _ = std::thread::Builder::new()
        .name("jaryo-warm-up".into())
        .spawn(move || crate::pipeline::warm_up(&warm));
    runner::install_panic_hook();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(setup.threads.max(1))
        .stack_size(runner::DOCUMENT_STACK)
        .thread_name(|i| format!("{}-{i}", runner::DOCUMENT_THREAD))
        .build()
        .map_err(|e| WorkerError::Threads(e.to_string()))?;
    let mut options = crate::pipeline::PipelineOptions::default();
    options.extract.password = setup.password.clone();
    options.extract.whole_fonts_per_page = setup.whole_fonts_per_page;
    options.skip_quality = setup.skip_quality;

    while let Some(header) = read_frame(&mut input).map_err(WorkerError::Read)? {
        let request: Request = serde_json::from_slice(&header).map_err(WorkerError::Message)?;
        let bytes = read_required(&mut input).map_err(WorkerError::Read)?;
        let source = SourceFile {
            path: request.path,
            bytes,
            sha256: request.sha256,
            format: request.format,
        };
        let mut options = options.clone();
        options.extract.observer = Some(page_reporter(Arc::clone(&output)));
        let result = pool.install(|| {
            runner::catch_panic(|| {
                let document = crate::pipeline::process_source_lazily(&source, &options, &analyzer)
                    .map_err(|e| e.to_string())?;
                drop(source);
                Ok(document)
            })
            .unwrap_or_else(|message| Err(format!("internal error: {message}")))
        });
        let mut output = output.lock().unwrap_or_else(|p| p.into_inner());
        answer(&mut *output, result, &request.name, &setup.emit).map_err(WorkerError::Write)?;
    }
    Ok(())
}

/// At most one page report per this many milliseconds: the pages extracted meanwhile are
/// added up (a PDF of 100,000 empty pages must not cost 100,000 writes).
const PAGE_REPORT_INTERVAL_MS: u64 = 20;

/// An observer that sends the document's page events to the run as `Progress` frames. A
/// failed write is left for the answer to find.
fn page_reporter(output: Arc<Mutex<BufWriter<std::fs::File>>>) -> PageObserver {
    let interval = std::time::Duration::from_millis(PAGE_REPORT_INTERVAL_MS);
    // Pages extracted and not yet reported, and when the last report went.
    let pending = Mutex::new((0u32, std::time::Instant::now() - interval));
    PageObserver::new(move |event| {
        let event = match event {
            PageEvent::Opened { .. } => event,
            PageEvent::Extracted { pages } => {
                let mut pending = pending.lock().unwrap_or_else(|p| p.into_inner());
                pending.0 = pending.0.saturating_add(pages);
                if pending.1.elapsed() < interval {
                    return;
                }
                let pages = std::mem::take(&mut pending.0);
                pending.1 = std::time::Instant::now();
                PageEvent::Extracted { pages }
            }
        };
        if let Ok(frame) = serde_json::to_vec(&Reply::Progress(event)) {
            let mut output = output.lock().unwrap_or_else(|p| p.into_inner());
            let _ = write_frame(&mut *output, &frame).and_then(|()| output.flush());
        }
    })
}

/// Sends the outputs of `result` named `name`, or why it failed.
fn answer(
    output: &mut impl Write,
    result: Result<crate::document::Document, String>,
    name: &str,
    emit: &crate::emit::EmitOptions,
) -> std::io::Result<()> {
    let json = |reply: &Reply| serde_json::to_vec(reply).map_err(std::io::Error::other);
    match result {
        Ok(document) => {
            let outputs = crate::emit::Outputs::new(&document, name, emit);
            let list = outputs.list();
            let reply = Reply::Done {
                summary: Processed::summary(&document),
                files: list.iter().map(|o| o.file(name)).collect(),
            };
            write_frame(output, &json(&reply)?)?;
            for file in list {
                send_output(output, |out| outputs.write(file, out))?;
            }
        }
        Err(reason) => write_frame(output, &json(&Reply::Failed(reason))?)?,
    }
    output.flush()
}

/// The worker's own limits: its address space, Ctrl-C left to the run (which is in the same
/// process group), and death with the run.
fn confine(max_memory: Option<u64>) {
    // SAFETY: plain system calls with valid arguments on this process.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        if let Some(bytes) = max_memory {
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The run's side.

/// One worker process and its pipes.
struct Worker {
    child: Child,
    input: BufWriter<ChildStdin>,
    output: BufReader<ChildStdout>,
    /// What its standard error said, kept by a thread that reads it.
    stderr: Arc<Mutex<StderrLog>>,
    stderr_reader: Option<JoinHandle<()>>,
}

impl Worker {
    /// Kills the process and waits for it; returns how it ended.
    fn kill(mut self) -> Option<ExitStatus> {
        let _ = self.child.kill();
        self.finish()
    }

    /// Waits for the process to end (its output closed, it is ending) and for its standard
    /// error; one that is still alive after `DEATH_GRACE` (it wrote something that is not an
    /// answer) is killed.
    fn finish(&mut self) -> Option<ExitStatus> {
        let start = std::time::Instant::now();
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if start.elapsed() < DEATH_GRACE => {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Ok(None) => {
                    let _ = self.child.kill();
                    break self.child.wait().ok();
                }
                Err(_) => break None,
            }
        };
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        status
    }

    fn stderr_log(&self) -> (String, Option<Death>) {
        let log = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        (String::from_utf8_lossy(&log.tail).into_owned(), log.sign)
    }
}

/// A worker's standard error: its end, and the first sign of a fatal error seen in it (the
/// message comes before a backtrace that may push it out of the end).
#[derive(Debug, Default)]
struct StderrLog {
    tail: Vec<u8>,
    sign: Option<Death>,
}

/// What the pool's spawning thread is asked to do.
type SpawnRequest = mpsc::Sender<Result<Worker, String>>;

struct PoolState {
    idle: Vec<Worker>,
}

/// Long-lived worker processes, restarted as they die. Every process is started by one
/// thread that lives as long as the pool: a worker dies with it (`PR_SET_PDEATHSIG` follows
/// the thread that started the process), so none outlives the run.
pub struct WorkerPool {
    setup: Setup,
    state: Mutex<PoolState>,
    spawner: Mutex<mpsc::Sender<SpawnRequest>>,
    stop: Option<Arc<AtomicBool>>,
}

impl WorkerPool {
    /// A pool running `exe worker` with `setup`, `prestart` of them started now. `stop`, once
    /// set, kills the documents in flight.
    pub fn new(
        exe: PathBuf,
        setup: Setup,
        prestart: usize,
        stop: Option<Arc<AtomicBool>>,
    ) -> Result<Arc<WorkerPool>, String> {
        let (requests, incoming) = mpsc::channel::<SpawnRequest>();
        let thread_setup = setup.clone();
        std::thread::Builder::new()
            .name("jaryo-spawner".into())
            .spawn(move || {
                for reply in incoming {
                    let _ = reply.send(spawn(&exe, &thread_setup));
                }
            })
            .map_err(|e| format!("cannot start the worker spawner: {e}"))?;
        let pool = Arc::new(WorkerPool {
            setup,
            state: Mutex::new(PoolState { idle: Vec::new() }),
            spawner: Mutex::new(requests),
            stop,
        });
        // Started together, each loading while the others start.
        let pending: Vec<_> = (0..prestart).map(|_| pool.request_spawn()).collect();
        for reply in pending.into_iter().flatten() {
            if let Ok(Ok(worker)) = reply.recv() {
                pool.lock().idle.push(worker);
            }
        }
        Ok(pool)
    }

    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn request_spawn(&self) -> Option<mpsc::Receiver<Result<Worker, String>>> {
        let (reply, receive) = mpsc::channel();
        let sent = self
            .spawner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(reply);
        sent.ok().map(|()| receive)
    }

    fn acquire(&self) -> Result<Worker, String> {
        if let Some(worker) = self.lock().idle.pop() {
            return Ok(worker);
        }
        self.request_spawn()
            .and_then(|receive| receive.recv().ok())
            .unwrap_or_else(|| Err("the worker spawner has stopped".to_string()))
    }

    fn stopping(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst))
    }

    /// Processes `source` in a worker: its outputs, or the one-line reason it failed (the
    /// worker's death explained: signal, memory limit, stack overflow).
    pub fn process(
        &self,
        source: &SourceFile,
        output_dir: &Path,
        name: &str,
        ticket: &Ticket,
        observer: &PageObserver,
    ) -> Result<Processed, String> {
        let mut worker = self
            .acquire()
            .map_err(|e| format!("cannot start a worker process: {e}"))?;
        let request = Request {
            path: source.path.clone(),
            sha256: source.sha256.clone(),
            format: source.format,
            output_dir: output_dir.to_path_buf(),
            name: name.to_string(),
        };
        let sent = serde_json::to_vec(&request)
            .map_err(std::io::Error::other)
            .and_then(|header| {
                write_frame(&mut worker.input, &header)?;
                write_frame(&mut worker.input, &source.bytes)?;
                worker.input.flush()
            });
        if sent.is_err() {
            return Err(self.death(worker));
        }
        // Wait for the answer, watching for the timeout and for Ctrl-C, passing on the page
        // reports that come before it.
        let received = loop {
            if ticket.abandoned() {
                worker.kill();
                return Err("abandoned at the timeout".to_string());
            }
            if self.stopping() {
                worker.kill();
                return Err(INTERRUPTED.to_string());
            }
            if !worker.output.buffer().is_empty() || readable(&worker.output, POLL_INTERVAL_MS) {
                match receive(&mut worker.output, output_dir, name) {
                    Ok(Received::Progress(event)) => (observer.0)(event),
                    Ok(Received::Answer(answer)) => break Ok(answer),
                    Err(error) => break Err(error),
                }
            }
        };
        match received {
            Ok(Ok(processed)) => {
                self.lock().idle.push(worker);
                Ok(processed)
            }
            Ok(Err(reason)) => {
                self.lock().idle.push(worker);
                Err(reason)
            }
            Err(_) => Err(self.death(worker)),
        }
    }

    /// Why `worker` stopped answering (waiting for it to end: its output closed, it has).
    fn death(&self, mut worker: Worker) -> String {
        let status = worker.finish();
        let (tail, sign) = worker.stderr_log();
        death_reason(status, sign, &tail, self.setup.max_memory)
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        for worker in self.lock().idle.drain(..) {
            worker.kill();
        }
    }
}

/// The reason given for a document whose processing the run stopped at Ctrl-C.
pub const INTERRUPTED: &str = "interrupted";

/// Whether `output` has something to read (or is closed) within `millis`.
fn readable(output: &BufReader<ChildStdout>, millis: i32) -> bool {
    let mut fd = libc::pollfd {
        fd: output.get_ref().as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let ready = unsafe { libc::poll(&mut fd, 1, millis) };
    ready > 0
}

/// What a reply said: a page report, or the answer (the outputs or the document's failure).
enum Received {
    Progress(PageEvent),
    Answer(Result<Processed, String>),
}

/// Reads one reply, writing the outputs of a finished document under `dir` as they come (not
/// yet in place); an I/O error when the worker died.
fn receive(output: &mut impl Read, dir: &Path, name: &str) -> std::io::Result<Received> {
    let header = read_required(output)?;
    let reply: Reply = serde_json::from_slice(&header).map_err(std::io::Error::other)?;
    Ok(match reply {
        Reply::Progress(event) => Received::Progress(event),
        Reply::Failed(reason) => Received::Answer(Err(reason)),
        Reply::Done { summary, files } => {
            let mut outputs = StagedOutputs::new(dir, name);
            // The first failure; the other files are read all the same.
            let mut failed = None;
            for file in files {
                let mut writer = match outputs.open(&file) {
                    Ok(writer) => Some(writer),
                    Err(e) => {
                        failed.get_or_insert(e.to_string());
                        None
                    }
                };
                let sink = writer.as_mut().map(|w| w as &mut dyn Write);
                match receive_output(output, sink)? {
                    Ok(()) => {}
                    Err(reason) => {
                        failed.get_or_insert(format!(
                            "cannot write {}: {reason}",
                            dir.join(&file).display()
                        ));
                        writer = None;
                    }
                }
                if let (Some(writer), None) = (writer, &failed) {
                    match writer.finish() {
                        Ok(file) => outputs.add(file),
                        Err(e) => failed = Some(e.to_string()),
                    }
                }
            }
            Received::Answer(match failed {
                Some(reason) => Err(reason),
                None => Ok(Processed { summary, outputs }),
            })
        }
    })
}

/// Starts `exe worker` and sends it `setup`.
fn spawn(exe: &Path, setup: &Setup) -> Result<Worker, String> {
    let mut child = Command::new(exe)
        .arg(WORKER_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    let (Some(stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err("the worker's pipes are missing".to_string());
    };
    let tail = Arc::new(Mutex::new(StderrLog::default()));
    let keep = Arc::clone(&tail);
    let stderr_reader = std::thread::Builder::new()
        .name("jaryo-worker-stderr".into())
        .spawn(move || keep_tail(stderr, &keep))
        .ok();
    let mut worker = Worker {
        child,
        input: BufWriter::new(stdin),
        output: BufReader::with_capacity(1 << 16, stdout),
        stderr: tail,
        stderr_reader,
    };
    let sent = serde_json::to_vec(setup)
        .map_err(std::io::Error::other)
        .and_then(|bytes| {
            write_frame(&mut worker.input, &bytes)?;
            worker.input.flush()
        });
    if let Err(e) = sent {
        worker.kill();
        return Err(format!("cannot set up a worker: {e}"));
    }
    Ok(worker)
}

/// Keeps the last `STDERR_TAIL` bytes of `stderr` in `log`, and the first sign of a fatal
/// error, until it closes.
fn keep_tail(mut stderr: impl Read, log: &Mutex<StderrLog>) {
    let mut buffer = [0u8; 4096];
    while let Ok(n) = stderr.read(&mut buffer) {
        if n == 0 {
            break;
        }
        let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
        log.tail.extend_from_slice(&buffer[..n]);
        if log.sign.is_none() {
            // The tail before this read is still there: a sign cut in two is found whole.
            log.sign = death_sign(&String::from_utf8_lossy(&log.tail));
        }
        if log.tail.len() > STDERR_TAIL {
            let cut = log.tail.len() - STDERR_TAIL;
            log.tail.drain(..cut);
        }
    }
}

fn death_sign(text: &str) -> Option<Death> {
    DEATH_SIGNS
        .iter()
        .find(|(sign, _)| text.contains(sign))
        .map(|(_, death)| *death)
}

/// What a worker's standard error says about its death, checked in order.
const DEATH_SIGNS: &[(&str, Death)] = &[
    // Rust's allocation failure: "memory allocation of 1073741824 bytes failed".
    ("memory allocation of", Death::Memory),
    // Rust's guard page: "thread 'jaryo-document-0' has overflowed its stack".
    ("has overflowed its stack", Death::Stack),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Death {
    Memory,
    Stack,
}

/// The one-line reason for a worker's death: how it ended, what its standard error said.
fn death_reason(
    status: Option<ExitStatus>,
    sign: Option<Death>,
    stderr: &str,
    max_memory: Option<u64>,
) -> String {
    let how = match status {
        Some(status) => match (status.signal(), status.code()) {
            (Some(signal), _) => format!("signal {signal}{}", signal_name(signal)),
            (None, Some(code)) => format!("exit status {code}"),
            (None, None) => "unknown status".to_string(),
        },
        None => "status unknown".to_string(),
    };
    match sign {
        Some(Death::Memory) => match max_memory {
            Some(limit) => format!(
                "memory limit {} exceeded (worker {how})",
                human_bytes(limit)
            ),
            None => format!("out of memory (worker {how})"),
        },
        Some(Death::Stack) => format!("stack overflow (worker {how})"),
        None => {
            // Backtrace lines say nothing a user can act on.
            let last = stderr
                .lines()
                .filter(|l| !l.contains("RUST_BACKTRACE") && !l.trim_start().starts_with("at "))
                .map(str::trim)
                .rfind(|l| !l.is_empty())
                .map(|l| format!(": {}", l.chars().take(200).collect::<String>()))
                .unwrap_or_default();
            let verb = match status.and_then(|s| s.signal()) {
                Some(libc::SIGABRT) => "aborted",
                Some(libc::SIGKILL) => "was killed",
                Some(_) => "crashed",
                None => "exited",
            };
            format!("worker {verb} ({how}){last}")
        }
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => " SIGABRT",
        libc::SIGKILL => " SIGKILL",
        libc::SIGSEGV => " SIGSEGV",
        libc::SIGBUS => " SIGBUS",
        libc::SIGILL => " SIGILL",
        libc::SIGFPE => " SIGFPE",
        _ => "",
    }
}

/// `2 GiB`, `700 MiB`, `1536 MiB`: a limit as a person reads it (exact when it can be).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: &[(u64, &str)] = &[(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for &(size, unit) in UNITS {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{} {unit}", bytes / size);
        }
    }
    for &(size, unit) in UNITS {
        if bytes >= size {
            return format!("{:.1} {unit}", bytes as f64 / size as f64);
        }
    }
    format!("{bytes} B")
}

/// Parses `2G`, `700M`, `512MiB`, `1.5GB`, `1073741824`: binary units.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("not a size: {text} (e.g. 2G, 700M)"))?;
    let scale: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        "T" | "TB" | "TIB" => 1 << 40,
        _ => return Err(format!("unknown unit in {text} (use K, M or G)")),
    };
    let bytes = number * scale as f64;
    if !(bytes >= MIN_MAX_MEMORY as f64 && bytes.is_finite()) {
        return Err(format!(
            "{text} is too small for a worker (at least {})",
            human_bytes(MIN_MAX_MEMORY)
        ));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_lying_length_is_an_error() {
        let mut bytes = Vec::new();
        write_frame(&mut bytes, b"setup").unwrap();
        write_frame(&mut bytes, b"").unwrap();
        let mut input = bytes.as_slice();
        assert_eq!(read_frame(&mut input).unwrap().unwrap(), b"setup");
        assert_eq!(read_frame(&mut input).unwrap().unwrap(), b"");
        assert!(read_frame(&mut input).unwrap().is_none());
        // A length of 2^60 with three bytes behind it: an error, not a 2^60-byte reservation.
        let mut lying = (1u64 << 60).to_le_bytes().to_vec();
        lying.extend_from_slice(b"abc");
        assert!(read_frame(&mut lying.as_slice()).is_err());
    }

    #[test]
    fn page_reports_come_before_the_answer() {
        let mut bytes = Vec::new();
        for reply in [
            Reply::Progress(PageEvent::Opened { pages: 82 }),
            Reply::Progress(PageEvent::Extracted { pages: 3 }),
            Reply::Failed("seoul_social_economy_forum_2020.pdf: damaged".to_string()),
        ] {
            write_frame(&mut bytes, &serde_json::to_vec(&reply).unwrap()).unwrap();
        }
        let mut input = bytes.as_slice();
        let mut events = Vec::new();
        let answer = loop {
            match receive(&mut input, Path::new("/nonexistent"), "forum").unwrap() {
                Received::Progress(event) => events.push(event),
                Received::Answer(answer) => break answer,
            }
        };
        assert_eq!(
            events,
            [
                PageEvent::Opened { pages: 82 },
                PageEvent::Extracted { pages: 3 }
            ]
        );
        assert_eq!(
            answer.err().as_deref(),
            Some("seoul_social_economy_forum_2020.pdf: damaged")
        );
    }

    #[test]
    fn streamed_outputs_are_staged_and_put_in_place_together() {
        let document = crate::emit::tests::sample();
        let emit = crate::emit::EmitOptions::default();
        let mut bytes = Vec::new();
        answer(&mut bytes, Ok(document.clone()), "forum", &emit).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let Received::Answer(Ok(processed)) =
            receive(&mut bytes.as_slice(), dir.path(), "forum").unwrap()
        else {
            panic!("no outputs");
        };
        assert_eq!(processed.summary.blocks, 2);
        // Staged, not yet in place.
        assert!(!dir.path().join("forum.json").exists());
        let written = processed.outputs.commit().unwrap();
        assert_eq!(written.files.len(), 5, "{:?}", written.files);
        let json = std::fs::read(dir.path().join("forum.json")).unwrap();
        assert_eq!(json, crate::emit::document_json(&document).unwrap());
        let csv = std::fs::read_to_string(dir.path().join("forum/tables/1.csv")).unwrap();
        assert!(csv.starts_with("구분,참여 기관,참여 인원\r\n"), "{csv}");
    }

    #[test]
    fn a_failed_output_leaves_nothing_behind_and_the_stream_stays_in_step() {
        let mut bytes = Vec::new();
        let reply = Reply::Done {
            summary: Summary {
                pages: 1,
                blocks: 0,
                flags: Default::default(),
            },
            files: vec!["forum.blocks.jsonl".into(), "forum.json".into()],
        };
        write_frame(&mut bytes, &serde_json::to_vec(&reply).unwrap()).unwrap();
        send_output(&mut bytes, |out| out.write_all(&[b'x'; 3 * CHUNK])).unwrap();
        send_output(&mut bytes, |_| Err(std::io::Error::other("no JSON"))).unwrap();
        write_frame(
            &mut bytes,
            &serde_json::to_vec(&Reply::Failed("next".into())).unwrap(),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut input = bytes.as_slice();
        let Received::Answer(Err(reason)) = receive(&mut input, dir.path(), "forum").unwrap()
        else {
            panic!("the failure was not reported");
        };
        assert!(reason.contains("no JSON"), "{reason}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        // The next reply is read whole.
        assert!(matches!(
            receive(&mut input, dir.path(), "forum").unwrap(),
            Received::Answer(Err(r)) if r == "next"
        ));
    }

    #[test]
    fn deaths_are_explained() {
        let abort = ExitStatus::from_raw(libc::SIGABRT);
        let stderr = "memory allocation of 25769803776 bytes failed\n";
        let reason = death_reason(
            Some(abort),
            death_sign(stderr),
            stderr,
            Some(DEFAULT_MAX_MEMORY),
        );
        assert_eq!(
            reason,
            "memory limit 2 GiB exceeded (worker signal 6 SIGABRT)"
        );
        let stderr = "\nthread 'jaryo-document-0' has overflowed its stack\nfatal runtime error: stack overflow\n";
        let reason = death_reason(Some(abort), death_sign(stderr), stderr, None);
        assert_eq!(reason, "stack overflow (worker signal 6 SIGABRT)");
        let reason = death_reason(Some(ExitStatus::from_raw(libc::SIGSEGV)), None, "", None);
        assert_eq!(reason, "worker crashed (signal 11 SIGSEGV)");
        let reason = death_reason(Some(ExitStatus::from_raw(3 << 8)), None, "boom\n", None);
        assert_eq!(reason, "worker exited (exit status 3): boom");
    }

    #[test]
    fn sizes_parse_in_binary_units() {
        assert_eq!(parse_bytes("2G"), Ok(2 << 30));
        assert_eq!(parse_bytes("700M"), Ok(700 << 20));
        assert_eq!(parse_bytes("1.5GiB"), Ok(3 << 29));
        assert!(parse_bytes("12").is_err());
        assert!(parse_bytes("256M").is_err());
        assert!(parse_bytes("2X").is_err());
        assert_eq!(human_bytes(2 << 30), "2 GiB");
        assert_eq!(human_bytes(700 << 20), "700 MiB");
        assert_eq!(human_bytes(3 << 29), "1536 MiB");
        assert_eq!(human_bytes((2 << 30) + 1), "2.0 GiB");
    }
}
