//! The `neardup` command. All the work is in the library; `cli` parses arguments and maps the
//! outcome to an exit code.

mod cli;

// Why jemalloc: see Cargo.toml. Not on MSVC, which the crate does not support.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
