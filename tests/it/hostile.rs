//! A cloned repository cannot make pyve write, delete or run anything outside it
//! (docs/security.md). Each attack is a project made only of what git can carry —
//! files, symlinks (relative and absolute, at each level), exec bits, forged markers and
//! state records — plus, for the lock, a hard link. Every command a user might run on
//! it (`init`, `init --force`, `purge --yes`, `status`, `status --json`, `doctor`,
//! `bootstrap --to project`) runs against it, and a sentinel tree outside the project
//! (and, where the attack aims at it, user code inside) must be byte for byte what it
//! was, with no file that a planted binary would have made.

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, symlink};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::*;
use crate::pty::Tui;

/// Everything under `dir`: path → (kind, mode, content hash or link target).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    use sha2::{Digest, Sha256};
    tree_entries(dir, |_| false)
        .into_iter()
        .map(|e| {
            let p = e.path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let what = if m.file_type().is_symlink() {
                format!("link {}", std::fs::read_link(&p).unwrap().display())
            } else if m.is_dir() {
                format!("dir {:o}", m.mode())
            } else {
                let bytes = std::fs::read(&p).unwrap();
                format!("file {:o} {:x}", m.mode(), Sha256::digest(&bytes))
            };
            (p.strip_prefix(dir).unwrap().to_path_buf(), what)
        })
        .collect()
}

/// The commands a user may run on a project they just cloned.
const COMMANDS: &[&[&str]] = &[
    &["status"],
    &["status", "--json"],
    &["doctor"],
    &["config"],
    &["init"],
    &["init", "--force"],
    &["bootstrap", "--to", "project"],
    &["purge", "--yes"],
];

/// The environment every command and the TUI run with.
const ATTACK_ENV: &[(&str, &str)] = &[
    ("PYVE_FAKE_MM_DELAY", "0"),
    ("PYVE_LOCK_TIMEOUT", "5"),
    // A release server that is not there: the bootstrap never downloads.
    ("PYVE_MICROMAMBA_URL", "http://127.0.0.1:9"),
    ("PYVE_HTTP_TIMEOUT", "2"),
];

/// How long the TUI may take to show its first full dashboard, and then to quit.
const TUI_WAIT: Duration = Duration::from_secs(30);

/// A hostile project and where its attack aims.
struct Attack {
    env: TestEnv,
    /// Outside the project: must never change.
    sentinel: PathBuf,
    /// Inside the project, the user's own files an attack aims at (none: empty).
    guarded: Vec<PathBuf>,
    /// `PYVE_ENV` for the TUI and every command: the attack aims at a named env.
    pyve_env: Option<&'static str>,
}

impl Attack {
    fn new() -> Attack {
        let env = TestEnv::new();
        let sentinel = env.root.join("sentinel");
        std::fs::create_dir_all(sentinel.join("sub")).unwrap();
        std::fs::write(sentinel.join("precious.txt"), "keep me\n").unwrap();
        std::fs::write(sentinel.join("sub/also.txt"), "and me\n").unwrap();
        // The user's micromamba: present, so micromamba projects get as far as they can.
        env.micromamba_double_in_sandbox();
        Attack {
            env,
            sentinel,
            guarded: vec![],
            pyve_env: None,
        }
    }

    /// A directory of the user's own code inside the project, guarded too.
    fn user_code(&mut self, rel: &str) {
        self.env.write(&format!("{rel}/main.py"), "print('mine')\n");
        self.guarded.push(self.env.p(rel));
    }

    /// Starts the TUI, then runs every command; after each, asserts nothing outside (or
    /// guarded) changed and nothing planted ran. `name` says which attack, for the
    /// failure message.
    fn assert_contained(&self, name: &str) {
        let before = Before {
            sentinel: snapshot(&self.sentinel),
            guarded: self.guarded.iter().map(|g| snapshot(g)).collect(),
        };
        // The TUI's start, first: the project as it was cloned.
        let screen = self.start_and_quit_the_tui(name);
        self.assert_unharmed(&before, name, "the TUI's start", &screen);
        for args in COMMANDS {
            let what = format!("`pyve {}`", args.join(" "));
            let out = self
                .env
                .pyve()
                .args(*args)
                .envs(self.vars())
                .timeout(Duration::from_secs(120))
                .output()
                .unwrap();
            assert!(
                out.status.code().is_some(),
                "{name}: {what} did not exit by itself: {out:?}"
            );
            let err = stderr(&out);
            assert!(!err.contains("panicked"), "{name}: {what} panicked:\n{err}");
            self.assert_unharmed(&before, name, &what, &err);
        }
        // For docs/reliability.md: one line per variant, every command contained.
        eprintln!(
            "hostile: {name}: the TUI's start and {} commands, breaches 0",
            COMMANDS.len()
        );
    }

