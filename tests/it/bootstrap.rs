//! `pyve bootstrap` and the missing-micromamba paths of `init` (docs/bootstrap.md), against a
//! loopback HTTP server that plays the micromamba-releases GitHub release, faults and
//! all. The promise under test: a fault never leaves a file at the target, nor a temp
//! file beside it, and the message says what happened and what to run next.

use crate::common;
use crate::http_server;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use common::{TestEnv, assert_code, assert_contains, list_dir, stderr, stdout};
use http_server::{Event, Reply, Server};

const PLATFORM: &str = if cfg!(all(target_os = "linux", target_arch = "aarch64")) {
    "linux-aarch64"
} else if cfg!(all(target_os = "macos", target_arch = "aarch64")) {
    "osx-arm64"
} else if cfg!(target_os = "macos") {
    "osx-64"
} else {
    "linux-64"
};
const TAG: &str = "2.0.5-0";
const ENV_YML: &str = "name: demo\ndependencies:\n  - python=3.11\n";

/// A stand-in for the static binary: a script that answers `--version` like micromamba.
fn good_binary() -> Vec<u8> {
    b"#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo 2.0.5; exit 0; fi\necho \"fake micromamba: $*\" >&2\nexit 0\n".to_vec()
}

/// One that downloads fine but does not run (think: the wrong platform's build).
fn broken_binary() -> Vec<u8> {
    b"#!/bin/sh\necho 'cannot execute binary file: Exec format error' >&2\nexit 126\n".to_vec()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn sha_file(bytes: &[u8]) -> Vec<u8> {
    format!("{}  micromamba-{PLATFORM}\n", sha256_hex(bytes)).into_bytes()
}

fn asset(dir: &str) -> String {
    format!("{dir}/micromamba-{PLATFORM}")
}

/// Both the latest and the pinned release, serving `binary` and the `sha` reply.
fn release(binary: Reply, sha: Reply) -> Vec<(String, Reply)> {
    let mut routes = Vec::new();
    for dir in ["/latest/download".to_string(), format!("/download/{TAG}")] {
        routes.push((asset(&dir), binary.clone()));
        routes.push((format!("{}.sha256", asset(&dir)), sha.clone()));
    }
    routes
}

fn good_release() -> Vec<(String, Reply)> {
    let bin = good_binary();
    release(Reply::Ok(bin.clone()), Reply::Ok(sha_file(&bin)))
}

/// A test project (with environment.yml, so `--to project` has a home) and its server.
struct Case {
    env: TestEnv,
    server: Server,
    /// PYVE_HTTP_TIMEOUT: generous by default so a loaded machine never fails a test
    /// that is not about timeouts; the stall tests set 1 s.
    timeout: &'static str,
}

impl Case {
    fn new(routes: Vec<(String, Reply)>) -> Case {
        let env = TestEnv::new();
        env.write("environment.yml", ENV_YML);
        Case {
            env,
            server: Server::start(routes),
            timeout: "20",
        }
    }

    fn pyve(&self) -> assert_cmd::Command {
        let mut cmd = self.env.pyve();
        cmd.env("PYVE_MICROMAMBA_URL", self.server.url())
            .env("PYVE_HTTP_TIMEOUT", self.timeout)
            .timeout(Duration::from_secs(120));
        cmd
    }

    fn bootstrap(&self, args: &[&str]) -> Output {
        self.pyve().arg("bootstrap").args(args).output().unwrap()
    }

    fn target(&self, to: &str) -> PathBuf {
        match to {
            "project" => self.env.p(".pyve/bin/micromamba"),
            "user" => self.env.pyve_home.join("bin/micromamba"),
            other => panic!("no target {other}"),
        }
    }

    /// Nothing at the target and no temp file beside it.
    #[track_caller]
    fn assert_nothing_installed(&self, to: &str) {
        let target = self.target(to);
        assert!(
            !target.exists(),
            "{} exists after a failed bootstrap",
            target.display()
        );
        assert_eq!(
            list_dir(target.parent().unwrap()),
            Vec::<String>::new(),
            "leftovers beside {}",
            target.display()
        );
    }
}

#[track_caller]
fn assert_installed(path: &Path) {
    let meta = std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{} is not installed: {e}", path.display()));
    assert_eq!(meta.permissions().mode() & 0o777, 0o755);
    assert_eq!(std::fs::read(path).unwrap(), good_binary());
    assert_eq!(
        list_dir(path.parent().unwrap()),
        vec!["micromamba".to_string()],
        "only the binary is left in {}",
        path.parent().unwrap().display()
    );
}

/// Runs `pyve bootstrap --to T` for both targets against a fresh server with `routes`,
/// expecting exit 4, the `expect`ed words, the retry hint, and nothing left behind.
#[track_caller]
fn assert_fault(routes: fn() -> Vec<(String, Reply)>, args: &[&str], expect: &[&str]) {
    assert_fault_within("20", routes, args, expect)
}

#[track_caller]
fn assert_fault_within(
    timeout: &'static str,
    routes: fn() -> Vec<(String, Reply)>,
    args: &[&str],
    expect: &[&str],
) {
    for to in ["user", "project"] {
        let mut case = Case::new(routes());
        case.timeout = timeout;
        let mut all = vec!["--to", to];
        all.extend_from_slice(args);
        let out = case.bootstrap(&all);
        assert_code(&out, 4);
        let err = stderr(&out);
        assert_contains(&err, expect);
        assert_contains(
            &err,
            &[
                "nothing was installed at",
                &format!("hint: retry with `pyve bootstrap --to {to}"),
                "PYVE_MICROMAMBA_URL",
                "put it on PATH",
            ],
        );
        assert!(
            !err.contains("✓ installed"),
            "claims success on a fault:\n{err}"
        );
        assert_eq!(stdout(&out), "", "no path on stdout on failure");
        case.assert_nothing_installed(to);
    }
}

// ---------------------------------------------------------------- success

#[test]
fn installs_the_latest_release_to_the_user_sandbox_verified() {
    let case = Case::new(good_release());
    let out = case.bootstrap(&["--to", "user"]);
    assert_code(&out, 0);
    let target = case.target("user");
    assert_installed(&target);
    assert_eq!(stdout(&out).trim(), target.display().to_string());
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "Installing micromamba (latest, ",
            "downloading ",
            "done: ",
            "✓ sha256 verified",
            "✓ micromamba 2.0.5 runs",
            &format!("✓ installed to {}", target.display()),
        ],
    );
    // The checksum is fetched first: a missing release fails before the big download.
    assert_eq!(
        case.server.requests(),
        vec![
            format!("{}.sha256", asset("/latest/download")),
            asset("/latest/download")
        ]
    );
    // The project was not touched.
    assert!(!case.env.p(".pyve").exists());
}

