//! Page isolation: pdf-extract panics on some fonts and content streams instead of returning
//! an error. Each page runs under `catch_unwind`; a panic becomes an error message for that
//! page, and the panic text never reaches the user's terminal.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// True while this thread runs isolated work: panics here are expected and reported.
    static SILENCED: Cell<bool> = const { Cell::new(false) };
}

static INSTALL_HOOK: Once = Once::new();

/// Installs (once per process) a panic hook that stays quiet on threads running isolated work
/// and defers to the previous hook everywhere else.
fn install_quiet_hook() {
    INSTALL_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !SILENCED.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `work`; a panic inside it is caught and returned as its message.
pub fn run_isolated<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    let was_silenced = SILENCED.with(|s| s.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    SILENCED.with(|s| s.set(was_silenced));
    outcome.map_err(|payload| {
        if let Some(message) = payload.downcast_ref::<&str>() {
            (*message).to_string()
        } else if let Some(message) = payload.downcast_ref::<String>() {
            message.clone()
        } else {
            "unknown panic".to_string()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        let result: Result<(), String> =
            run_isolated(|| panic!("unsupported encoding UniKS-UCS2-H"));
        assert_eq!(result, Err("unsupported encoding UniKS-UCS2-H".to_string()));
    }

    #[test]
    fn normal_work_passes_through() {
        assert_eq!(run_isolated(|| 2 + 2), Ok(4));
    }
}
