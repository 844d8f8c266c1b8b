//! Channels: `pyve init --channel C` is written to `.pyve/config`, passed to micromamba
//! after the env file's own channels (the whole list, `--override-channels`), shown by
//! status (text and JSON), doctor and (in the TUI's unit snapshots) the Tools pane; a
//! channel micromamba cannot load fails naming it. Each scenario runs against the
//! double and the real micromamba with the local channel.

use crate::common::*;
use crate::micromamba::{Kind, Mamba};

both!(
    a_channel_flag_is_stored_passed_in_order_and_shown,
    an_unreachable_channel_fails_naming_it,
);

/// A second copy of the test's channel, as another `file://` URL.
fn second_channel(m: &Mamba) -> String {
    let dir = m.env.root.join("channel2");
    copy_dir(&m.env.root.join("channel"), &dir);
    format!("file://{}", dir.display())
}

fn a_channel_flag_is_stored_passed_in_order_and_shown(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let extra = second_channel(&m);
    let out = m
        .pyve()
        .args(["init", "--channel", &extra])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let config = std::fs::read_to_string(m.env.p(".pyve/config")).unwrap();
    assert_contains(&config, &[&format!("channels: [{extra}]")]);
    let create = m
        .calls()
        .into_iter()
        .find(|c| c["argv"][1] == "create")
        .expect("a create call");
    let argv = argv_of(&create);
    let tail = &argv[argv.iter().position(|a| *a == "-c").unwrap()..];
    assert_eq!(
        tail,
        ["-c", &m.channel, "-c", &extra, "--override-channels"]
    );
    // The env is ready (the config's channel is now an input, unchanged).
    let status = m.env.status_json(&[]);
    assert_eq!(status["env"]["state"], "ready");
    assert_eq!(
        status["channels"],
        serde_json::json!([
            {"name": m.channel, "source": "env_file"},
            {"name": extra, "source": "config"},
        ])
    );
    let out = m.pyve().arg("status").output().unwrap();
    assert_contains(
        &stdout(&out),
        &[&format!(
            "channels   {} (environment.yml), {extra} (.pyve/config)",
            m.channel
        )],
    );
    let out = m.pyve().args(["doctor", "--no-probe"]).output().unwrap();
    assert_contains(
        &stdout(&out),
        &[&format!(
            "Environment file: environment.yml; channels: {} (environment.yml), {extra} (.pyve/config)",
            m.channel
        )],
    );
}

fn an_unreachable_channel_fails_naming_it(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let missing = format!("file://{}", m.env.root.join("no-such-channel").display());
    let out = m
        .pyve()
        .args(["init", "--channel", &missing])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &[
            &format!(
                "channel `{missing}` cannot be reached (micromamba could not load {missing}/noarch/repodata.json): check it, or remove it from `channels:` in the env file or `micromamba.channels` in .pyve/config, then rerun `pyve init`"
            ),
            "demo is left incomplete",
        ],
    );
    // The flag is not written to the config of an env that was never built.
    assert!(!m.env.p(".pyve/config").exists());
}

#[test]
fn a_venv_project_lists_no_channel_and_an_option_like_one_is_refused() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    assert_eq!(env.status_json(&[])["channels"], serde_json::json!([]));
    let out = env
        .pyve()
        .args(["init", "--channel=--override-channels"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["--channel: invalid channel `--override-channels`: a channel cannot start with `-`"],
    );
}
