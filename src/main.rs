//! The `docseal` binary: parse, dispatch, render an error once, exit.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = match cli::parse() {
        Ok(args) => match cli::run(args) {
            Ok(code) => code,
            Err(e) => {
                cli::print_error(&e);
                e.exit_code()
            }
        },
        Err(code) => code,
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
