//! Running effects: the only place the app's decisions touch the store and the file system.
//! Each effect answers with messages for `update`. Kept apart from the terminal so tests can run
//! an app against a real store without one.

use std::path::PathBuf;
use std::sync::Arc;

use crate::app::progress::{Progress, Refresh};
use crate::app::{App, Effect, Msg, update};
use crate::content::{self, Library, Sources};
use crate::srs::{Moment, NewReview, Settings, SrsError, Store};

/// What effects need: the store, where content comes from, where data lives.
pub struct Runtime {
    /// The progress store.
    pub store: Store,
    /// Content sources (for reload).
    pub sources: Sources,
    /// The data directory (edited copies of embedded scenarios go here).
    pub data_dir: PathBuf,
    /// The sync folder from the config: synced at start, on quit and on reload (`r`).
    pub sync_dir: Option<PathBuf>,
    /// The config file, for the exam date set on ホーム (None: not known, nothing is written).
    pub config_path: Option<PathBuf>,
    /// Answers that could not be saved yet (the store was locked or failing): retried before
    /// every later message, and written to a file at quit if they still fail.
    pub pending: Vec<Vec<NewReview>>,
}

impl Runtime {
    /// A runtime over an open store.
    pub fn new(store: Store, sources: Sources, data_dir: PathBuf) -> Self {
        Self {
            store,
            sources,
            data_dir,
            pending: Vec::new(),
            sync_dir: None,
            config_path: None,
        }
    }

    /// Tries the answers that could not be saved yet, oldest first; stops at the first that
    /// still fails. Returns the messages for those that were saved.
    pub fn retry_pending(&mut self) -> Vec<Msg> {
        let mut answers = Vec::new();
        while let Some(reviews) = self.pending.first() {
            match self.store.record_all(reviews) {
                Ok(_) => {
                    let reviews = self.pending.remove(0);
                    match refresh(&self.store, &ids_of(&reviews)) {
                        Ok(refreshed) => answers.push(Msg::Refreshed(refreshed)),
                        Err(e) => return failed(e),
                    }
                    if self.pending.is_empty() {
                        answers.push(Msg::Failed(crate::strings::SAVED_AFTER_RETRY.into()));
                    }
                }
                Err(_) => break,
            }
        }
        answers
    }

    /// At quit: one last try, then the answers that still could not be saved are written as a
    /// progress export next to the store, so `shikaku import` brings them back. Returns what to
    /// tell the learner, if anything.
    pub fn flush_pending(&mut self, now: Moment) -> Option<String> {
        let _ = self.retry_pending();
        if self.pending.is_empty() {
            return None;
        }
        let reviews: Vec<crate::srs::ReviewRecord> = self
            .pending
            .iter()
            .flatten()
            .map(|r| crate::srs::ReviewRecord {
                id: 0,
                item: r.item.clone(),
                at: r.at,
                rating: r.rating,
                elapsed_days: 0,
                answer_ms: r.answer_ms,
                chosen: r.chosen.clone(),
                source: "unsaved".into(),
            })
            .collect();
        let file = crate::srs::exchange::export_json(&reviews, now);
        let path = self.data_dir.join(format!(
            "unsaved-answers-{}.json",
            now.timestamp.as_second()
        ));
        let written = serde_json::to_string_pretty(&file)
            .map_err(std::io::Error::other)
            .and_then(|text| std::fs::write(&path, text));
        Some(match written {
            Ok(()) => format!(
                "保存できなかった回答 {} 件を {} に書き出しました。`shikaku import {}` で取り込めます",
                reviews.len(),
                path.display(),
                path.display()
            ),
            Err(e) => format!(
                "保存できなかった回答が {} 件あり、{} にも書き出せませんでした: {e}",
                reviews.len(),
                path.display()
            ),
        })
    }
}

/// Syncs with the folder, if one is configured: the line to show (what came in, or what went
/// wrong) and the items to refresh.
pub fn sync(rt: &mut Runtime) -> Option<(Option<String>, Vec<String>)> {
    let folder = rt.sync_dir.clone()?;
    Some(match rt.store.sync_folder(&folder, now()) {
        Ok(report) => {
            let line = report
                .notices
                .first()
                .map(|n| format!("同期: {n}"))
                .or_else(|| report.summary());
            (line, report.touched)
        }
        Err(err) => (Some(format!("同期できませんでした: {err}")), Vec::new()),
    })
}

/// The current time with the local UTC offset.
pub fn now() -> Moment {
    Moment::from_zoned(&jiff::Zoned::now())
}

