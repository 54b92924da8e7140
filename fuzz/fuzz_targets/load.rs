//! libFuzzer target: arbitrary bytes through the scenario loader (see `treaty_fuzz::check`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    treaty_fuzz::check(data);
});