#[test]
fn a_pinned_release_in_the_project_sandbox_is_what_status_then_resolves() {
    let case = Case::new(good_release());
    let out = case.bootstrap(&["--to", "project", "--version", TAG]);
    assert_code(&out, 0);
    let target = case.target("project");
    assert_installed(&target);
    assert_eq!(
        case.server.requests(),
        vec![
            format!("{}.sha256", asset(&format!("/download/{TAG}"))),
            asset(&format!("/download/{TAG}"))
        ]
    );
    let status = case.env.status_json(&[]);
    assert_eq!(status["backend"]["name"], "micromamba");
    assert_eq!(status["tool"]["path"], target.display().to_string());
    assert_eq!(status["tool"]["version"], "2.0.5");
}

#[test]
fn without_to_it_installs_into_a_conda_project_and_to_the_user_elsewhere() {
    let case = Case::new(good_release());
    let out = case.bootstrap(&[]);
    assert_code(&out, 0);
    assert_installed(&case.target("project"));
    assert!(!case.target("user").exists());

    // A directory that is no project (no .pyve/, no conda spec): the user sandbox.
    let plain = Case {
        env: TestEnv::new(),
        server: Server::start(good_release()),
        timeout: "20",
    };
    let out = plain.bootstrap(&[]);
    assert_code(&out, 0);
    assert_installed(&plain.target("user"));
    assert!(!plain.env.p(".pyve").exists(), "no .pyve/ littered");
}

