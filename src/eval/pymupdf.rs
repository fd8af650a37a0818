//! The PyMuPDF baseline of `jaryo eval`: runs `python3` with PyMuPDF's default text extraction
//! (`page.get_text()`, pages joined by form feeds) so its figures print beside jaryo's and
//! pdftotext's. When PyMuPDF is not installed the column says so (`pip install pymupdf`).

use std::path::Path;
use std::process::Command;

/// The script: exit 3 when PyMuPDF cannot be imported, else every page's default text.
const SCRIPT: &str = r#"
import sys
try:
    import pymupdf
except ImportError:
    try:
        import fitz as pymupdf
    except ImportError:
        sys.exit(3)
doc = pymupdf.open(sys.argv[1])
sys.stdout.write("\f".join(page.get_text() for page in doc))
"#;

/// The exit code [`SCRIPT`] uses for "PyMuPDF is not installed".
const NOT_INSTALLED: i32 = 3;

/// The message of a run without PyMuPDF (the report prints it instead of figures).
pub const SKIPPED: &str = "PyMuPDF not installed (pip install pymupdf): column skipped";

/// PyMuPDF's text of `pdf` (`page.get_text()` per page, joined by form feeds).
pub fn run_pymupdf(pdf: &Path) -> Result<String, String> {
    let output = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(pdf)
        .output()
        .map_err(|e| format!("cannot run python3 for PyMuPDF: {e}"))?;
    match output.status.code() {
        Some(0) => Ok(String::from_utf8_lossy(&output.stdout).into_owned()),
        Some(NOT_INSTALLED) => Err(SKIPPED.to_string()),
        _ => Err(format!(
            "PyMuPDF failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}
