//! The visual reports in a real browser: headless Chromium opens each kind of page (run, trace,
//! compare, sweep); the test fails on any console message of error level, any exception, any
//! network request beyond the page itself, or a missing or empty chart, and saves screenshots of
//! each page under `target/tmp/browser/`.
//!
//! Chromium is driven through the DevTools protocol over a WebSocket. Without a Chromium binary
//! the test fails in CI (`CI` set), where `.ci/run` installs Debian's `chromium`, and is skipped
//! with a note elsewhere.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use crate::common::treaty_ok;

/// How long any one step may take before the test gives up.
const STEP: Duration = Duration::from_secs(20);

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The Chromium binary: `$CHROMIUM`, or the first of the usual names on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// A running headless Chromium, killed when dropped.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// Events received while waiting for answers.
    events: Vec<Value>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn start(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        // Chromium says where its DevTools endpoint listens on stderr.
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let url = match rx.recv_timeout(STEP) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!("Chromium did not open its DevTools endpoint");
            }
        };
        let address = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .unwrap()
            .to_string();
        let stream = TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(STEP)).unwrap();
        stream.set_write_timeout(Some(STEP)).unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream).unwrap();
        Browser {
            child,
            _profile: profile,
            ws,
            next_id: 0,
            events: Vec::new(),
        }
    }

    /// Sends a DevTools command (to a page's session, if given) and returns its result.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        let deadline = Instant::now() + STEP;
        loop {
            assert!(Instant::now() < deadline, "no answer to {method}");
            let v = self.read();
            if v["id"] == json!(id) {
                if let Some(e) = v.get("error") {
                    panic!("{method} failed: {e}");
                }
                return v["result"].clone();
            }
            if v.get("method").is_some() {
                self.events.push(v);
            }
        }
    }

    fn read(&mut self) -> Value {
        loop {
            // A signal meant for another test's child (the interrupt tests) can cut a read
            // short: read again.
            let message = match self.ws.read() {
                Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
                    continue;
                }
                other => other.expect("the DevTools connection broke"),
            };
            match message {
                Message::Text(t) => return serde_json::from_str(t.as_str()).unwrap(),
                Message::Binary(b) => return serde_json::from_slice(&b).unwrap(),
                _ => continue,
            }
        }
    }

    /// Waits for the event `method` of `session`.
    fn wait_for(&mut self, session: &str, method: &str) {
        let seen = |e: &Value| e["method"] == json!(method) && e["sessionId"] == json!(session);
        if self.events.iter().any(seen) {
            return;
        }
        let deadline = Instant::now() + STEP;
        loop {
            assert!(Instant::now() < deadline, "no {method}");
            let v = self.read();
            let done = seen(&v);
            if v.get("method").is_some() {
                self.events.push(v);
            }
            if done {
                return;
            }
        }
    }

    /// Evaluates `expression` in the page and returns its value.
    fn eval(&mut self, session: &str, expression: &str) -> Value {
        let r = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }
}

/// What the page says about itself once loaded.
const INSPECT: &str = r#"(() => {
  const svgs = [...document.querySelectorAll('svg')];
  return {
    svgs: svgs.length,
    titles: svgs.map(s => (s.querySelector(':scope > title') || {}).textContent || ''),
    labelled: svgs.filter(s => s.getAttribute('role') === 'img' &&
        (s.getAttribute('aria-labelledby') || '').split(' ').every(id => document.getElementById(id))).length,
    narrowest: Math.min(...svgs.map(s => s.getBoundingClientRect().width)),
    shortest: Math.min(...svgs.map(s => s.getBoundingClientRect().height)),
    texts: svgs.reduce((n, s) => n + s.querySelectorAll('text').length, 0),
    emptyTexts: svgs.reduce((n, s) => n + [...s.querySelectorAll('text')]
        .filter(t => t.textContent.trim() !== '' && t.getComputedTextLength() <= 0).length, 0),
    scripts: document.scripts.length,
    resources: performance.getEntriesByType('resource').length,
    captions: document.querySelectorAll('figure > figcaption').length,
    tables: document.querySelectorAll('table').length,
    tableOverflow: Math.max(0, ...[...document.querySelectorAll('table')]
        .map(t => t.getBoundingClientRect().width - t.parentElement.clientWidth)),
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    h1: (document.querySelector('h1') || {}).textContent || '',
  };
})()"#;