/// Reads the whole progress mirror from the store.
/// Studied items whose content changed since are flagged first (the catalog carries the
/// fingerprints), so the mirror reads each item once, flags included.
pub fn load_progress(
    store: &mut Store,
    library: &Library,
    settings: Settings,
) -> Result<Progress, SrsError> {
    let mut progress = Progress::empty(library, settings)?;
    store.sync_content(&progress.catalog)?;
    progress.scheduler = store.scheduler().clone();
    progress.items = store.items()?;
    progress.reviews = store.all_reviews()?;
    progress.attempts = store.exam_attempts()?;
    progress.flagged = store.flagged()?;
    Ok(progress)
}

fn refresh(store: &Store, ids: &[String]) -> Result<Refresh, SrsError> {
    let mut out = Refresh::default();
    for id in ids {
        out.items.push((id.clone(), store.item(id)?));
        out.histories.push((id.clone(), store.history(id)?));
    }
    Ok(out)
}

fn ids_of(reviews: &[NewReview]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for review in reviews {
        if !ids.contains(&review.item) {
            ids.push(review.item.clone());
        }
    }
    ids
}

/// Asks the terminal to put `text` on the clipboard (OSC 52; terminals that do not support it
/// ignore it). The text is base64, so nothing in it can reach the terminal as a control.
fn copy_to_clipboard(text: &str) {
    use std::io::Write;
    let sequence = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
    let mut out = std::io::stdout().lock();
    let _ = out
        .write_all(sequence.as_bytes())
        .and_then(|()| out.flush());
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A few words on why a save failed, short enough for the one-line notice.
fn short_reason(err: &SrsError) -> &'static str {
    match err {
        SrsError::Busy { .. } => "別の shikaku がデータベースを使用中",
        SrsError::ReadOnly { .. } => "データベースに書き込めません",
        SrsError::Io { .. } => "ファイルに書き込めません(ディスクの空きを確かめてください)",
        _ if err.to_string().contains("full") => "ディスクの空きがありません",
        _ => "データベースのエラー",
    }
}

fn failed(err: impl std::fmt::Display) -> Vec<Msg> {
    vec![Msg::Failed(format!("保存できませんでした: {err}"))]
}

/// Runs one effect (all but Quit and Edit, which need the terminal) and returns the answers.
pub fn perform(rt: &mut Runtime, effect: Effect) -> Vec<Msg> {
    let result: Result<Vec<Msg>, SrsError> = (|| {
        Ok(match effect {
            Effect::Quit | Effect::Edit { .. } => Vec::new(),
            Effect::Copy(text) => {
                copy_to_clipboard(&text);
                Vec::new()
            }
            Effect::DiscardEdit { id, path } => {
                match super::editor::discard_copy(&rt.data_dir, &id, &path) {
                    Ok(()) => Vec::new(),
                    Err(e) => vec![Msg::Failed(format!("編集したコピーを削除できません: {e}"))],
                }
            }
            Effect::Record(reviews) => {
                // An earlier answer that is still unsaved goes first, so the log keeps its order.
                if !rt.pending.is_empty() {
                    rt.pending.push(reviews);
                    return Ok(vec![Msg::Failed(crate::strings::SAVE_PENDING.into())]);
                }
                match rt.store.record_all(&reviews) {
                    Ok(_) => vec![Msg::Refreshed(refresh(&rt.store, &ids_of(&reviews))?)],
                    Err(e) => {
                        rt.pending.push(reviews);
                        vec![Msg::Failed(format!(
                            "{}({})",
                            crate::strings::SAVE_PENDING,
                            short_reason(&e)
                        ))]
                    }
                }
            }
            Effect::Rerate(reviews) => {
                let undone = rt.store.undo_last()?;
                rt.store.record_all(&reviews)?;
                let mut ids = ids_of(&reviews);
                for r in undone.iter().flat_map(|u| &u.reviews) {
                    if !ids.contains(&r.item) {
                        ids.push(r.item.clone());
                    }
                }
                vec![Msg::Refreshed(refresh(&rt.store, &ids)?)]
            }
            Effect::Undo => match rt.store.undo_last()? {
                Some(undone) => {
                    let mut ids = vec![undone.item.clone()];
                    for r in &undone.reviews {
                        if !ids.contains(&r.item) {
                            ids.push(r.item.clone());
                        }
                    }
                    vec![Msg::Refreshed(refresh(&rt.store, &ids)?), Msg::Undone(ids)]
                }
                None => vec![Msg::Failed("取り消す回答がありません".into())],
            },
            Effect::Suspend { id, suspended } => {
                rt.store.set_suspended(&id, suspended)?;
                vec![Msg::Refreshed(refresh(&rt.store, &[id])?)]
            }
            Effect::Flag { id, flagged } => {
                rt.store.set_flagged(&id, flagged)?;
                let flagged = Some(rt.store.flagged()?);
                vec![Msg::Refreshed(Refresh {
                    flagged,
                    ..Refresh::default()
                })]
            }
            Effect::Bury { id } => {
                rt.store.bury(&id, now())?;
                vec![Msg::Refreshed(refresh(&rt.store, &[id])?)]
            }
            Effect::SaveExam(attempt) => {
                let id = rt.store.save_exam_attempt(&attempt)?;
                let attempts = rt.store.exam_attempts()?;
                let refreshed = Msg::Refreshed(Refresh {
                    attempts: Some(attempts),
                    ..Refresh::default()
                });
                // Only a new attempt needs its id back; an update (closing an abandoned one
                // while a new one starts) must not hand its id to the exam on screen.
                match attempt.id {
                    None => vec![Msg::ExamSaved(id), refreshed],
                    Some(_) => vec![refreshed],
                }
            }
            Effect::SaveExamDate(date) => save_exam_date(rt, date)?,
            Effect::Reload => {
                let mut out = vec![Msg::Reloaded(reload(&rt.sources, &rt.data_dir))];
                if let Some((line, touched)) = sync(rt) {
                    let mut refreshed = refresh(&rt.store, &touched)?;
                    refreshed.attempts = Some(rt.store.exam_attempts()?);
                    refreshed.flagged = Some(rt.store.flagged()?);
                    out.push(Msg::Refreshed(refreshed));
                    // Shown in the notice line (the message is not a failure).
                    out.extend(line.map(Msg::Failed));
                }
                out
            }
        })
    })();
    result.unwrap_or_else(failed)
}

