//! The `deid` command. All work happens in the library; this only maps the result to an
//! exit code.

fn main() {
    std::process::exit(deid_cli::run(std::env::args_os()));
}