    /// The variables the TUI and the commands run with.
    fn vars(&self) -> Vec<(&'static str, &'static str)> {
        let mut v = ATTACK_ENV.to_vec();
        v.extend(self.pyve_env.map(|e| ("PYVE_ENV", e)));
        v
    }

    /// Opens the TUI in a pseudo-terminal, waits (bounded) for the first full dashboard
    /// (the Health pane's title counts doctor's checks: doctor ran), presses `q`; pyve
    /// must exit by itself with 0 and give the terminal back. The last screen.
    fn start_and_quit_the_tui(&self, name: &str) -> String {
        let mut tui = Tui::start(&self.env, &[], &self.vars());
        let screen = tui.wait_for(&["Health — ", " fail ", "idle"], TUI_WAIT);
        assert!(
            !screen.contains("panicked"),
            "{name}: the TUI panicked:\n{screen}"
        );
        tui.quit_restored(TUI_WAIT);
        screen
    }

    /// The sentinel and the guarded dirs are as `before`, and no planted binary ran.
    /// `what` ran last; `output` is what it said.
    #[track_caller]
    fn assert_unharmed(&self, before: &Before, name: &str, what: &str, output: &str) {
        assert_eq!(
            snapshot(&self.sentinel),
            before.sentinel,
            "{name}: {what} changed a file outside the project:\n{output}"
        );
        for (g, was) in self.guarded.iter().zip(&before.guarded) {
            assert_eq!(
                &snapshot(g),
                was,
                "{name}: {what} changed the user's {}:\n{output}",
                g.display()
            );
            assert!(g.is_dir(), "{name}: {} is gone", g.display());
        }
        assert!(
            !self.env.root.join("PWNED").exists(),
            "{name}: {what} ran a binary that came with the project"
        );
    }
}

/// The snapshots taken before an attack's commands.
struct Before {
    sentinel: BTreeMap<PathBuf, String>,
    guarded: Vec<BTreeMap<PathBuf, String>>,
}

/// A link at `link_at` to `target` (both under the same temp root `base`), absolute
/// or relative.
fn link(base: &Path, target: &Path, link_at: &Path, relative: bool) {
    std::fs::create_dir_all(link_at.parent().unwrap()).unwrap();
    let t = if relative {
        let depth = link_at
            .parent()
            .unwrap()
            .strip_prefix(base)
            .unwrap()
            .components()
            .count();
        let mut up = PathBuf::new();
        for _ in 0..depth {
            up.push("..");
        }
        up.join(target.strip_prefix(base).unwrap())
    } else {
        target.to_path_buf()
    };
    symlink(&t, link_at).unwrap();
    assert_eq!(
        std::fs::canonicalize(link_at).unwrap(),
        std::fs::canonicalize(target).unwrap(),
        "the test's link {} must lead to {}",
        link_at.display(),
        target.display()
    );
}

#[test]
fn symlinked_pyve_directories_never_send_writes_or_deletes_outside() {
    for spec in ["requirements.txt", "environment.yml"] {
        for level in [".pyve", ".pyve/envs", ".pyve/state", ".pyve/bin", ".venv"] {
            for relative in [false, true] {
                let a = Attack::new();
                a.env.write(spec, "name: demo\ndependencies: [python]\n");
                if spec == "requirements.txt" {
                    a.env.write(spec, "");
                }
                link(&a.env.root, &a.sentinel, &a.env.p(level), relative);
                a.assert_contained(&format!(
                    "{spec}, {level} → sentinel ({})",
                    if relative { "relative" } else { "absolute" }
                ));
            }
        }
    }
}

#[test]
fn the_lock_file_as_a_link_or_a_hard_link_is_never_written_through() {
    for hard in [false, true] {
        let a = Attack::new();
        a.env.write("requirements.txt", "");
        std::fs::create_dir_all(a.env.p(".pyve")).unwrap();
        let target = a.sentinel.join("precious.txt");
        if hard {
            std::fs::hard_link(&target, a.env.p(".pyve/lock")).unwrap();
        } else {
            symlink(&target, a.env.p(".pyve/lock")).unwrap();
        }
        a.assert_contained(if hard {
            "hard-linked lock"
        } else {
            "symlinked lock"
        });
    }
}

