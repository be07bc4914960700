// The pinned toolchain versions, shared by scripts/setup.sh (which greps this file) and the build.
// The nightly builds the release wasm with `-Zbuild-std` and immediate-abort panics (smaller);
// scripts/setup.sh installs it with rust-src through rustup.
export const NIGHTLY = 'nightly-2026-10-30';
// The release build's RUSTFLAGS with the nightly (scripts/build.mjs; scripts/notices.mjs asks cargo
// for the same build's unit graph): immediate-abort panics, no Debug formatting or panic locations.
export const RELEASE_RUSTFLAGS = '-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none';
// `-Zbuild-std` for that build: std and panic_abort compiled from the nightly's rust-src.
export const BUILD_STD = '-Zbuild-std=std,panic_abort';
// std's features in that build: `optimize_for_size` (core and alloc pick their smaller algorithms:
// string formatting's padding and char counting, integer printing, sorting; −0.27 KB gzip), and
// neither of the defaults, `backtrace` (no backtraces on wasm32-unknown-unknown: it only built
// addr2line, gimli, object, miniz_oxide and adler2 for nothing) nor `panic-unwind` (panics abort).
export const BUILD_STD_FEATURES = '-Zbuild-std-features=optimize_for_size';
// The target the .wasm is built for.
export const WASM_TARGET = 'wasm32-unknown-unknown';