#[test]
fn follows_redirects_the_way_github_release_urls_redirect() {
    // GitHub answers `latest/download/…` with a redirect to the tag, then to a CDN
    // host: here a relative hop on the front server, then an absolute one to another.
    let bin = good_binary();
    let pinned = format!("/download/{TAG}");
    let cdn = Server::start(vec![
        (asset(&pinned), Reply::Ok(bin.clone())),
        (
            format!("{}.sha256", asset(&pinned)),
            Reply::Ok(sha_file(&bin)),
        ),
    ]);
    let front = Server::start(vec![
        (
            asset("/latest/download"),
            Reply::Redirect(format!("{}{}", cdn.url(), asset(&pinned))),
        ),
        (
            format!("{}.sha256", asset("/latest/download")),
            Reply::Redirect(format!("{}.sha256", asset(&pinned))),
        ),
        (
            format!("{}.sha256", asset(&pinned)),
            Reply::Redirect(format!("{}{}.sha256", cdn.url(), asset(&pinned))),
        ),
    ]);
    let env = TestEnv::new();
    let out = env
        .pyve()
        .env("PYVE_MICROMAMBA_URL", front.url())
        .env("PYVE_HTTP_TIMEOUT", "20")
        .args(["bootstrap", "--to", "user"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_installed(&env.pyve_home.join("bin/micromamba"));
    assert_eq!(
        cdn.requests(),
        vec![format!("{}.sha256", asset(&pinned)), asset(&pinned)]
    );
}

#[test]
fn quiet_prints_only_the_path() {
    let case = Case::new(good_release());
    let out = case
        .pyve()
        .args(["-q", "bootstrap", "--to", "user"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out).trim(),
        case.target("user").display().to_string()
    );
}

#[test]
fn a_failed_update_leaves_the_installed_micromamba_alone() {
    let case = Case::new(release(Reply::Status(500), Reply::Status(500)));
    let target = case.target("user");
    common::write_executable(&target, "#!/bin/sh\necho 1.5.8\n");
    let out = case.bootstrap(&["--to", "user"]);
    assert_code(&out, 4);
    assert_contains(
        &stderr(&out),
        &[
            "HTTP 500",
            "the micromamba already at",
            "was left as it was",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "#!/bin/sh\necho 1.5.8\n"
    );
    assert_eq!(list_dir(target.parent().unwrap()), vec!["micromamba"]);
}

// ---------------------------------------------------------------- faults

#[test]
fn a_missing_release_is_a_404_naming_the_url() {
    assert_fault(
        || release(Reply::Status(404), Reply::Status(404)),
        &[],
        &[
            "HTTP 404 Not Found for http://127.0.0.1:",
            &format!("/latest/download/micromamba-{PLATFORM}.sha256"),
        ],
    );
}

#[test]
fn a_missing_pinned_tag_hints_at_the_tag_format() {
    let case = Case::new(good_release());
    let out = case.bootstrap(&["--to", "user", "--version", "2.0.5"]);
    assert_code(&out, 4);
    assert_contains(
        &stderr(&out),
        &[
            "HTTP 404",
            "/download/2.0.5/",
            "release tags carry a build number, like 2.0.5-0",
            "retry with `pyve bootstrap --to user --version 2.0.5`",
        ],
    );
    case.assert_nothing_installed("user");
}

#[test]
fn a_server_error_on_the_binary_is_reported_with_its_status() {
    assert_fault(
        || {
            let bin = good_binary();
            release(Reply::Status(500), Reply::Ok(sha_file(&bin)))
        },
        &[],
        &[
            "HTTP 500 Internal Server Error for http://127.0.0.1:",
            &format!("/latest/download/micromamba-{PLATFORM}\n"),
        ],
    );
}

#[test]
fn a_truncated_body_is_detected() {
    assert_fault(
        || {
            let bin = good_binary();
            release(
                Reply::Truncated {
                    body: bin.clone(),
                    send: 10,
                },
                Reply::Ok(sha_file(&bin)),
            )
        },
        &[],
        &[&format!(
            "truncated: got 10 of {} bytes",
            good_binary().len()
        )],
    );
}

#[test]
fn a_wrong_checksum_is_refused() {
    assert_fault(
        || {
            let bin = good_binary();
            release(Reply::Ok(bin), Reply::Ok(sha_file(b"something else")))
        },
        &[],
        &[
            "checksum mismatch",
            &format!(
                "expected {}, got {}",
                sha256_hex(b"something else"),
                sha256_hex(&good_binary())
            ),
        ],
    );
}

#[test]
fn a_checksum_file_without_a_digest_is_refused() {
    assert_fault(
        || {
            release(
                Reply::Ok(good_binary()),
                Reply::Ok(b"<html>rate limited</html>".to_vec()),
            )
        },
        &[],
        &["holds no sha256 digest"],
    );
}

#[test]
fn a_server_that_accepts_and_says_nothing_times_out() {
    assert_fault_within(
        "1",
        || release(Reply::Ok(good_binary()), Reply::Silent),
        &[],
        &[
            "timed out after 1s waiting for a response from http://127.0.0.1:",
            "raise PYVE_HTTP_TIMEOUT",
        ],
    );
}

#[test]
fn a_body_that_stalls_after_the_headers_times_out() {
    assert_fault_within(
        "1",
        || {
            let bin = good_binary();
            release(
                Reply::StallAfterHeaders { len: bin.len() },
                Reply::Ok(sha_file(&bin)),
            )
        },
        &[],
        &[
            "timed out after 1s",
            "waiting for more data from http://127.0.0.1:",
        ],
    );
}

#[test]
fn a_binary_that_does_not_run_is_not_installed() {
    assert_fault(
        || {
            let bin = broken_binary();
            release(Reply::Ok(bin.clone()), Reply::Ok(sha_file(&bin)))
        },
        &[],
        &[
            "does not run",
            "`--version` failed (exit status 126)",
            "Exec format error",
        ],
    );
}

#[test]
fn ctrl_c_during_the_download_exits_130_and_leaves_nothing() {
    interrupted_download_leaves_nothing(nix::sys::signal::Signal::SIGINT, 130);
}

#[test]
fn sigterm_during_the_download_exits_143_and_leaves_no_temp_file() {
    interrupted_download_leaves_nothing(nix::sys::signal::Signal::SIGTERM, 143);
}

#[test]
fn sighup_during_the_download_exits_129_and_leaves_no_temp_file() {
    interrupted_download_leaves_nothing(nix::sys::signal::Signal::SIGHUP, 129);
}

/// `signal` in the middle of the download (a body that stalls, so only the signal ends
/// it): the temp file beside the target is removed, nothing is installed.
fn interrupted_download_leaves_nothing(signal: nix::sys::signal::Signal, code: i32) {
    for to in ["user", "project"] {
        let bin: Vec<u8> = good_binary()
            .into_iter()
            .chain(std::iter::repeat_n(b'#', 200_000))
            .collect();
        let case = Case::new(release(
            Reply::StallMidBody {
                body: bin.clone(),
                send: 4096,
            },
            Reply::Ok(sha_file(&bin)),
        ));
        let mut cmd = case.env.std_pyve();
        cmd.env("PYVE_MICROMAMBA_URL", case.server.url())
            // Long, so only the interrupt can end it.
            .env("PYVE_HTTP_TIMEOUT", "60")
            .args(["bootstrap", "--to", to])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd.spawn().unwrap();
        let binary_path = asset("/latest/download");
        let started = case.server.wait_until(Duration::from_secs(30), |evs| {
            evs.iter()
                .any(|e| matches!(e, Event::Sent(p, n) if *p == binary_path && *n >= 4096))
        });
        assert!(
            started,
            "the download never started: {:?}",
            case.server.events()
        );
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_code(&out, code);
        assert_contains(
            &stderr(&out),
            &[
                "interrupted: micromamba download cancelled",
                "nothing was installed at",
                &format!("run `pyve bootstrap --to {to}` to try again"),
            ],
        );
        case.assert_nothing_installed(to);
    }
}

// ---------------------------------------------------------------- refusals

#[test]
fn a_plain_http_mirror_is_refused_before_any_connection() {
    let env = TestEnv::new();
    let out = env
        .pyve()
        .env("PYVE_MICROMAMBA_URL", "http://example.com/mirror")
        .args(["bootstrap", "--to", "user"])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "refusing PYVE_MICROMAMBA_URL http://example.com/mirror",
            "must be an https:// URL",
            "127.0.0.1, ::1 and localhost",
            "nothing was downloaded",
        ],
    );
    assert!(!env.pyve_home.join("bin").exists());
}

#[test]
fn a_bad_timeout_or_version_is_a_usage_error() {
    let case = Case::new(good_release());
    let out = case
        .pyve()
        .env("PYVE_HTTP_TIMEOUT", "soon")
        .args(["bootstrap", "--to", "user"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["PYVE_HTTP_TIMEOUT must be a positive number of seconds"],
    );
    let out = case.bootstrap(&["--to", "user", "--version", "../../etc"]);
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["invalid micromamba version `../../etc`"]);
    assert!(case.server.requests().is_empty());
    assert!(!case.target("user").exists());
}

// ---------------------------------------------------------------- init and the menu

#[test]
fn init_without_micromamba_and_without_a_terminal_lists_the_options() {
    let case = Case::new(good_release());
    let out = case.pyve().arg("init").output().unwrap();
    assert_code(&out, 3);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "Backend 'micromamba' required but not found.",
            "Detected: environment.yml",
            "Tried: .pyve/bin/micromamba (not installed), ",
            "pyve-home/bin/micromamba (not installed), PATH (not found)",
            "hint: any of these gets it:",
            "1. pyve init --auto-bootstrap",
            "(installs to .pyve/bin/micromamba)",
            "2. pyve init --bootstrap-to user",
            "3. system package manager",
            "apt has no micromamba package",
            "4. pyve init --backend venv",
            "(ignore environment.yml; its packages will not be installed)",
        ],
    );
    assert!(case.server.requests().is_empty(), "nothing downloaded");
    case.assert_nothing_installed("project");
    case.assert_nothing_installed("user");
}