/// Opens `page` in a new tab, checks it and saves screenshots named after `name` (the top of
/// the page, the whole page, and each chart of `charts` by its id); returns the chart titles.
fn check_page(
    browser: &mut Browser,
    page: &Path,
    name: &str,
    charts: &[&str],
    shots: &Path,
) -> Vec<String> {
    let target = browser.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
    let target_id = target["targetId"].as_str().unwrap().to_string();
    let attached = browser.call(
        None,
        "Target.attachToTarget",
        json!({ "targetId": target_id, "flatten": true }),
    );
    let session = attached["sessionId"].as_str().unwrap().to_string();
    let s = Some(session.as_str());
    for domain in [
        "Runtime.enable",
        "Log.enable",
        "Page.enable",
        "Network.enable",
    ] {
        browser.call(s, domain, json!({}));
    }
    browser.call(
        s,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1000, "height": 1300, "deviceScaleFactor": 1, "mobile": false }),
    );
    let url = format!("file://{}", page.display());
    let nav = browser.call(s, "Page.navigate", json!({ "url": url }));
    assert!(nav.get("errorText").is_none(), "{name}: {nav}");
    browser.wait_for(&session, "Page.loadEventFired");
    let facts = browser.eval(&session, INSPECT);

    // Screenshots: what a reader first sees, and the whole page.
    std::fs::create_dir_all(shots).unwrap();
    let shot = |browser: &mut Browser, params: Value, file: &str| {
        let r = browser.call(s, "Page.captureScreenshot", params);
        let png = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{file} is not a PNG");
        std::fs::write(shots.join(file), png).unwrap();
    };
    shot(
        browser,
        json!({ "format": "png" }),
        &format!("{name}-top.png"),
    );
    let height = facts["height"].as_f64().unwrap().min(16000.0);
    shot(
        browser,
        json!({
            "format": "png",
            "captureBeyondViewport": true,
            "clip": { "x": 0, "y": 0, "width": 1000, "height": height, "scale": 1 }
        }),
        &format!("{name}-full.png"),
    );
    for id in charts {
        let rect = browser.eval(
            &session,
            &format!(
                "(() => {{ const e = document.getElementById('{id}'); if (!e) return null; \
                 const r = e.getBoundingClientRect(); \
                 return {{ x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height }}; }})()"
            ),
        );
        assert!(rect.is_object(), "{name}: no chart #{id}");
        shot(
            browser,
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": { "x": rect["x"], "y": rect["y"], "width": rect["w"],
                          "height": rect["h"], "scale": 1 }
            }),
            &format!("{name}-{id}.png"),
        );
    }

    // Everything the page did, from this session.
    let events: Vec<&Value> = browser
        .events
        .iter()
        .filter(|e| e["sessionId"] == json!(session))
        .collect();
    let mut problems = Vec::new();
    for e in &events {
        let p = &e["params"];
        match e["method"].as_str().unwrap_or("") {
            "Runtime.exceptionThrown" => problems.push(format!("exception: {p}")),
            "Runtime.consoleAPICalled"
                if ["error", "assert"].contains(&p["type"].as_str().unwrap_or("")) =>
            {
                problems.push(format!("console {}: {p}", p["type"]))
            }
            "Log.entryAdded" if p["entry"]["level"] == json!("error") => {
                problems.push(format!("log: {}", p["entry"]))
            }
            "Network.requestWillBeSent" if p["request"]["url"] != json!(url) => {
                problems.push(format!("request: {}", p["request"]["url"]))
            }
            "Network.loadingFailed" => problems.push(format!("loading failed: {p}")),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{name}: {problems:#?}");
    browser.call(None, "Target.closeTarget", json!({ "targetId": target_id }));

    let svgs = facts["svgs"].as_u64().unwrap();
    assert!(svgs > 0, "{name}: no chart");
    assert_eq!(facts["labelled"].as_u64(), Some(svgs), "{name}: {facts}");
    assert_eq!(facts["captions"].as_u64(), Some(svgs), "{name}: {facts}");
    assert!(facts["tables"].as_u64().unwrap() > 0, "{name}: no table");
    assert_eq!(facts["scripts"].as_u64(), Some(0), "{name}: scripts");
    assert_eq!(
        facts["resources"].as_u64(),
        Some(0),
        "{name}: fetched something"
    );
    // Charts are drawn at a readable size and their text is laid out by the browser.
    assert!(
        facts["narrowest"].as_f64().unwrap() >= 800.0,
        "{name}: {facts}"
    );
    assert!(
        facts["shortest"].as_f64().unwrap() >= 100.0,
        "{name}: {facts}"
    );
    assert!(
        facts["texts"].as_u64().unwrap() > 10 * svgs,
        "{name}: {facts}"
    );
    assert_eq!(
        facts["emptyTexts"].as_u64(),
        Some(0),
        "{name}: text not rendered"
    );
    // No sideways scrolling at 1000 pixels, of the page or of any table (every column seen).
    assert!(
        facts["width"].as_f64().unwrap() <= 1000.0,
        "{name}: {facts}"
    );
    assert!(
        facts["tableOverflow"].as_f64().unwrap() <= 1.0,
        "{name}: a table is wider than its box: {facts}"
    );
    assert!(!facts["h1"].as_str().unwrap().is_empty());
    facts["titles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_kind_of_report_opens_cleanly_in_chromium() {
    let Some(chromium) = find_chromium() else {
        if in_ci() {
            panic!(
                "no Chromium binary found (looked for $CHROMIUM, chromium, chromium-browser, \
                 google-chrome on PATH); .ci/run installs Debian's chromium"
            );
        }
        // Written past the test harness's capture, so the note shows even when the test passes.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"note: skipping the browser test: no Chromium binary found (install chromium or set \
              CHROMIUM=/path/to/chrome)\n",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = |name: &str| dir.path().join(format!("{name}.html"));
    let run = html("run");
    let trace = html("trace");
    let trace_eu = html("trace-expected-utility");
    treaty_ok(&[
        "run",
        "karabakh-2023",
        "--runs",
        "300",
        "--html",
        run.to_str().unwrap(),
    ]);
    treaty_ok(&[
        "trace",
        "karabakh-2023",
        "--seed",
        "3",
        "--run",
        "5",
        "--html",
        trace.to_str().unwrap(),
    ]);
    treaty_ok(&[
        "trace",
        "expected-utility-toy",
        "--html",
        trace_eu.to_str().unwrap(),
    ]);
    let compare = html("compare");
    let sweep = html("sweep");
    treaty_ok(&[
        "compare",
        "karabakh-2023",
        "--variant",
        "weak-russia: actors.RUS.capability=0.25",
        "--runs",
        "200",
        "--html",
        compare.to_str().unwrap(),
    ]);
    treaty_ok(&[
        "sweep",
        "karabakh-2023",
        "--set",
        "actors.RUS.capability=0.1..0.9:5",
        "--runs",
        "100",
        "--html",
        sweep.to_str().unwrap(),
    ]);
    let backtest = html("backtest");
    treaty_ok(&[
        "backtest",
        "tests/fixtures/backtest/tidy",
        "--runs",
        "50",
        "--html",
        backtest.to_str().unwrap(),
    ]);
    let sensitivity = html("sensitivity");
    treaty_ok(&[
        "sensitivity",
        "karabakh-2023",
        "--runs",
        "2000",
        "--html",
        sensitivity.to_str().unwrap(),
    ]);

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let mut browser = Browser::start(&chromium);
    let version = browser.call(None, "Browser.getVersion", json!({}));
    eprintln!("browser: {}", version["product"]);

    let titles = check_page(
        &mut browser,
        &run,
        "run",
        &[
            "outcomes-chart",
            "issue-I6-chart",
            "actors-chart",
            "utility-space-chart",
            "efficiency-chart",
        ],
        &shots,
    );
    assert_eq!(titles[0], "Outcome probabilities");
    assert_eq!(titles[1], "Rounds to agreement");
    assert_eq!(titles.len(), 5 + 8, "{titles:?}");
    assert!(titles[2..10].iter().all(|t| t.starts_with("Settlements: ")));
    assert_eq!(titles[10], "Expected utility against reservation utility");
    assert_eq!(titles[11], "The principals' utility space");
    assert_eq!(titles[12], "Distance from the frontier by outcome");

    let titles = check_page(
        &mut browser,
        &trace,
        "trace",
        &["aspiration-chart", "offers-I3"],
        &shots,
    );
    assert_eq!(titles[0], "Aspiration round by round");
    assert_eq!(titles.len(), 1 + 8, "{titles:?}");
    assert!(titles[1..].iter().all(|t| t.starts_with("Offers on ")));

    let titles = check_page(
        &mut browser,
        &trace_eu,
        "trace-expected-utility",
        &["offers-policy"],
        &shots,
    );
    assert_eq!(titles.len(), 2, "{titles:?}");

    let titles = check_page(
        &mut browser,
        &compare,
        "compare",
        &["variant-1-utility"],
        &shots,
    );
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(
        titles
            .iter()
            .all(|t| t.ends_with(": weak-russia − karabakh-2023"))
    );

    let titles = check_page(&mut browser, &sweep, "sweep", &["utilities-1"], &shots);
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(
        titles
            .iter()
            .all(|t| t.ends_with(" against actors.RUS.capability"))
    );

    let titles = check_page(
        &mut browser,
        &backtest,
        "backtest",
        &["errors-chart", "forecasts-chart", "distribution-chart"],
        &shots,
    );
    assert_eq!(
        titles,
        [
            "Mean absolute error and mean CRPS by method",
            "Point forecast against recorded outcome, by method",
            "Share of issues with an absolute error of at most e",
        ]
    );

    let titles = check_page(
        &mut browser,
        &sensitivity,
        "sensitivity",
        &["tornado-2", "tornado-3"],
        &shots,
    );
    assert!(
        titles.iter().all(|t| t.starts_with("Inputs driving ")),
        "{titles:?}"
    );
    assert_eq!(titles[0], "Inputs driving settlement I1");

    let _ = browser.call(None, "Browser.close", json!({}));
    eprintln!("screenshots in {}", shots.display());
}
