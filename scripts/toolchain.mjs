// The pinned toolchain versions, shared by scripts/setup.sh (which greps this file) and the build.
// The nightly builds the release wasm with `-Zbuild-std` and immediate-abort panics (smaller);
// scripts/setup.sh installs it with rust-src through rustup.
export const NIGHTLY = 'nightly-2026-10-30';
