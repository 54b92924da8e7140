//! The bundled scenarios: every `scenarios/*.ron` of the source tree, compiled into the library
//! (by `build.rs`), so an installed `treaty` has them too. Any command accepts a bundled
//! scenario's name (the file name without `.ron`) in place of a path.

/// One bundled scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bundled {
    /// Its name: the file name without `.ron`, e.g. `karabakh-2023`.
    pub name: &'static str,
    /// The RON text.
    pub text: &'static str,
}

static BUNDLED: &[Bundled] = include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Every bundled scenario, sorted by name.
pub fn bundled() -> &'static [Bundled] {
    BUNDLED
}

/// The bundled scenario called `name`.
pub fn find_bundled(name: &str) -> Option<&'static Bundled> {
    BUNDLED.iter().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_scenarios_are_sorted_and_unique() {
        for pair in bundled().windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} / {}",
                pair[0].name,
                pair[1].name
            );
        }
    }
}
