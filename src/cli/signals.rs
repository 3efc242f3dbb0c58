//! Ctrl-C and SIGTERM: remove the temporary outputs, then exit.
//!
//! Commands that write (pack, sign, extract) install this before they
//! create anything, but after any passphrase prompt (a signal during the
//! prompt keeps its default effect: nothing exists yet to clean up). A handler thread waits for SIGINT or SIGTERM, removes every
//! temporary file and folder registered with [`docseal::interrupt`], says
//! so on stderr, and exits with 128 + the signal's number (130 for SIGINT,
//! 143 for SIGTERM), as shells report a command killed by that signal.
//! Elsewhere than Unix it installs nothing (the platform's default applies).

/// Installs the handler (once; later calls do nothing).
pub fn install() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use signal_hook::consts::{SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    let removed = docseal::interrupt::remove_all();
                    let name = if sig == SIGINT { "SIGINT" } else { "SIGTERM" };
                    eprintln!(
                        "docseal: interrupted by {name}; removed {removed} unfinished output(s)"
                    );
                    std::process::exit(128 + sig);
                }
            });
        });
    }
}
