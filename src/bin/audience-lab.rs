//! `audience-lab`: the native CLI over the same engine as the browser (SPEC §5).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run());
}

/// The CLI is native only; the browser uses the `wasm` binding.
#[cfg(target_arch = "wasm32")]
fn main() {}
