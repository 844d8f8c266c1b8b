//! Switching between the project's envs (`]` / `[`): the panes show the selected env
//! and the jobs started from here act on it, as `pyve … --env NAME` would.

use super::action::Effect;
use super::app::App;

/// The project's envs as the last refresh listed them: (name, selected).
fn listed(app: &App) -> Vec<(String, bool)> {
    app.snapshot
        .as_ref()
        .and_then(|s| s.status.as_ref())
        .map(|s| {
            s.envs
                .iter()
                .map(|e| (e.name.clone(), e.selected))
                .collect()
        })
        .unwrap_or_default()
}

/// The env shown, when the project has several (else `None`: there is nothing to tell
/// apart).
pub fn shown_of_several(app: &App) -> Option<String> {
    let envs = listed(app);
    if envs.len() < 2 {
        return None;
    }
    envs.into_iter().find(|(_, sel)| *sel).map(|(name, _)| name)
}

/// Selects the env `step` places after (negative: before) the shown one, wrapping.
pub fn switch(app: &mut App, step: isize) -> Vec<Effect> {
    let envs = listed(app);
    if envs.len() < 2 {
        app.set_status("this project has one env; `pyve init --env NAME` adds another");
        return vec![];
    }
    if app.job.is_some() {
        app.set_status("a task is running: switch envs when it ends");
        return vec![];
    }
    let at = envs.iter().position(|(_, sel)| *sel).unwrap_or(0) as isize;
    let n = envs.len() as isize;
    let name = envs[((at + step).rem_euclid(n)) as usize].0.clone();
    // What was selected or scrolled belongs to the other env's panes.
    app.health_pinned = None;
    app.health_selected = 0;
    app.backend_scroll = 0;
    app.tools_scroll = 0;
    app.refreshing = true;
    app.set_status(format!("env {name}"));
    vec![Effect::SelectEnv(name)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::test_support;

    #[test]
    fn the_keys_cycle_through_the_envs_and_wrap() {
        let mut app = test_support::app_with_envs(&["default", "dev", "prod"], "default");
        assert!(matches!(&switch(&mut app, 1)[..], [Effect::SelectEnv(n)] if n == "dev"));
        let mut app = test_support::app_with_envs(&["default", "dev", "prod"], "default");
        assert!(matches!(&switch(&mut app, -1)[..], [Effect::SelectEnv(n)] if n == "prod"));
        let mut app = test_support::app_with_envs(&["default", "dev", "prod"], "prod");
        assert!(matches!(&switch(&mut app, 1)[..], [Effect::SelectEnv(n)] if n == "default"));
        assert_eq!(app.status.as_ref().unwrap().text, "env default");
        assert!(app.refreshing);
    }

    #[test]
    fn one_env_or_a_running_task_switches_nothing_and_says_why() {
        let mut app = test_support::app_with_envs(&["default"], "default");
        assert!(switch(&mut app, 1).is_empty());
        assert_eq!(
            app.status.as_ref().unwrap().text,
            "this project has one env; `pyve init --env NAME` adds another"
        );
        let mut app = test_support::app_with_envs(&["default", "dev"], "default");
        app.job = Some(test_support::running_job());
        assert!(switch(&mut app, 1).is_empty());
        assert_eq!(
            app.status.as_ref().unwrap().text,
            "a task is running: switch envs when it ends"
        );
    }
}
