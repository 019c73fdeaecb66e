//! `shikaku today [--json]`: today's study queue exactly as the 学習 screen will show it (the
//! same store, config, content and day seed), each item with its kind, domain and why it is
//! there. `SHIKAKU_NOW` fixes "now" as for the other progress commands.

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use super::Ctx;
use crate::srs::{
    Catalog, ItemKind, Moment, QueueEntry, QueueReason, Scheduler, StoredItem, build_queue,
    day_seed,
};

/// `shikaku today [--json]`
#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// One row of the plan.
#[derive(Debug, Serialize)]
struct Row {
    position: usize,
    id: String,
    kind: ItemKind,
    domain: Option<String>,
    domain_name: Option<String>,
    reason: QueueReason,
    /// Japanese, for people.
    why: String,
    /// When it became (or becomes) due, for learning items and reviews.
    due: Option<String>,
    /// The predicted recall now, for items with a memory.
    retrievability: Option<f32>,
    /// The topic card a new question follows.
    follows: Option<String>,
}

/// Counts by reason.
#[derive(Debug, Default, Serialize)]
struct Counts {
    learning: usize,
    review: usize,
    new: usize,
}

/// The whole plan.
#[derive(Debug, Serialize)]
struct Plan {
    /// The study day (it starts at `day_start`).
    date: String,
    counts: Counts,
    items: Vec<Row>,
}

fn why(
    entry: &QueueEntry,
    stored: Option<&StoredItem>,
    scheduler: &Scheduler,
    catalog: &Catalog,
    now: Moment,
) -> (String, Option<String>, Option<f32>) {
    let state = stored.map(|s| &s.state);
    let recall = state.and_then(|s| scheduler.retrievability(s, now));
    let recall_text = recall.map_or_else(String::new, |r| format!("、想起確率 {:.0}%", r * 100.0));
    match entry.reason {
        QueueReason::Learning => {
            let due = state.and_then(|s| s.due).map(|t| Moment {
                timestamp: t,
                offset: now.offset,
            });
            let when = due.map_or_else(String::new, |d| d.to_zoned().strftime("%H:%M").to_string());
            let text = if due.is_some_and(|d| d.timestamp > now.timestamp) {
                format!("学習ステップ({when} の予定。ほかがなければ先に出す)")
            } else {
                format!("学習ステップの時刻が来た({when}){recall_text}")
            };
            (text, due.map(|d| d.to_rfc3339()), recall)
        }
        QueueReason::Due => {
            let due_day = state.and_then(|s| s.due_day);
            let today = now.day(scheduler.settings().day_start);
            let late = due_day.map_or(0, |d| today.days_since(d));
            let date = due_day.map(|d| d.date().to_string());
            let text = match late {
                0 => format!("復習の期日が今日{recall_text}"),
                n => format!("復習の期日を{n}日過ぎている{recall_text}"),
            };
            (text, date, recall)
        }
        QueueReason::New => {
            let domain = catalog
                .get(&entry.id)
                .and_then(|i| i.domain.as_deref())
                .map(|d| catalog.domain_name(d).unwrap_or(d).to_string())
                .unwrap_or_default();
            let text = match (&entry.follows, entry.kind) {
                (Some(card), _) => format!("新しい問題: トピックカード {card} のあとに解く"),
                (None, ItemKind::Card) => format!("新しいトピックカード({domain})"),
                (None, _) => format!("新しい問題({domain})"),
            };
            (text, None, None)
        }
    }
}

/// Today's queue at `now` as the study screen builds it.
fn plan(
    catalog: &Catalog,
    items: &HashMap<String, StoredItem>,
    scheduler: &Scheduler,
    now: Moment,
) -> Plan {
    let settings = scheduler.settings();
    let day = now.day(settings.day_start);
    let queue = build_queue(catalog, items, now, settings, day_seed(day));
    let mut counts = Counts::default();
    let rows = queue
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            match entry.reason {
                QueueReason::Learning => counts.learning += 1,
                QueueReason::Due => counts.review += 1,
                QueueReason::New => counts.new += 1,
            }
            let domain = catalog.get(&entry.id).and_then(|c| c.domain.clone());
            let (why, due, retrievability) =
                why(entry, items.get(&entry.id), scheduler, catalog, now);
            Row {
                position: i + 1,
                id: entry.id.clone(),
                kind: entry.kind,
                domain_name: domain
                    .as_deref()
                    .and_then(|d| catalog.domain_name(d))
                    .map(str::to_string),
                domain,
                reason: entry.reason,
                why,
                due,
                retrievability,
                follows: entry.follows.clone(),
            }
        })
        .collect();
    Plan {
        date: day.date().to_string(),
        counts,
        items: rows,
    }
}

/// `shikaku today`.
pub fn run(ctx: &Ctx, args: TodayArgs) -> Result<ExitCode> {
    let now = super::progress::now()?;
    let store = super::progress::open_reading(ctx)?;
    let catalog = Catalog::from_library(&ctx.load_library());
    let plan = plan(&catalog, &store.items()?, store.scheduler(), now);
    if args.json {
        crate::cli::out::json(&plan)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "今日の学習({}): 学習中 {}  復習 {}  新規 {}",
        plan.date,
        plan.counts.learning,
        plan.counts.review,
        plan.counts.new
    );
    if plan.items.is_empty() {
        outln!("今日の分は終わりました");
    }
    for row in &plan.items {
        let reason = match row.reason {
            QueueReason::Learning => "学習中",
            QueueReason::Due => "復習",
            QueueReason::New => "新規",
        };
        outln!(
            "{:>4}. [{reason}] {}  {}  {}",
            row.position,
            row.kind.label(),
            row.id,
            row.domain.as_deref().unwrap_or("-")
        );
        outln!("        {}", row.why);
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{CatalogItem, Settings};

    #[test]
    fn a_new_question_says_which_card_it_follows() {
        let item = |id: &str, kind| CatalogItem {
            id: id.into(),
            kind,
            domain: Some("iam".into()),
            fingerprint: 0,
        };
        let catalog = Catalog::new(vec![
            item("c", ItemKind::Card),
            item("q", ItemKind::Question),
        ])
        .with_links(
            HashMap::from([("q".to_string(), vec!["c".to_string()])]),
            vec![("iam".into(), 20)],
        );
        let scheduler = Scheduler::new(Settings::default(), &[]).unwrap();
        let now = Moment::parse_rfc3339("2026-12-01T09:00:00+09:00").unwrap();
        let plan = plan(&catalog, &HashMap::new(), &scheduler, now);
        assert_eq!(plan.date, "2026-12-01");
        let ids: Vec<&str> = plan.items.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["c", "q"]);
        assert_eq!(plan.items[1].follows.as_deref(), Some("c"));
        assert!(
            plan.items[1].why.contains("c のあとに"),
            "{}",
            plan.items[1].why
        );
        assert_eq!(plan.counts.new, 2);
    }
}
