// The pinned toolchain versions, shared by scripts/setup.sh (which greps this file) and the build.
// The nightly builds the release wasm with `-Zbuild-std` and immediate-abort panics (smaller);
// scripts/setup.sh installs it with rust-src through rustup.
export const NIGHTLY = 'nightly-2026-10-30';
// The release build's RUSTFLAGS with the nightly (scripts/build.mjs; scripts/notices.mjs asks cargo
// for the same build's unit graph): immediate-abort panics, no Debug formatting or panic locations,
// and MIR inlining, which rustc runs for opt-level 2 and 3 but leaves off for `z`: on, it folds the
// small generic wrappers (futures' polls, conversions, std's helpers) into their callers before
// monomorphization copies them (−1.4 KB gzip). Its threshold, 100 (rustc's default is 50), is the
// middle of a plateau: 80 to 120 give 48.7 KB, 50 gives 49.1 KB, 200 49.2 KB.
export const RELEASE_RUSTFLAGS = '-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none -Zinline-mir=yes -Zinline-mir-threshold=100';
// `-Zbuild-std` for that build: std and panic_abort compiled from the nightly's rust-src.
export const BUILD_STD = '-Zbuild-std=std,panic_abort';
// std's features in that build: `optimize_for_size` (core and alloc pick their smaller algorithms:
// string formatting's padding and char counting, integer printing, sorting; −0.27 KB gzip), and
// neither of the defaults, `backtrace` (no backtraces on wasm32-unknown-unknown: it only built
// addr2line, gimli, object, miniz_oxide, adler2 and memchr for nothing) nor `panic-unwind` (panics abort).
export const BUILD_STD_FEATURES = '-Zbuild-std-features=optimize_for_size';
// The target the .wasm is built for.
export const WASM_TARGET = 'wasm32-unknown-unknown';