#[test]
fn forged_markers_and_state_records_never_get_user_code_deleted() {
    let forged_record = |prefix: &Path| {
        format!(
            r#"{{"schema":1,"backend":"venv","env_name":"src","prefix":{:?},"fingerprint":"x","inputs":{{}},"tool":{{"kind":"python","path":"/usr/bin/python3","version":"3"}},"python":{{"path":{:?},"version":"3"}},"activation":{{"path_prepend":[],"set":{{}},"unset":[]}},"created_at":0,"pyve_version":"0","owner":"forged"}}"#,
            prefix,
            prefix.join("bin/python")
        )
    };
    for forgery in ["marker", "empty marker", "record", "both"] {
        let mut a = Attack::new();
        a.env.write("requirements.txt", "");
        a.env.write(".pyve/config", "venv:\n  directory: src\n");
        a.user_code("src");
        std::fs::create_dir_all(a.env.p("src/bin")).unwrap();
        std::fs::write(a.env.p("src/bin/python"), "#!/bin/sh\n").unwrap();
        a.guarded = vec![a.env.p("src")];
        if forgery.contains("marker") || forgery == "both" {
            let text = if forgery == "empty marker" {
                ""
            } else {
                "pid 1\ntoken 0123456789abcdef0123456789abcdef\n"
            };
            a.env.write(".pyve/state/venv.creating", text);
        }
        if forgery == "record" || forgery == "both" {
            a.env
                .write(".pyve/state/venv.json", &forged_record(&a.env.p("src")));
        }
        a.assert_contained(&format!("forged {forgery} naming src"));
    }
}

#[test]
fn a_binary_shipped_in_the_project_is_never_run_on_inspection() {
    for spec in ["environment.yml", "requirements.txt"] {
        let a = Attack::new();
        a.env.write(spec, "name: demo\ndependencies: [python]\n");
        let pwned = a.env.root.join("PWNED");
        write_executable(
            &a.env.p(".pyve/bin/micromamba"),
            &format!("#!/bin/sh\ntouch '{}'\necho 2.0.5\n", pwned.display()),
        );
        a.assert_contained(&format!("{spec} with a planted .pyve/bin/micromamba"));
    }
}

