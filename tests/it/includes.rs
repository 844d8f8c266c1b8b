//! Files a spec includes are inputs of the env (docs/policies.md#what-counts-as-ready):
//! `-r`/`-c` in requirements.txt, followed recursively inside the project; a reference
//! outside the project is left out with a note. And `init --install-deps` on a ready env installs again as an update. Real
//! venvs with pip, packages from local wheels.

use crate::common;

use common::*;

#[test]
fn an_edit_to_an_included_file_makes_the_venv_stale_and_run_updates_it() {
    let env = TestEnv::new();
    env.fake_pyenv(&[("3.11.7", &system_python())]);
    env.write(".python-version", "3.11\n");
    let a = env.wheel("wheels", "pkga", "0.1", "VALUE = 'from pkga'\n");
    let b = env.wheel("wheels", "pkgb", "0.2", "VALUE = 'from pkgb'\n");
    std::fs::write(env.root.join("outside.txt"), "").unwrap();
    env.write(
        "requirements.txt",
        "-r reqs/base.txt  # shared\n-c constraints.txt\n-r ../outside.txt\n",
    );
    env.write("reqs/base.txt", &format!("{}\n", a.display()));
    env.write("constraints.txt", "");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "hint: requirements.txt: `../outside.txt` is outside the project; its changes do not make the env stale",
        ],
    );
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.p(".pyve/state/venv.json")).unwrap()).unwrap();
    let keys: Vec<&str> = state["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec![
            "file:requirements.txt",
            "include:constraints.txt",
            "include:reqs/base.txt",
            "python"
        ]
    );

    // Outside the project: not an input.
    std::fs::write(env.root.join("outside.txt"), "# edited\n").unwrap();
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");

    // The included file changes: stale, naming it; the constraint file too.
    env.write(
        "reqs/base.txt",
        &format!("{}\n{}\n", a.display(), b.display()),
    );
    env.write("constraints.txt", "pkgb==0.2\n");
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "stale");
    assert_eq!(
        st["env"]["reason"],
        "constraints.txt (included) changed, reqs/base.txt (included) changed"
    );
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import pkgb; print(pkgb.VALUE)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "from pkgb\n");
    assert_contains(
        &stderr(&out),
        &[
            "constraints.txt (included) changed, reqs/base.txt (included) changed since .venv was built: updating it first",
            "» install requirements.txt",
        ],
    );
    assert!(!stderr(&out).contains("» create"), "{}", stderr(&out));
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");

    // A new include is picked up at the next build.
    env.write("more.txt", "");
    env.write(
        "requirements.txt",
        "-r reqs/base.txt\n-c constraints.txt\n-r more.txt\n",
    );
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    env.write("more.txt", "# changed\n");
    assert_eq!(
        env.status_json(&[])["env"]["reason"],
        "more.txt (included) changed"
    );
}

#[test]
fn install_deps_on_a_ready_pyproject_venv_installs_it_as_an_update() {
    let env = TestEnv::new();
    env.fake_pyenv(&[("3.11.7", &system_python())]);
    env.write(".python-version", "3.11\n");
    env.write(
        "pyproject.toml",
        "[build-system]\nrequires = []\nbuild-backend = \"tiny_backend\"\nbackend-path = [\"_build\"]\n\n[project]\nname = \"epkg\"\nversion = \"0.1.0\"\n",
    );
    env.write("_build/tiny_backend.py", crate::venv::TINY_BACKEND);
    env.write("src/epkg/__init__.py", "X = 1\n");
    // Not asked (no terminal): the venv is made without the project.
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "hint: the project itself was not installed; `pyve init --install-deps` installs it (`pip install -e .`)",
        ],
    );
    let cfg = std::fs::metadata(env.p(".venv/pyvenv.cfg"))
        .unwrap()
        .modified()
        .unwrap();
    // The hint's command works on the ready env, without rebuilding it.
    let out = env
        .pyve()
        .args(["init", "--install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "Updating .venv — --install-deps: installing the spec into it again",
            "» install the project (pip install -e .)",
            "✓ .venv updated in",
        ],
    );
    assert!(!err.contains("» create"), "{err}");
    assert_eq!(
        std::fs::metadata(env.p(".venv/pyvenv.cfg"))
            .unwrap()
            .modified()
            .unwrap(),
        cfg
    );
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import epkg; print(epkg.X)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "1\n");
}