#[test]
fn init_with_bootstrap_to_user_installs_it_first() {
    let case = Case::new(good_release());
    let out = case
        .pyve()
        .args(["init", "--bootstrap-to", "user"])
        .output()
        .unwrap();
    // What init does after micromamba is there belongs to the init work; the bootstrap
    // part must have happened either way.
    assert_contains(
        &stderr(&out),
        &["✓ sha256 verified", "✓ micromamba 2.0.5 runs"],
    );
    assert_installed(&case.target("user"));
}

/// Runs pyve under a pseudo-terminal (util-linux `script`), typing `input`; returns the
/// exit code and everything the terminal showed. Linux only: other systems' `script`
/// takes other flags, so the tests that use this are gated to Linux.
#[cfg(target_os = "linux")]
fn on_terminal(case: &Case, args: &[&str], input: &str) -> (i32, String) {
    use std::io::{Read, Write};
    let pyve = env!("CARGO_BIN_EXE_pyve");
    let mut line = common::shell_quote(pyve.as_ref());
    for a in args {
        line.push(' ');
        line.push_str(&common::shell_quote(a.as_ref()));
    }
    let mut child = std::process::Command::new("script")
        .args(["-qfec", &format!("exec {line}"), "/dev/null"])
        .env_clear()
        .envs(case.env.base_env())
        .env("PYVE_MICROMAMBA_URL", case.server.url())
        .env("PYVE_HTTP_TIMEOUT", "20")
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .current_dir(&case.env.project)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux runs the pty tests");
    let mut stdin = child.stdin.take().unwrap();
    // Typed ahead: the pty holds the line until pyve reads it.
    stdin.write_all(input.as_bytes()).unwrap();
    let mut screen = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut screen)
        .unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    (status.code().unwrap_or(-1), screen)
}

