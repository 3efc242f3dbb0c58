//! A progress bar on stderr, only when stderr is a terminal and not quiet.

use std::io::IsTerminal;
use std::sync::Mutex;

use docseal::progress::{Progress, Silent};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar drawn by indicatif; hidden until the work has taken a moment.
pub struct Bar(Mutex<Option<ProgressBar>>);

impl Progress for Bar {
    fn start(&self, what: &str, bytes: u64, files: u64) {
        let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style.progress_chars("=> "));
        bar.set_message(format!("{what} {files} files"));
        if let Ok(mut g) = self.0.lock() {
            *g = Some(bar);
        }
    }
    fn advance(&self, bytes: u64) {
        if let Ok(g) = self.0.lock() {
            if let Some(b) = g.as_ref() {
                b.inc(bytes);
            }
        }
    }
    fn finish(&self) {
        if let Ok(mut g) = self.0.lock() {
            if let Some(b) = g.take() {
                b.finish_and_clear();
            }
        }
    }
}

/// The progress sink for a command: a bar on a terminal, otherwise nothing.
pub fn for_command(quiet: bool, json: bool) -> Box<dyn Progress> {
    if quiet
        || json
        || !std::io::stderr().is_terminal()
        || std::env::var_os("TERM").is_some_and(|t| t == "dumb")
    {
        Box::new(Silent)
    } else {
        Box::new(Bar(Mutex::new(None)))
    }
}
