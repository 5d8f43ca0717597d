//! The `neardup` command. All the work is in the library; `cli` parses arguments and maps the
//! outcome to an exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