#[test]
fn a_git_fsmonitor_in_the_repository_is_never_run() {
    let a = Attack::new();
    a.env.write("requirements.txt", "");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(&a.env.project)
            .env("HOME", &a.env.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    let pwned = a.env.root.join("PWNED");
    write_executable(
        &a.env.p("monitor.sh"),
        &format!("#!/bin/sh\ntouch '{}'\n", pwned.display()),
    );
    git(&[
        "config",
        "core.fsmonitor",
        &a.env.p("monitor.sh").display().to_string(),
    ]);
    // A venv the doctor will ask git about.
    std::fs::create_dir_all(a.env.p(".venv")).unwrap();
    a.assert_contained("core.fsmonitor in .git/config");
}

#[test]
fn config_values_that_name_vital_directories_are_refused() {
    for value in [
        ".",
        "./",
        ".git",
        ".pyve",
        ".pyve/state",
        "a/..",
        "../sentinel",
        ".pyve/envs",
    ] {
        for key in ["venv:\n  directory", "micromamba:\n  prefix"] {
            let mut a = Attack::new();
            a.env.write("requirements.txt", "");
            a.env.write(".pyve/config", &format!("{key}: {value}\n"));
            a.user_code(".git");
            a.assert_contained(&format!("{} = {value}", key.replace("\n  ", ".")));
        }
    }
}

#[test]
fn named_envs_are_contained_like_the_default_one() {
    // A named env pointed at the user's code, with a forged build marker of its own.
    for pyve_env in [None, Some("dev")] {
        let mut a = Attack::new();
        a.env.write("requirements.txt", "");
        a.env.write(
            ".pyve/config",
            "envs:\n  dev:\n    backend: venv\n    venv:\n      directory: src\n",
        );
        a.user_code("src");
        a.env.write(
            ".pyve/state/@dev.creating",
            "pid 1\ntoken 0123456789abcdef0123456789abcdef\n",
        );
        a.pyve_env = pyve_env;
        a.assert_contained(&format!(
            "envs.dev.venv.directory = src, PYVE_ENV={pyve_env:?}"
        ));
    }
    // Paths out of the project, shared directories, too many envs, odd names.
    for config in [
        "envs:\n  dev:\n    venv:\n      directory: ../sentinel\n",
        "envs:\n  dev:\n    micromamba:\n      prefix: .git\n",
        "envs:\n  dev:\n    venv:\n      directory: .venv\n",
        "envs:\n  \"../x\": {}\n",
        "default_env: \"../../sentinel\"\n",
    ] {
        let mut a = Attack::new();
        a.env.write("requirements.txt", "");
        a.env.write(".pyve/config", config);
        a.user_code(".git");
        a.pyve_env = Some("dev");
        a.assert_contained(&format!("config {config:?}"));
    }
    let many: String = (0..20_000).map(|i| format!("  e{i}: {{}}\n")).collect();
    let a = Attack::new();
    a.env.write(".pyve/config", &format!("envs:\n{many}"));
    a.assert_contained("20,000 envs");
}

#[test]
fn spec_and_lock_files_that_are_devices_fifos_or_huge_end_quickly() {
    for (file, target) in [
        ("environment.yml", "/dev/zero"),
        ("environment.yml", "/dev/urandom"),
        ("requirements.txt", "/dev/zero"),
        ("conda-lock.yml", "/dev/zero"),
        ("pyproject.toml", "/dev/zero"),
    ] {
        let a = Attack::new();
        symlink(target, a.env.p(file)).unwrap();
        a.assert_contained(&format!("{file} → {target}"));
    }
    let a = Attack::new();
    let made = std::process::Command::new("mkfifo")
        .arg(a.env.p("environment.yml"))
        .status()
        .unwrap();
    assert!(made.success());
    a.assert_contained("environment.yml as a FIFO");
}

#[test]
fn lock_sources_outside_the_project_are_not_read() {
    let a = Attack::new();
    a.env
        .write("environment.yml", "name: demo\ndependencies: [python]\n");
    a.env.write(
        "conda-lock.yml",
        &format!(
            "version: 1\nmetadata:\n  content_hash: {{linux-64: x}}\n  channels: []\n  platforms: [linux-64]\n  sources: [{}]\npackage: []\n",
            a.sentinel.join("precious.txt").display()
        ),
    );
    a.assert_contained("metadata.sources outside the project");
    let out = a.env.pyve().args(["lock", "--check"]).output().unwrap();
    let err = stderr(&out);
    assert!(err.contains("outside the project"), "{err}");
    assert!(
        !err.contains("keep me"),
        "the outside file was read and echoed: {err}"
    );
}

/// The env directories are in the project too: a clone can ship a `.venv` or a conda
/// prefix whose metadata files (`pyvenv.cfg`, `bin/pip`, `bin/activate`, dist-info
/// `RECORD`s, conda-meta records) are FIFOs or links to devices. Reading any of them
/// must end: refused as not a regular file, never waited on.
#[test]
fn env_metadata_files_that_are_fifos_or_devices_end_quickly() {
    let fifo = |path: &Path| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(made.success());
    };
    let a = Attack::new();
    a.env.write("requirements.txt", "");
    fifo(&a.env.p(".venv/pyvenv.cfg"));
    fifo(&a.env.p(".venv/bin/pip"));
    std::os::unix::fs::symlink("/dev/zero", a.env.p(".venv/bin/activate")).unwrap();
    fifo(
        &a.env
            .p(".venv/lib/python3.11/site-packages/six-1.17.0.dist-info/RECORD"),
    );
    fifo(
        &a.env
            .p(".venv/lib/python3.11/site-packages/six-1.17.0.dist-info/INSTALLER"),
    );
    a.assert_contained("venv metadata as FIFOs and devices");

    let a = Attack::new();
    a.env
        .write("environment.yml", "name: demo\ndependencies: [python]\n");
    fifo(&a.env.p(".pyve/envs/demo/conda-meta/python-3.11.7-0.json"));
    std::os::unix::fs::symlink(
        "/dev/zero",
        a.env.p(".pyve/envs/demo/conda-meta/pip-24.0-0.json"),
    )
    .unwrap();
    a.assert_contained("conda-meta records as a FIFO and a device");
}
