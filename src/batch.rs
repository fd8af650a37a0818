//! The batch runner: collects inputs from files and directories, runs the pipeline on each,
//! writes the outputs. (Issue 6 adds parallelism, the manifest, resume and progress.)

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::analyze::Analyzer;
use crate::pipeline::PipelineOptions;

#[derive(Debug, Error)]
pub enum BatchError {
    #[error("cannot read {path}: {source}")]
    Walk {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: no such file or directory")]
    Missing { path: PathBuf },
}

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub output_dir: PathBuf,
    pub pipeline: PipelineOptions,
}

/// One input's outcome.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub input: PathBuf,
    pub result: Result<PathBuf, String>,
}

/// Lists the supported files under the given paths, sorted, recursing into directories.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, BatchError> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found)?;
        } else if path.exists() {
            found.push(path.clone());
        } else {
            return Err(BatchError::Missing { path: path.clone() });
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), BatchError> {
    let entries = std::fs::read_dir(dir).map_err(|source| BatchError::Walk {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| BatchError::Walk {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if crate::source::is_supported(&path) {
            found.push(path);
        }
    }
    Ok(())
}

/// Runs the pipeline on every input; one failure never stops the others.
pub fn run(options: &RunOptions, analyzer: &Analyzer) -> Result<Vec<Outcome>, BatchError> {
    let inputs = collect_inputs(&options.inputs)?;
    let outcomes = inputs
        .into_iter()
        .map(|input| {
            let result = crate::pipeline::process_file(&input, &options.pipeline, analyzer)
                .map_err(|e| e.to_string())
                .and_then(|document| {
                    let stem = input
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "document".to_string());
                    crate::emit::write_document(&options.output_dir, &stem, &document)
                        .map_err(|e| e.to_string())
                });
            Outcome { input, result }
        })
        .collect();
    Ok(outcomes)
}
