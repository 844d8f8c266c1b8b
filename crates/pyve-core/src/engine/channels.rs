//! The channels a micromamba env is solved from, in order, each with where it came
//! from: the env file's own `channels:`, then `micromamba.channels` of `.pyve/config`,
//! then `--channel`. They are the whole list (docs/micromamba.md, decision 0024): pyve
//! passes every one as `-c` with `--override-channels`, so a user's `~/.condarc` or
//! `~/.mambarc` never adds one, and the order is the project's on every machine.

use std::path::Path;

use super::context::Context;
use super::project::EnvFileKind;

/// Where a channel was named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelSource {
    /// The env file's `channels:`.
    EnvFile,
    /// `micromamba.channels` in `.pyve/config`.
    Config,
    /// `pyve init --channel`, not written yet.
    Flag,
}

impl ChannelSource {
    /// How the user reads it, next to the channel.
    pub fn words(self, env_file: &str) -> String {
        match self {
            ChannelSource::EnvFile => env_file.to_string(),
            ChannelSource::Config => ".pyve/config".to_string(),
            ChannelSource::Flag => "--channel".to_string(),
        }
    }
}

/// One channel of the list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Channel {
    pub name: String,
    pub source: ChannelSource,
}

/// The env file's `channels:` as written (an env file that is not one, or a lock file,
/// has none here: micromamba reads a lock's own channels).
pub fn env_file_channels(path: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct ChannelsOnly {
        channels: Option<Vec<String>>,
    }
    if EnvFileKind::of(path) == EnvFileKind::Lock {
        return Vec::new();
    }
    let Ok(text) = crate::sys::fs::read_text(path, crate::sys::fs::FILE_CAP) else {
        return Vec::new();
    };
    serde_saphyr::from_str::<Option<ChannelsOnly>>(&text)
        .ok()
        .flatten()
        .and_then(|c| c.channels)
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.trim().to_string())
        .collect()
}

/// The list micromamba gets, in order, each channel once. An env-file channel that
/// is not a valid channel (`--x`) is left out here: micromamba reads it from the file
/// itself as data, never as an option.
pub fn effective(ctx: &Context) -> Vec<Channel> {
    let mut out: Vec<Channel> = Vec::new();
    let mut add = |name: &str, source| {
        if !out.iter().any(|c| c.name == name) {
            out.push(Channel {
                name: name.to_string(),
                source,
            });
        }
    };
    if let Some((file, _)) = ctx.env_file() {
        for c in env_file_channels(&file) {
            if super::config::check_channel(&c).is_ok() {
                add(&c, ChannelSource::EnvFile);
            }
        }
    }
    for c in &ctx.config.micromamba.channels {
        add(c, ChannelSource::Config);
    }
    for c in &ctx.overrides.channels {
        add(c, ChannelSource::Flag);
    }
    out
}

/// The names alone, as `micromamba create|install` gets them.
pub fn names(channels: &[Channel]) -> Vec<String> {
    channels.iter().map(|c| c.name.clone()).collect()
}

/// "file:///x (environment.yml), conda-forge (.pyve/config)", or what applies when
/// there is none.
pub fn describe(channels: &[Channel], env_file: &str) -> String {
    if EnvFileKind::of(Path::new(env_file)) == EnvFileKind::Lock {
        return format!("the package URLs {env_file} locked");
    }
    if channels.is_empty() {
        return "none: micromamba's own defaults apply".to_string();
    }
    channels
        .iter()
        .map(|c| format!("{} ({})", c.name, c.source.words(env_file)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The channel micromamba could not load, read from its output: a `Download error
/// … [URL]` line names the repodata URL, and the channel is the URL without its
/// `/SUBDIR/repodata.json` tail (the one of `channels` it starts with, when one does).
pub fn unreachable(output: &[String], channels: &[String]) -> Option<(String, String)> {
    for line in output {
        if !line.contains("Download error") {
            continue;
        }
        let Some(url) = line
            .rsplit_once('[')
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(u, _)| u.trim().to_string())
        else {
            continue;
        };
        let named = channels
            .iter()
            .find(|c| {
                let c = c.trim_end_matches('/');
                url.starts_with(&format!("{c}/"))
            })
            .cloned();
        let channel = named.unwrap_or_else(|| {
            // URL/SUBDIR/repodata.json → URL
            let mut parts: Vec<&str> = url.rsplitn(3, '/').collect();
            parts.pop().unwrap_or(&url).to_string()
        });
        return Some((channel, url));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_channel_is_read_from_micromambas_error() {
        let out = vec![
            "critical libmamba Multiple errors occurred:".to_string(),
            "    Download error (37) Could not read a file:// file [file:///tmp/nope/noarch/repodata.json]".to_string(),
            "    Subdir file:///tmp/nope/noarch not loaded!".to_string(),
        ];
        let chans = vec![
            "file:///tmp/ok".to_string(),
            "file:///tmp/nope/".to_string(),
        ];
        assert_eq!(
            unreachable(&out, &chans),
            Some((
                "file:///tmp/nope/".into(),
                "file:///tmp/nope/noarch/repodata.json".into()
            ))
        );
        // A channel micromamba added itself (a `chan::pkg` spec) is named from the URL.
        assert_eq!(
            unreachable(&out, &[]).map(|(c, _)| c),
            Some("file:///tmp/nope".into())
        );
        assert_eq!(unreachable(&out[..1], &chans), None);
    }

    #[test]
    fn env_file_channels_are_read_and_a_lock_has_none() {
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("environment.yml");
        std::fs::write(
            &f,
            "channels:\n  - conda-forge\n  - ' bioconda '\ndependencies: []\n",
        )
        .unwrap();
        assert_eq!(env_file_channels(&f), ["conda-forge", "bioconda"]);
        let l = t.path().join("conda-lock.yml");
        std::fs::write(&l, "channels: [x]\n").unwrap();
        assert!(env_file_channels(&l).is_empty());
    }
}
