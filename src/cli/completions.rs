//! `docseal completions SHELL` and `docseal man`: shell completions
//! (clap_complete) and a man page (clap_mangen) generated from the same
//! command definition as `--help`, so they never drift from it. The man
//! page adds EXIT STATUS, ENVIRONMENT and FILES sections from `help`.

use clap::Args;
use clap_complete::Shell;
use clap_mangen::roff::{bold, roman, Roff};
use docseal::error::{exit, Error, Result};

use super::help;

/// Arguments of `completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to print completions for.
    #[arg(value_name = "SHELL", value_enum)]
    shell: Shell,
}

/// Prints the completion script for the shell asked for on stdout.
pub fn completions(a: CompletionsArgs) -> Result<i32> {
    let mut cmd = super::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "docseal", &mut out);
    print(&out)
}

/// Prints the man page (roff, section 1) on stdout: clap_mangen's page
/// with EXIT STATUS, ENVIRONMENT and FILES before its VERSION section.
pub fn man() -> Result<i32> {
    let mut out = Vec::new();
    clap_mangen::Man::new(super::base_command())
        .render(&mut out)
        .map_err(|e| Error::io("<man page>".as_ref(), "render", e))?;
    let page = String::from_utf8_lossy(&out);
    let extra = reference_sections().to_roff();
    let page = match page.find(".SH VERSION") {
        Some(at) => format!("{}{extra}{}", &page[..at], &page[at..]),
        None => format!("{page}{extra}"),
    };
    super::print_out(&page)?;
    Ok(exit::OK)
}

/// EXIT STATUS, ENVIRONMENT and FILES as roff.
fn reference_sections() -> Roff {
    let mut roff = Roff::new();
    for (title, rows) in [
        ("EXIT STATUS", help::EXIT_CODES),
        ("ENVIRONMENT", help::ENVIRONMENT),
        ("FILES", help::FILES),
    ] {
        roff.control("SH", [title]);
        for (k, v) in rows {
            roff.control("TP", []);
            roff.text([bold(*k)]);
            roff.text([roman(*v)]);
        }
    }
    roff
}

fn print(bytes: &[u8]) -> Result<i32> {
    super::print_out(&String::from_utf8_lossy(bytes))?;
    Ok(exit::OK)
}
