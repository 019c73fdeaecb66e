//! The exam guide's task statements: a blueprint's tasks are well-formed, and every question
//! names a task (and skills) that the blueprint of its domain defines.

use std::collections::HashSet;

use super::{Report, Seg};
use crate::content::diagnostic::Diagnostic;
use crate::content::library::{ItemKind, Library, Origin};
use crate::content::model::{Blueprint, Question};
use crate::suggest::did_you_mean;

/// The blueprints that define `domain` and list tasks.
fn task_blueprints<'a>(library: &'a Library, domain: &str) -> Vec<&'a Blueprint> {
    library
        .blueprints
        .iter()
        .filter(|b| !b.tasks.is_empty() && b.domains.iter().any(|d| d.key == domain))
        .collect()
}

/// Checks a question's `task` and `skills` against the blueprints of its domain.
pub(super) fn check_question(
    report: &mut Report<'_>,
    q: &Question,
    origin: Origin,
    library: &Library,
) {
    let blueprints = task_blueprints(library, &q.domain);
    if blueprints.is_empty() {
        return;
    }
    let in_domain = || {
        blueprints
            .iter()
            .flat_map(|b| b.tasks.iter())
            .filter(|t| t.domain == q.domain)
    };
    let Some(task_id) = q.task.as_deref() else {
        let list: Vec<&str> = in_domain().map(|t| t.id.as_str()).collect();
        report.push(
            origin,
            &[Seg::Key("id")],
            Diagnostic::error(
                "missing-task",
                format!("問題 `{}` に `task` がありません", q.id),
            )
            .with_hint(format!(
                "試験ガイドのタスク番号を書いてください(この分野: {})",
                list.join(", ")
            )),
        );
        return;
    };
    let Some(task) = in_domain().find(|t| t.id == task_id) else {
        let elsewhere = blueprints
            .iter()
            .flat_map(|b| b.tasks.iter())
            .find(|t| t.id == task_id);
        let hint = match elsewhere {
            Some(t) => Some(format!(
                "タスク {} は分野 `{}` のものです。この問題の分野は `{}` です",
                t.id, t.domain, q.domain
            )),
            None => did_you_mean(task_id, in_domain().map(|t| t.id.as_str())),
        };
        report.error(
            ItemKind::Question,
            &q.id,
            origin,
            &[Seg::Key("task")],
            Diagnostic::error(
                "unknown-task",
                format!("タスク `{task_id}` はこの分野の試験ガイドにありません"),
            )
            .with_hint_opt(hint),
        );
        return;
    };
    for (i, skill) in q.skills.iter().enumerate() {
        if !task.skills.iter().any(|s| &s.id == skill) {
            let hint = did_you_mean(skill, task.skills.iter().map(|s| s.id.as_str()))
                .unwrap_or_else(|| {
                    let ids: Vec<&str> = task.skills.iter().map(|s| s.id.as_str()).collect();
                    format!("タスク {} のスキル: {}", task.id, ids.join(", "))
                });
            report.push(
                origin,
                &[Seg::Key("skills"), Seg::Index(i)],
                Diagnostic::error(
                    "unknown-skill",
                    format!("スキル `{skill}` はタスク {} にありません", task.id),
                )
                .with_hint(hint),
            );
        }
    }
}

/// Checks a blueprint's tasks: unique ids, known domains, skills numbered under their task.
pub(super) fn check_blueprint(report: &mut Report<'_>, blueprint: &Blueprint, origin: Origin) {
    let domains: HashSet<&str> = blueprint.domains.iter().map(|d| d.key.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, task) in blueprint.tasks.iter().enumerate() {
        let at = |field| [Seg::Key("tasks"), Seg::Index(i), Seg::Key(field)];
        if !seen.insert(task.id.as_str()) {
            report.push(
                origin,
                &at("id"),
                Diagnostic::error(
                    "duplicate-id",
                    format!("タスク `{}` が重複しています", task.id),
                ),
            );
        }
        if !domains.contains(task.domain.as_str()) {
            let hint = did_you_mean(&task.domain, domains.iter().copied());
            report.push(
                origin,
                &at("domain"),
                Diagnostic::error(
                    "unknown-reference",
                    format!(
                        "タスク {} の分野 `{}` はこのブループリントにありません",
                        task.id, task.domain
                    ),
                )
                .with_hint_opt(hint),
            );
        }
        for (k, skill) in task.skills.iter().enumerate() {
            let under_task = skill
                .id
                .strip_prefix(task.id.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !under_task || !seen.insert(skill.id.as_str()) {
                report.push(
                    origin,
                    &[
                        Seg::Key("tasks"),
                        Seg::Index(i),
                        Seg::Key("skills"),
                        Seg::Index(k),
                    ],
                    Diagnostic::error(
                        "invalid-id",
                        format!(
                            "スキル `{}` はタスク {} の番号({}.N)になっていないか、重複しています",
                            skill.id, task.id, task.id
                        ),
                    ),
                );
            }
        }
    }
}
