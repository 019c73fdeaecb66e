//! The config file, `<config dir>/config.toml` (see the README): desired retention, daily new
//! cards and questions, the new items' order, day start, exam minutes, theme and key overrides.
//! A missing file means the defaults; a broken one is reported with its place and the defaults
//! are used.

pub mod edit;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::app::keymap::Bindings;
use crate::content::Diagnostic;
use crate::srs::{DayStart, NewOrder, Settings};

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigFile {
    /// 0.70–0.99: the recall probability intervals aim for (default 0.9).
    pub desired_retention: Option<f32>,
    /// New topic cards per study day (default 10).
    pub daily_new_cards: Option<u32>,
    /// New questions per study day (default 15).
    pub daily_new_questions: Option<u32>,
    /// Older configs: at most this many new cards and questions together per day (no default).
    pub daily_new_limit: Option<u32>,
    /// "blueprint" (default: domains interleaved by weight, a card then its questions) or
    /// "file" (content order).
    pub new_order: Option<String>,
    /// When a study day starts, "HH:MM" local time (default "04:00").
    pub day_start: Option<String>,
    /// The mock exam's time limit in minutes (default: the blueprint's).
    pub exam_minutes: Option<u32>,
    /// The day of the real exam, "YYYY-MM-DD" (ホーム counts down to it; the forecast is for it).
    pub exam_date: Option<String>,
    /// "color" (default) or "mono" (no colours, as with NO_COLOR).
    pub theme: Option<String>,
    /// Key overrides: action name → one character, e.g. `search = "F"`.
    pub keys: HashMap<String, String>,
    /// A folder kept in step by Syncthing, Dropbox, iCloud Drive or git (`~/` allowed): the TUI
    /// and `shikaku sync` merge progress through it.
    pub sync_dir: Option<String>,
}