#[test]
#[cfg(target_os = "linux")] // util-linux script(1), see on_terminal
fn the_menu_on_a_terminal_installs_to_the_chosen_sandbox_with_a_progress_bar() {
    let case = Case::new(good_release());
    let (code, screen) = on_terminal(&case, &["bootstrap"], "2\n");
    assert_eq!(code, 0, "{screen}");
    assert_contains(
        &screen,
        &[
            "Install micromamba (latest):",
            &format!(
                "1) Install to project sandbox: {}   [default]",
                case.target("project").display()
            ),
            &format!(
                "2) Install to user sandbox:    {}",
                case.target("user").display()
            ),
            "3) Install with system package manager: unavailable — no package manager here packages micromamba",
            "4) Abort",
            "Choose [1-4] (default 1):",
            // The bar, redrawn in place.
            "\r",
            "100%",
            "✓ sha256 verified",
            "✓ micromamba 2.0.5 runs",
            &format!("✓ installed to {}", case.target("user").display()),
        ],
    );
    assert_installed(&case.target("user"));
    assert!(!case.target("project").exists());
}

#[test]
#[cfg(target_os = "linux")] // util-linux script(1), see on_terminal
fn choosing_abort_in_the_menu_installs_nothing() {
    let case = Case::new(good_release());
    let (code, screen) = on_terminal(&case, &["bootstrap"], "4\n");
    assert_eq!(code, 3, "{screen}");
    assert_contains(&screen, &["aborted: micromamba was not installed"]);
    assert!(case.server.requests().is_empty());
    case.assert_nothing_installed("project");
    case.assert_nothing_installed("user");
}