/// Puts the exam date in force in the store (every item recomputed, as when the config changes
/// between runs) and writes it into the config file. A file that cannot be written loses
/// nothing: the old file stays whole and the date holds for this run.
fn save_exam_date(rt: &mut Runtime, date: Option<jiff::civil::Date>) -> Result<Vec<Msg>, SrsError> {
    let shown = |path: &std::path::Path| {
        crate::text::escape_controls(&path.display().to_string()).into_owned()
    };
    let saved = match &rt.config_path {
        Some(path) => crate::config::edit::set_exam_date(path, date)
            .map(|()| shown(path))
            .map_err(|e| crate::text::escape_controls(&e.to_string()).into_owned()),
        None => Err(crate::strings::EXAM_DATE_NO_CONFIG.to_string()),
    };
    let mut settings = rt.store.scheduler().settings().clone();
    settings.exam_date = date.map(|d| d.to_string());
    rt.store.set_settings(settings)?;
    let items = rt.store.items()?;
    let refreshed = Msg::Refreshed(Refresh {
        items: items
            .into_iter()
            .map(|(id, item)| (id, Some(item)))
            .collect(),
        ..Refresh::default()
    });
    Ok(vec![refreshed, Msg::ExamDateSaved(saved)])
}

/// Reads the content again (unchanged files from the parsed-content cache in `data_dir`); any
/// error keeps the old content in use.
pub fn reload(sources: &Sources, data_dir: &std::path::Path) -> Result<Arc<Library>, Vec<String>> {
    let loaded = content::load_cached(sources, data_dir);
    if loaded.error_count() > 0 {
        return Err(loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render_plain())
            .collect());
    }
    Ok(Arc::new(loaded.library))
}

/// What the editor callback needs to open a scenario.
#[derive(Debug, Clone, Copy)]
pub struct EditRequest<'a> {
    /// The scenario's id (names the copy).
    pub id: &'a str,
    /// Its path as loaded.
    pub path: &'a str,
    /// Its text as loaded, for the first copy.
    pub text: &'a str,
}

/// Applies a message and runs every effect it leads to, until none is left. Returns true when
/// the app asked to quit.
pub fn dispatch(
    app: &mut App,
    rt: &mut Runtime,
    msg: Msg,
    edit: &mut dyn FnMut(EditRequest<'_>) -> Msg,
) -> bool {
    let mut queue = vec![msg];
    if !rt.pending.is_empty() {
        let mut saved = rt.retry_pending();
        saved.reverse();
        queue.extend(saved);
    }
    let mut quit = false;
    while let Some(msg) = queue.pop() {
        for effect in update(app, msg) {
            match effect {
                Effect::Quit => quit = true,
                Effect::Edit { id, path, text } => queue.insert(
                    0,
                    edit(EditRequest {
                        id: &id,
                        path: &path,
                        text: &text,
                    }),
                ),
                other => {
                    // Answers are applied in order before anything else is drawn.
                    let mut answers = perform(rt, other);
                    answers.reverse();
                    queue.extend(answers);
                }
            }
        }
    }
    quit
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(super::base64(b"q-kms"), "cS1rbXM=");
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b"abc"), "YWJj");
    }
}
