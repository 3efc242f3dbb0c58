//! `docseal completions SHELL` and `docseal man`: shell completions
//! (clap_complete) and a man page (clap_mangen) generated from the same
//! command definition as `--help`, so they never drift from it. The man
//! page adds EXIT STATUS, ENVIRONMENT and FILES sections from `help`.

use std::io::Write as _;

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

/// Prints the man page (roff, section 1) on stdout.
pub fn man() -> Result<i32> {
    let man = clap_mangen::Man::new(super::command());
    let mut out = Vec::new();
    let render = |out: &mut Vec<u8>| -> std::io::Result<()> {
        man.render_title(out)?;
        man.render_name_section(out)?;
        man.render_synopsis_section(out)?;
        man.render_description_section(out)?;
        man.render_options_section(out)?;
        man.render_subcommands_section(out)?;
        out.write_all(reference_sections().render().as_bytes())?;
        man.render_version_section(out)
    };
    render(&mut out).map_err(|e| Error::io("<man page>".as_ref(), "render", e))?;
    print(&out)
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