#[test]
#[cfg(target_os = "linux")] // util-linux script(1), see on_terminal
fn init_on_a_terminal_shows_the_menu() {
    let case = Case::new(good_release());
    let (_, screen) = on_terminal(&case, &["init"], "4\n");
    assert_contains(
        &screen,
        &[
            "micromamba is required for this project (environment.yml) but was not found.",
            "1) Install to project sandbox:",
            "[default]",
            "4) Abort",
            "Choose [1-4] (default 1):",
            "aborted",
        ],
    );
    case.assert_nothing_installed("project");
    case.assert_nothing_installed("user");
}

#[test]
#[cfg(target_os = "linux")] // util-linux script(1), see on_terminal
fn init_on_a_terminal_installs_what_the_menu_picks() {
    let case = Case::new(good_release());
    let (_, screen) = on_terminal(&case, &["init"], "2\n");
    // What init does once micromamba is there belongs to the init work (the stand-in
    // binary here is no real micromamba); the bootstrap part must have happened.
    assert_contains(
        &screen,
        &[
            "micromamba is required for this project (environment.yml) but was not found.",
            "Choose [1-4] (default 1):",
            "100%",
            "✓ sha256 verified",
            "✓ micromamba 2.0.5 runs",
            &format!("✓ installed to {}", case.target("user").display()),
        ],
    );
    assert_installed(&case.target("user"));
    assert!(!case.target("project").exists());
}

#[test]
#[cfg(target_os = "linux")] // util-linux script(1), see on_terminal
fn a_failing_system_package_manager_says_so_and_points_at_the_user_sandbox() {
    let mut case = Case::new(good_release());
    let bin = case.env.root.join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    common::write_executable(
        &bin.join("brew"),
        "#!/bin/sh\necho 'Error: no bottle available for micromamba' >&2\nexit 1\n",
    );
    let mut path = std::ffi::OsString::from(&bin);
    path.push(":");
    path.push(&case.env.path);
    case.env.path = path;
    let (code, screen) = on_terminal(&case, &["bootstrap"], "3\ny\n");
    assert_eq!(code, 4, "{screen}");
    assert_contains(
        &screen,
        &[
            "3) Install with system package manager: brew install micromamba",
            "Run `brew install micromamba`? [Y/n]",
            "Error: no bottle available for micromamba",
            "nothing else was changed",
            "hint: run `pyve bootstrap --to user`",
        ],
    );
    assert!(case.server.requests().is_empty());
    case.assert_nothing_installed("project");
    case.assert_nothing_installed("user");
}
