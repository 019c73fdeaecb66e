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

fn failed(err: impl std::fmt::Display) -> Vec<Msg> {
    vec![Msg::Failed(format!("保存できませんでした: {err}"))]
}

/// Runs one effect (all but Quit and Edit, which need the terminal) and returns the answers.
pub fn perform(rt: &mut Runtime, effect: Effect) -> Vec<Msg> {
    let result: Result<Vec<Msg>, SrsError> = (|| {
        Ok(match effect {
            Effect::Quit | Effect::Edit { .. } => Vec::new(),
            Effect::DiscardEdit { id, path } => {
                match super::editor::discard_copy(&rt.data_dir, &id, &path) {
                    Ok(()) => Vec::new(),
                    Err(e) => vec![Msg::Failed(format!("編集したコピーを削除できません: {e}"))],
                }
            }
            Effect::Record(reviews) => {
                rt.store.record_all(&reviews)?;
                vec![Msg::Refreshed(refresh(&rt.store, &ids_of(&reviews))?)]
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
                vec![
                    Msg::ExamSaved(id),
                    Msg::Refreshed(Refresh {
                        attempts: Some(attempts),
                        ..Refresh::default()
                    }),
                ]
            }
            Effect::Reload => {
                let mut out = vec![Msg::Reloaded(reload(&rt.sources))];
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

/// Reads the content again; any error keeps the old content in use.
pub fn reload(sources: &Sources) -> Result<Arc<Library>, Vec<String>> {
    let loaded = content::load(sources);
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
