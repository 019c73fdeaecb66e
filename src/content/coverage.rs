//! Coverage of an exam guide: questions per domain (share against weight), per task statement
//! and per skill, by type — what `shikaku lint --coverage` prints and instructors check their
//! own exams with.

use std::collections::BTreeMap;

use serde::Serialize;

use super::diagnostic::Diagnostic;
use super::library::Library;
use super::model::{Blueprint, QuestionType};

/// A skill needs at least this many questions.
pub const MIN_PER_SKILL: usize = 2;
/// A domain's share may be this many percentage points off its weight.
pub const MAX_WEIGHT_GAP: f64 = 1.5;

/// Question counts by type.
pub type ByType = BTreeMap<&'static str, usize>;

/// One domain's count against its weight.
#[derive(Debug, Clone, Serialize)]
pub struct DomainCoverage {
    /// Domain key.
    pub key: String,
    /// Japanese name.
    pub name: String,
    /// The blueprint's weight in percent.
    pub weight: u32,
    /// Questions in the domain.
    pub questions: usize,
    /// Their share of all questions, in percent.
    pub share: f64,
}

/// One task statement's count.
#[derive(Debug, Clone, Serialize)]
pub struct TaskCoverage {
    /// "4.2".
    pub id: String,
    /// Its domain key.
    pub domain: String,
    /// Japanese title.
    pub title: String,
    /// Questions naming it.
    pub questions: usize,
    /// Those by type.
    pub by_type: ByType,
}

/// One skill's count.
#[derive(Debug, Clone, Serialize)]
pub struct SkillCoverage {
    /// "4.2.3".
    pub id: String,
    /// Its task.
    pub task: String,
    /// Japanese title.
    pub title: String,
    /// Questions naming it.
    pub questions: usize,
}

/// The whole picture for one blueprint.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// The blueprint's id.
    pub exam: String,
    /// Questions in the blueprint's domains.
    pub questions: usize,
    /// Those by type.
    pub by_type: ByType,
    /// Per domain, in blueprint order.
    pub domains: Vec<DomainCoverage>,
    /// Per task, in blueprint order.
    pub tasks: Vec<TaskCoverage>,
    /// Per skill, in blueprint order.
    pub skills: Vec<SkillCoverage>,
    /// Questions whose task is missing or unknown.
    pub untasked: usize,
}

fn empty_by_type() -> ByType {
    [
        QuestionType::Single,
        QuestionType::Multi,
        QuestionType::Order,
        QuestionType::Match,
    ]
    .into_iter()
    .map(|k| (k.as_str(), 0))
    .collect()
}

/// Counts the library's questions against `blueprint`.
pub fn coverage(library: &Library, blueprint: &Blueprint) -> Coverage {
    let in_exam: Vec<_> = library
        .questions
        .iter()
        .filter(|q| blueprint.domains.iter().any(|d| d.key == q.domain))
        .collect();
    let total = in_exam.len();
    let mut by_type = empty_by_type();
    for q in &in_exam {
        *by_type.entry(q.kind.as_str()).or_default() += 1;
    }
    let domains = blueprint
        .domains
        .iter()
        .map(|d| {
            let questions = in_exam.iter().filter(|q| q.domain == d.key).count();
            DomainCoverage {
                key: d.key.clone(),
                name: d.name.clone(),
                weight: d.weight,
                questions,
                share: if total == 0 {
                    0.0
                } else {
                    questions as f64 * 100.0 / total as f64
                },
            }
        })
        .collect();
    let mut tasks = Vec::new();
    let mut skills = Vec::new();
    let mut untasked = 0;
    for q in &in_exam {
        let known = q.task.as_deref().is_some_and(|t| {
            blueprint
                .tasks
                .iter()
                .any(|task| task.id == t && task.domain == q.domain)
        });
        if !known && !blueprint.tasks.is_empty() {
            untasked += 1;
        }
    }
    for task in &blueprint.tasks {
        let of_task: Vec<_> = in_exam
            .iter()
            .filter(|q| q.domain == task.domain && q.task.as_deref() == Some(task.id.as_str()))
            .collect();
        let mut task_types = empty_by_type();
        for q in &of_task {
            *task_types.entry(q.kind.as_str()).or_default() += 1;
        }
        tasks.push(TaskCoverage {
            id: task.id.clone(),
            domain: task.domain.clone(),
            title: task.title.clone(),
            questions: of_task.len(),
            by_type: task_types,
        });
        for skill in &task.skills {
            skills.push(SkillCoverage {
                id: skill.id.clone(),
                task: task.id.clone(),
                title: skill.title.clone(),
                questions: of_task
                    .iter()
                    .filter(|q| q.skills.contains(&skill.id))
                    .count(),
            });
        }
    }
    Coverage {
        exam: blueprint.id.clone(),
        questions: total,
        by_type,
        domains,
        tasks,
        skills,
        untasked,
    }
}

impl Coverage {
    /// The gaps worth a warning: a skill under [`MIN_PER_SKILL`] questions, a domain more than
    /// [`MAX_WEIGHT_GAP`] points off its weight.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for d in &self.domains {
            let gap = d.share - f64::from(d.weight);
            if gap.abs() > MAX_WEIGHT_GAP {
                let total = self.questions as f64;
                let target = (f64::from(d.weight) * total / 100.0).round();
                out.push(
                    Diagnostic::warning(
                        "coverage-weight",
                        format!(
                            "分野 {}({})の問題は {:.1}% で、重み {}% から {:+.1} ポイント離れています",
                            d.name, d.key, d.share, d.weight, gap
                        ),
                    )
                    .with_hint(format!(
                        "いまの総数なら約 {target} 問({} 問)が目安です",
                        d.questions
                    )),
                );
            }
        }
        for s in &self.skills {
            if s.questions < MIN_PER_SKILL {
                out.push(
                    Diagnostic::warning(
                        "coverage-skill",
                        format!(
                            "スキル {}「{}」の問題が {} 問です({} 問以上にしてください)",
                            s.id, s.title, s.questions, MIN_PER_SKILL
                        ),
                    )
                    .with_hint(format!(
                        "タスク {} の問題に `skills = [\"{}\"]` を付けるか、問題を足してください",
                        s.task, s.id
                    )),
                );
            }
        }
        out
    }

    /// The report as text: domains, tasks, skills.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let types = |t: &ByType| {
            t.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(" / ")
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "カバレッジ({}): 問題 {}({})",
            self.exam,
            self.questions,
            types(&self.by_type)
        );
        let _ = writeln!(out, "\n分野            問題   割合   重み   差");
        for d in &self.domains {
            let _ = writeln!(
                out,
                "  {:<22} {:>4}  {:>5.1}%  {:>3}%  {:+.1}",
                d.key,
                d.questions,
                d.share,
                d.weight,
                d.share - f64::from(d.weight)
            );
        }
        if !self.tasks.is_empty() {
            let _ = writeln!(out, "\nタスク");
            for t in &self.tasks {
                let _ = writeln!(
                    out,
                    "  {:<4} {:>4}問  ({})  {}",
                    t.id,
                    t.questions,
                    types(&t.by_type),
                    t.title
                );
                for s in self.skills.iter().filter(|s| s.task == t.id) {
                    let mark = if s.questions < MIN_PER_SKILL {
                        "!"
                    } else {
                        " "
                    };
                    let _ = writeln!(
                        out,
                        "   {mark}{:<6} {:>3}問  {}",
                        s.id, s.questions, s.title
                    );
                }
            }
        }
        if self.untasked > 0 {
            let _ = writeln!(out, "\nタスクのない問題: {}", self.untasked);
        }
        out
    }
}
