//! `pyve ci github|gitlab|docker`: the generated files parse (YAML through serde-saphyr,
//! the Dockerfile line by line) and run exactly the commands docs/ci.md lists, in order.

use serde_json::Value;

use crate::common::{TestEnv, assert_code, assert_contains, stderr, stdout};

/// The commands under docs/ci.md's ```` ```commands ```` block, with `VERSION` the
/// binary's version.
fn documented_commands(env: &TestEnv, run: Option<&str>) -> Vec<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md")).unwrap();
    let block = doc
        .split("```commands\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/ci.md has a ```commands block");
    let version = stdout(&env.pyve().arg("--version").output().unwrap());
    let version = version.split_whitespace().nth(1).unwrap().to_string();
    let mut cmds: Vec<String> = block
        .lines()
        .map(|l| l.replace("VERSION", &version))
        .collect();
    if let Some(run) = run {
        *cmds.last_mut().unwrap() = format!("pyve run {run}");
    }
    cmds
}

fn print(env: &TestEnv, args: &[&str]) -> String {
    let out = env.pyve().arg("ci").args(args).output().unwrap();
    assert_code(&out, 0);
    stdout(&out)
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn github_workflow_runs_the_documented_commands_and_caches_pyve_home() {
    let env = TestEnv::new();
    env.write("environment.yml", "dependencies: [python]\n");
    let out = env.pyve().args(["ci", "github"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["save it as .github/workflows/pyve.yml"]);
    let doc = yaml(&stdout(&out));
    let job = &doc["jobs"]["test"];
    let home = job["env"]["PYVE_HOME"].as_str().unwrap();
    let steps = job["steps"].as_array().unwrap();
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    assert_eq!(cache["with"]["path"].as_str().unwrap(), home);
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(key.contains("hashFiles('environment.yml')"), "{key}");
    let runs: Vec<String> = steps
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect();
    assert_eq!(runs, documented_commands(&env, None));
}

#[test]
fn gitlab_file_runs_the_documented_commands_and_caches_pyve_home() {
    let env = TestEnv::new();
    env.write("requirements.txt", "rich\n");
    env.write("pyproject.toml", "[project]\nname = 'x'\n");
    let doc = yaml(&print(&env, &["gitlab", "--", "pytest", "-x", "tests dir"]));
    let job = &doc["test"];
    assert_eq!(
        job["variables"]["PYVE_HOME"].as_str().unwrap(),
        "$CI_PROJECT_DIR/.pyve-home"
    );
    assert_eq!(strings(&job["cache"]["paths"]), [".pyve-home/"]);
    assert_eq!(
        strings(&job["cache"]["key"]["files"]),
        ["requirements.txt", "pyproject.toml"]
    );
    let mut cmds = strings(&job["before_script"]).split_off(2);
    cmds.extend(strings(&job["script"]));
    assert_eq!(
        cmds,
        documented_commands(&env, Some("pytest -x 'tests dir'"))
    );
}

#[test]
fn dockerfile_runs_the_documented_commands_and_keeps_the_package_cache_out() {
    let env = TestEnv::new();
    let text = print(
        &env,
        &[
            "docker",
            "--install",
            "curl -fsSL https://example.invalid/pyve | sh",
        ],
    );
    let mut cmds = Vec::new();
    let mut cmd_line = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("RUN ") {
            // BuildKit's mounts come before the command.
            let words: Vec<&str> = rest.split(' ').collect();
            let at = words
                .iter()
                .position(|w| !w.starts_with("--mount="))
                .unwrap();
            cmds.push(words[at..].join(" "));
        } else if let Some(rest) = line.strip_prefix("CMD ") {
            let words: Vec<String> = serde_json::from_str(rest).unwrap();
            cmd_line = Some(words.join(" "));
        }
    }
    cmds.push(cmd_line.expect("a CMD line"));
    let mut want = documented_commands(&env, None);
    want[0] = "curl -fsSL https://example.invalid/pyve | sh".into();
    assert_eq!(cmds, want);
    assert_contains(
        &text,
        &[
            "ENV PYVE_HOME=/opt/pyve",
            "--mount=type=cache,target=/opt/pyve/mamba/pkgs",
        ],
    );
}

#[test]
fn refusals_name_what_is_wrong() {
    let env = TestEnv::new();
    let out = env.pyve().args(["ci", "jenkins"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["invalid value 'jenkins'", "github, gitlab, docker"],
    );
    for bad in ["", "a\nb"] {
        let out = env
            .pyve()
            .args(["ci", "github", "--install", bad])
            .output()
            .unwrap();
        assert_code(&out, 2);
        assert_contains(&stderr(&out), &["--install needs one line of shell"]);
        assert!(stdout(&out).is_empty(), "nothing printed on a refusal");
    }
}
