//! `audience-lab`: the native CLI over the same engine as the browser (SPEC §5).

mod cli;

fn main() {
    std::process::exit(cli::run());
}
