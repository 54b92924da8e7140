//! `treaty new` and `treaty completions`.

use crate::common::{scratch_dir, treaty_fails, treaty_in, treaty_ok};

#[test]
fn a_new_scenario_validates_runs_and_is_not_overwritten() {
    let dir = scratch_dir();
    let out = treaty_in(dir.path(), &["new", "talks"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.path().join("talks.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("name: \"talks\""), "{text}");
    assert!(text.starts_with("// talks: a starting scenario"));
    let file = path.to_str().unwrap();
    let valid = String::from_utf8(treaty_ok(&["validate", file])).unwrap();
    assert!(valid.starts_with("ok: "), "{valid}");
    let report = String::from_utf8(treaty_ok(&["run", file, "--runs", "200"])).unwrap();
    assert!(report.contains("OUTCOMES"));
    // An existing file is kept unless --force.
    std::fs::write(&path, "mine").unwrap();
    let err = treaty_fails(2, &["new", "talks", "--out", file]);
    assert!(err.contains("the file exists; pass --force"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    treaty_ok(&["new", "talks", "--out", file, "--force"]);
    assert_ne!(std::fs::read_to_string(&path).unwrap(), "mine");
    let err = treaty_fails(2, &["new", "a\"b"]);
    assert!(err.contains("a scenario name"), "{err}");
}

#[test]
fn completions_cover_every_command_in_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = String::from_utf8(treaty_ok(&["completions", shell])).unwrap();
        for command in ["run", "trace", "backtest", "import", "new"] {
            assert!(script.contains(command), "{shell}: {command}");
        }
    }
    treaty_fails(2, &["completions", "cmd.exe"]);
}