impl ConfigFile {
    /// Reads each known key on its own, skipping those that are missing or malformed (their
    /// problems were already reported by the strict parse).
    fn lenient(text: &str) -> Self {
        let Ok(table) = text.parse::<toml::Table>() else {
            return Self::default();
        };
        fn get<T: serde::de::DeserializeOwned>(table: &toml::Table, key: &str) -> Option<T> {
            table.get(key).and_then(|v| v.clone().try_into().ok())
        }
        Self {
            desired_retention: get(&table, "desired_retention"),
            daily_new_cards: get(&table, "daily_new_cards"),
            daily_new_questions: get(&table, "daily_new_questions"),
            daily_new_limit: get(&table, "daily_new_limit"),
            new_order: get(&table, "new_order"),
            day_start: get(&table, "day_start"),
            exam_minutes: get(&table, "exam_minutes"),
            exam_date: get(&table, "exam_date"),
            theme: get(&table, "theme"),
            sync_dir: get(&table, "sync_dir"),
            keys: table
                .get("keys")
                .and_then(|v| v.as_table())
                .map(|keys| {
                    keys.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// The config in force.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Scheduler settings.
    pub settings: Settings,
    /// Mock exam minutes, when set.
    pub exam_minutes: Option<u32>,
    /// The real exam's date, when set.
    pub exam_date: Option<jiff::civil::Date>,
    /// Whether colours are off by config.
    pub mono: bool,
    /// Key bindings.
    pub bindings: Bindings,
    /// The sync folder, when set (`~/` expanded).
    pub sync_dir: Option<PathBuf>,
}

/// A configured path: `~/…` is under the home directory.
fn expand_home(text: &str) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    match text
        .strip_prefix("~/")
        .or_else(|| (text == "~").then_some(""))
    {
        Some(rest) => home().map_or_else(|| PathBuf::from(text), |h| h.join(rest)),
        None => PathBuf::from(text),
    }
}

fn parse_day_start(text: &str) -> Option<DayStart> {
    let (h, m) = text.split_once(':')?;
    let (hour, minute) = (h.trim().parse::<u8>().ok()?, m.trim().parse::<u8>().ok()?);
    (hour < 24 && minute < 60).then_some(DayStart { hour, minute })
}

impl Config {
    /// Reads the config file at `path`; problems are returned as diagnostics and the defaults
    /// stand for anything that could not be read.
    pub fn load(path: &Path) -> (Self, Vec<Diagnostic>) {
        match crate::content::source::read_bounded_text(path) {
            Ok(text) => Self::parse(&path.display().to_string(), &text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => (Self::default(), Vec::new()),
            Err(err) => (
                Self::default(),
                vec![Diagnostic::error(
                    "io",
                    format!("`{}` を読めません: {err}", path.display()),
                )],
            ),
        }
    }

    /// Parses config text (for `load` and tests). A problem with one key never drops the
    /// others: when the whole file does not fit, each known key is read on its own.
    pub fn parse(file: &str, text: &str) -> (Self, Vec<Diagnostic>) {
        let (raw, mut problems) =
            match crate::content::load::parse_toml::<ConfigFile>(file, text, || {
                schemars::SchemaGenerator::default()
                    .into_root_schema_for::<ConfigFile>()
                    .to_value()
            }) {
                Ok(raw) => (raw, Vec::new()),
                Err(problems) => (ConfigFile::lenient(text), problems),
            };
        let mut settings = Settings::default();
        if let Some(r) = raw.desired_retention {
            if (0.7..=0.99).contains(&r) {
                settings.desired_retention = r;
            } else {
                problems.push(Diagnostic::error(
                    "config",
                    format!("{file}: desired_retention は 0.70〜0.99 にしてください({r})"),
                ));
            }
        }
        if let Some(n) = raw.daily_new_cards {
            settings.daily_new_cards = n;
        }
        if let Some(n) = raw.daily_new_questions {
            settings.daily_new_questions = n;
        }
        settings.daily_new_limit = raw.daily_new_limit;
        match raw.new_order.as_deref() {
            None | Some("blueprint") => settings.new_order = NewOrder::Blueprint,
            Some("file") => settings.new_order = NewOrder::File,
            Some(other) => problems.push(Diagnostic::error(
                "config",
                format!("{file}: new_order は \"blueprint\" か \"file\" です({other})"),
            )),
        }
        if let Some(text) = &raw.day_start {
            match parse_day_start(text) {
                Some(day_start) => settings.day_start = day_start,
                None => problems.push(Diagnostic::error(
                    "config",
                    format!("{file}: day_start は \"04:00\" の形で書いてください({text})"),
                )),
            }
        }
        let mono = match raw.theme.as_deref() {
            None | Some("color") => false,
            Some("mono") => true,
            Some(other) => {
                problems.push(Diagnostic::error(
                    "config",
                    format!("{file}: theme は \"color\" か \"mono\" です({other})"),
                ));
                false
            }
        };
        if raw.exam_minutes == Some(0) || raw.exam_minutes.is_some_and(|m| m > 24 * 60) {
            problems.push(Diagnostic::error(
                "config",
                format!(
                    "{file}: exam_minutes は 1〜1440 にしてください({})",
                    raw.exam_minutes.unwrap_or(0)
                ),
            ));
        }
        let exam_minutes = raw.exam_minutes.filter(|m| (1..=24 * 60).contains(m));
        let exam_date = raw.exam_date.as_deref().and_then(|text| {
            let date = text.trim().parse::<jiff::civil::Date>().ok();
            if date.is_none() {
                problems.push(Diagnostic::error(
                    "config",
                    format!("{file}: exam_date は \"2027-01-15\" の形で書いてください({text})"),
                ));
            }
            date
        });
        settings.exam_date = exam_date.map(|d| d.to_string());
        let sync_dir = match raw.sync_dir.as_deref().map(str::trim) {
            None => None,
            Some("") => {
                problems.push(Diagnostic::error(
                    "config",
                    format!("{file}: sync_dir が空です。同期に使うフォルダを書いてください"),
                ));
                None
            }
            Some(text) => Some(expand_home(text)),
        };
        let (bindings, unknown, shadowed) = Bindings::from_config(&raw.keys);
        for entry in unknown {
            problems.push(Diagnostic::error(
                "config",
                format!("{file}: [keys] の {entry} を使えません(動作名 = \"1文字\")"),
            ));
        }
        for (key, action, over) in shadowed {
            problems.push(Diagnostic::warning(
                "config",
                format!(
                    "{file}: [keys] {action} = \"{key}\" は「{over}」のキーを上書きします(その操作はこのキーでできなくなります)"
                ),
            ));
        }
        (
            Self {
                settings,
                exam_minutes,
                exam_date,
                mono,
                bindings,
                sync_dir,
            },
            problems,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_config_keeps_the_other_defaults() {
        let (config, problems) =
            Config::parse("c.toml", "daily_new_limit = 5\nday_start = \"05:30\"\n");
        assert!(problems.is_empty());
        assert_eq!(
            config.settings.daily_new_limit,
            Some(5),
            "old configs still read"
        );
        assert_eq!(config.settings.daily_new_cards, 10);
        assert_eq!(
            config.settings.day_start,
            DayStart {
                hour: 5,
                minute: 30
            }
        );
        assert!((config.settings.desired_retention - 0.9).abs() < 1e-6);
        assert_eq!(config.exam_date, None);
    }

    #[test]
    fn the_exam_date_is_a_calendar_date() {
        let (config, problems) = Config::parse("c.toml", "exam_date = \"2027-01-15\"\n");
        assert!(problems.is_empty());
        assert_eq!(config.exam_date, Some(jiff::civil::date(2027, 1, 15)));
        let (config, problems) = Config::parse("c.toml", "exam_date = \"15/01/2027\"\n");
        assert_eq!(config.exam_date, None);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn one_unknown_key_keeps_every_other_setting() {
        let (config, problems) = Config::parse(
            "c.toml",
            "daily_new_limit = 7\nretention = 0.8\ntheme = \"mono\"\n[keys]\nsearch = \"F\"\n",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "unknown-field");
        assert_eq!(config.settings.daily_new_limit, Some(7));
        assert!(config.mono);
    }

    #[test]
    fn zero_exam_minutes_is_refused_and_a_key_over_another_action_warns() {
        let (config, problems) =
            Config::parse("c.toml", "exam_minutes = 0\n[keys]\nsearch = \"q\"\n");
        assert_eq!(config.exam_minutes, None, "the blueprint's time stands");
        assert!(
            problems
                .iter()
                .any(|p| p.is_error() && p.message.contains("exam_minutes"))
        );
        assert!(
            problems
                .iter()
                .any(|p| !p.is_error() && p.message.contains("\"q\"")),
            "{problems:?}"
        );
    }

    #[test]
    fn sync_dir_is_read_with_the_home_directory_expanded() {
        let (config, problems) = Config::parse("c.toml", "sync_dir = \"~/Sync\"\n");
        assert!(problems.is_empty(), "{problems:?}");
        let dir = config.sync_dir.unwrap();
        assert!(dir.ends_with("Sync") && !dir.starts_with("~"), "{dir:?}");
        let (config, problems) = Config::parse("c.toml", "sync_dir = \"\"\n");
        assert_eq!((config.sync_dir, problems.len()), (None, 1));
    }

    #[test]
    fn bad_values_are_reported_and_defaults_kept() {
        let (config, problems) =
            Config::parse("c.toml", "desired_retention = 1.5\ntheme = \"neon\"\n");
        assert_eq!(problems.len(), 2);
        assert!((config.settings.desired_retention - 0.9).abs() < 1e-6);
        let (_, problems) = Config::parse("c.toml", "retention = 0.8\n");
        assert_eq!(problems[0].code, "unknown-field");
        assert_eq!(problems[0].location.as_ref().map(|l| l.line), Some(1));
    }
}
