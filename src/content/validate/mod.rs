//! Semantic checks across all files: references that resolve, questions that can be answered,
//! every wrong choice explained. Problems are placed at the offending field by re-reading the
//! file's spans (only when there is a problem, so clean loads stay fast).

mod tasks;
pub mod terms;
pub mod writing;

use std::collections::{HashMap, HashSet};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, Location};
use super::library::{ItemKind, Library, Origin};
use super::model::{Question, QuestionType};
use super::source::{FileKind, SourceFile};
use crate::suggest::did_you_mean;

/// One step of a path inside a file.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    /// A table key.
    Key(&'a str),
    /// An array position.
    Index(usize),
}

/// Finds the span of `path` under an item; falls back to the nearest existing ancestor.
pub fn locate(files: &[SourceFile], origin: &Origin, path: &[Seg<'_>]) -> Option<Location> {
    Locator::new(files).locate(origin, path)
}

/// Resolves item paths to locations, parsing each file at most once.
pub struct Locator<'a> {
    files: &'a [SourceFile],
    trees: HashMap<usize, Option<Spanned<DeTable<'a>>>>,
    lines: HashMap<usize, Vec<usize>>,
}

impl<'a> Locator<'a> {
    /// A locator over the files of one load.
    pub fn new(files: &'a [SourceFile]) -> Self {
        Self {
            files,
            trees: HashMap::new(),
            lines: HashMap::new(),
        }
    }

    /// The location of `path` under the item at `origin`.
    pub fn locate(&mut self, origin: &Origin, path: &[Seg<'_>]) -> Option<Location> {
        let file = self.files.get(origin.file)?;
        let text: &'a str = file.text.as_deref().ok()?;
        if file.kind == FileKind::ScenarioJson {
            return Some(Location::from_span(&file.path, text, 0..0));
        }
        let tree = self
            .trees
            .entry(origin.file)
            .or_insert_with(|| DeTable::parse(text).ok())
            .as_ref()?;
        let span = toml_span(tree, origin, path);
        let starts = self
            .lines
            .entry(origin.file)
            .or_insert_with(|| super::diagnostic::line_starts(text));
        Some(Location::from_span_in(&file.path, text, span, starts))
    }
}

fn toml_span(
    root: &Spanned<DeTable<'_>>,
    origin: &Origin,
    path: &[Seg<'_>],
) -> std::ops::Range<usize> {
    let mut span = root.span().start..root.span().start;
    let mut current: Option<&DeValue<'_>> = None;
    let mut table = Some(root.get_ref());
    let mut steps: Vec<Seg<'_>> = Vec::new();
    if let Some(array) = origin.array {
        steps.push(Seg::Key(array));
        steps.push(Seg::Index(origin.index));
    }
    steps.extend_from_slice(path);
    for step in steps {
        let next: Option<&Spanned<DeValue<'_>>> = match (step, table, current) {
            (Seg::Key(key), Some(t), _) => t.get(key),
            (Seg::Index(i), _, Some(DeValue::Array(items))) => items.get(i),
            _ => None,
        };
        let Some(next) = next else { break };
        // A key's value spans the value; for whole tables, point at the table's start.
        span = next.span();
        current = Some(next.get_ref());
        table = next.get_ref().as_table();
    }
    span
}

/// Collects problems with their file index; knows which items are broken.
struct Report<'a> {
    /// Warnings are only worth finding for `lint`; the TUI shows errors.
    lint: bool,
    locator: Locator<'a>,
    out: Vec<(usize, Diagnostic)>,
    broken: HashSet<(ItemKind, String)>,
}

impl Report<'_> {
    fn push(&mut self, origin: Origin, path: &[Seg<'_>], diagnostic: Diagnostic) {
        if !self.lint && !diagnostic.is_error() {
            return;
        }
        // Items built in code (not loaded from a file) have no location.
        let location = if origin.file == usize::MAX {
            None
        } else {
            self.locator.locate(&origin, path)
        };
        let file = if origin.file == usize::MAX {
            0
        } else {
            origin.file
        };
        let mut diagnostic = diagnostic;
        diagnostic.location = location;
        self.out.push((file, diagnostic));
    }

    fn error(
        &mut self,
        kind: ItemKind,
        id: &str,
        origin: Origin,
        path: &[Seg<'_>],
        diagnostic: Diagnostic,
    ) {
        self.broken.insert((kind, id.to_string()));
        self.push(origin, path, diagnostic);
    }
}

/// Problems, each with the index of the file it belongs to.
pub type Problems = Vec<(usize, Diagnostic)>;

/// Items too broken to use, by kind and id.
pub type Broken = HashSet<(ItemKind, String)>;

/// Checks the merged library. Returns the problems and the items that are too broken to use.
pub fn check(files: &[SourceFile], library: &Library, lint: bool) -> (Problems, Broken) {
    let mut report = Report {
        lint,
        locator: Locator::new(files),
        out: Vec::new(),
        broken: HashSet::new(),
    };
    let domains = library.domain_keys();
    let domain_list = || {
        let mut list: Vec<&str> = domains.iter().copied().collect();
        list.sort_unstable();
        list.join(", ")
    };
    let unknown_ref = |what: &str, id: &str, candidates: Vec<&str>| {
        let hint = did_you_mean(id, candidates.iter().copied());
        Diagnostic::error("unknown-reference", format!("{what} `{id}` は存在しません"))
            .with_hint_opt(hint)
    };
    let card_ids: Vec<&str> = library.cards.iter().map(|c| c.id.as_str()).collect();
    let misconception_ids: Vec<&str> = library
        .misconceptions
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    let scenario_ids: Vec<&str> = library
        .scenarios
        .iter()
        .map(|s| s.scenario.id.as_str())
        .collect();

    for (card, origin) in library.cards.iter().zip(&library.origins.cards) {
        let origin = *origin;
        if !domains.is_empty() && !domains.contains(card.domain.as_str()) {
            let d = unknown_ref("分野", &card.domain, domains.iter().copied().collect())
                .with_hint(format!("使える分野: {}", domain_list()));
            report.error(ItemKind::Card, &card.id, origin, &[Seg::Key("domain")], d);
        }
        if card.title.trim().is_empty() {
            report.error(
                ItemKind::Card,
                &card.id,
                origin,
                &[Seg::Key("title")],
                Diagnostic::error("empty", "`title` が空です"),
            );
        }
        if card.facts.iter().all(|f| f.trim().is_empty()) {
            report.error(
                ItemKind::Card,
                &card.id,
                origin,
                &[Seg::Key("facts")],
                Diagnostic::error("empty", "`facts` に要点がありません")
                    .with_hint("覚えるべき要点を1つ以上書いてください"),
            );
        }
        for (i, related) in card.related.iter().enumerate() {
            if library.card(related).is_none() {
                let d = unknown_ref("関連カード", related, card_ids.clone());
                report.push(origin, &[Seg::Key("related"), Seg::Index(i)], d);
            }
        }
        check_id(&mut report, ItemKind::Card, &card.id, origin);
    }

    for (question, origin) in library.questions.iter().zip(&library.origins.questions) {
        let origin = *origin;
        let id = question.id.as_str();
        if !domains.is_empty() && !domains.contains(question.domain.as_str()) {
            let d = unknown_ref("分野", &question.domain, domains.iter().copied().collect())
                .with_hint(format!("使える分野: {}", domain_list()));
            report.error(ItemKind::Question, id, origin, &[Seg::Key("domain")], d);
        }
        for (i, topic) in question.topics.iter().enumerate() {
            if library.card(topic).is_none() {
                let d = unknown_ref("トピック", topic, card_ids.clone());
                report.push(origin, &[Seg::Key("topics"), Seg::Index(i)], d);
            }
        }
        if let Some(scenario) = &question.scenario {
            if library.scenario(scenario).is_none() {
                let d = unknown_ref("シナリオ", scenario, scenario_ids.clone())
                    .with_hint("quizzes/scenarios/ に同じ id のシナリオを置いてください");
                report.push(origin, &[Seg::Key("scenario")], d);
            }
            if question.no_scenario.is_some() {
                report.push(
                    origin,
                    &[Seg::Key("no_scenario")],
                    Diagnostic::error("conflict", "`scenario` と `no_scenario` は同時に書けません")
                        .with_hint("シミュレータで示せるなら `scenario` だけを残してください"),
                );
            }
        }
        for (field, value) in [
            ("prompt", &question.prompt),
            ("explanation", &question.explanation),
        ] {
            if value.trim().is_empty() {
                report.error(
                    ItemKind::Question,
                    id,
                    origin,
                    &[Seg::Key(field)],
                    Diagnostic::error("empty", format!("`{field}` が空です")),
                );
            }
        }
        check_question_shape(&mut report, question, origin, &misconception_ids, library);
        tasks::check_question(&mut report, question, origin, library);
        check_id(&mut report, ItemKind::Question, id, origin);
    }

    let mut referenced: HashSet<&str> = HashSet::new();
    for question in &library.questions {
        referenced.extend(
            question
                .choices
                .iter()
                .filter_map(|c| c.misconception.as_deref()),
        );
    }
    for (misconception, origin) in library
        .misconceptions
        .iter()
        .zip(&library.origins.misconceptions)
    {
        let origin = *origin;
        for (field, value) in [
            ("belief", &misconception.belief),
            ("correction", &misconception.correction),
        ] {
            if value.trim().is_empty() {
                report.error(
                    ItemKind::Misconception,
                    &misconception.id,
                    origin,
                    &[Seg::Key(field)],
                    Diagnostic::error("empty", format!("`{field}` が空です")),
                );
            }
        }
        for (i, topic) in misconception.topics.iter().enumerate() {
            if library.card(topic).is_none() {
                let d = unknown_ref("トピック", topic, card_ids.clone());
                report.push(origin, &[Seg::Key("topics"), Seg::Index(i)], d);
            }
        }
        if !referenced.contains(misconception.id.as_str()) {
            report.push(
                origin,
                &[Seg::Key("id")],
                Diagnostic::warning(
                    "unused-misconception",
                    format!("誤解 `{}` を名指しする選択肢がありません", misconception.id),
                )
                .with_hint("この誤解を表す誤答に `misconception = \"…\"` を付けてください"),
            );
        }
        check_id(
            &mut report,
            ItemKind::Misconception,
            &misconception.id,
            origin,
        );
    }

    for (blueprint, origin) in library.blueprints.iter().zip(&library.origins.blueprints) {
        let origin = *origin;
        let total: u32 = blueprint.domains.iter().map(|d| d.weight).sum();
        if total != 100 {
            report.push(
                origin,
                &[Seg::Key("domains")],
                Diagnostic::error(
                    "weights",
                    format!("分野の重みの合計が {total} です(100 にしてください)"),
                ),
            );
        }
        if blueprint.scored > blueprint.questions {
            report.push(
                origin,
                &[Seg::Key("scored")],
                Diagnostic::error("invalid", "`scored` が `questions` より多くなっています"),
            );
        }
        let [low, high] = blueprint.scale;
        if low >= high || !(low..=high).contains(&blueprint.passing_score) {
            report.push(
                origin,
                &[Seg::Key("passing_score")],
                Diagnostic::error(
                    "invalid",
                    format!(
                        "合格点 {} が尺度 {low}–{high} の中にありません",
                        blueprint.passing_score
                    ),
                ),
            );
        }
        tasks::check_blueprint(&mut report, blueprint, origin);
        let mut keys = HashSet::new();
        for (i, domain) in blueprint.domains.iter().enumerate() {
            if !keys.insert(domain.key.as_str()) {
                report.push(
                    origin,
                    &[Seg::Key("domains"), Seg::Index(i), Seg::Key("key")],
                    Diagnostic::error(
                        "duplicate-id",
                        format!("分野キー `{}` が重複しています", domain.key),
                    ),
                );
            }
        }
    }
    if report.lint {
        terms::check(&mut report, library);
        writing::check(&mut report, library);
    }
    (report.out, report.broken)
}

/// Ids are kebab-case ASCII so they survive URLs, file names and progress keys.
fn check_id(report: &mut Report<'_>, kind: ItemKind, id: &str, origin: Origin) {
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if !ok {
        report.error(
            kind,
            id,
            origin,
            &[Seg::Key("id")],
            Diagnostic::error(
                "invalid-id",
                format!("id `{id}` には英小文字・数字・ハイフンだけを使ってください"),
            )
            .with_hint("例: \"q-scp-region-guard\""),
        );
    }
}

fn check_question_shape(
    report: &mut Report<'_>,
    q: &Question,
    origin: Origin,
    misconception_ids: &[&str],
    library: &Library,
) {
    let id = q.id.as_str();
    let kind = q.kind.as_str();
    let misplaced = |field: &str| {
        Diagnostic::error(
            "misplaced-field",
            format!("`{field}` は type = \"{kind}\" の問題では使えません"),
        )
        .with_hint(match field {
            "choices" => "choices は single / multi の問題で使います",
            "items" => "items は order の問題で使います",
            "pairs" => "pairs は match の問題で使います",
            _ => "pick は multi の問題で使います",
        })
    };
    let uses_choices = matches!(q.kind, QuestionType::Single | QuestionType::Multi);
    // Each type has its own fields; the others must be absent.
    let misplaced_fields = [
        ("choices", !uses_choices && !q.choices.is_empty()),
        (
            "items",
            q.kind != QuestionType::Order && !q.items.is_empty(),
        ),
        (
            "pairs",
            q.kind != QuestionType::Match && !q.pairs.is_empty(),
        ),
        ("pick", q.kind != QuestionType::Multi && q.pick.is_some()),
    ];
    for (field, present) in misplaced_fields {
        if present {
            report.error(
                ItemKind::Question,
                id,
                origin,
                &[Seg::Key(field)],
                misplaced(field),
            );
        }
    }

    match q.kind {
        QuestionType::Single | QuestionType::Multi => {
            let correct = q.choices.iter().filter(|c| c.correct).count();
            if q.choices.len() < 2 {
                report.error(
                    ItemKind::Question,
                    id,
                    origin,
                    &[Seg::Key("type")],
                    Diagnostic::error("too-few", "選択肢が2つ以上必要です")
                        .with_hint("[[questions.choices]] を追加してください"),
                );
            }
            if correct == 0 {
                report.error(
                    ItemKind::Question,
                    id,
                    origin,
                    &[Seg::Key("type")],
                    Diagnostic::error(
                        "no-correct-choice",
                        format!("問題 `{id}` に正解の選択肢がありません"),
                    )
                    .with_hint("正解の選択肢に `correct = true` を付けてください"),
                );
            } else if q.kind == QuestionType::Single && correct > 1 {
                report.error(
                    ItemKind::Question,
                    id,
                    origin,
                    &[Seg::Key("type")],
                    Diagnostic::error(
                        "pick-mismatch",
                        format!("single の問題に正解が {correct} 個あります"),
                    )
                    .with_hint(format!(
                        "正解を1つにするか、type = \"multi\" と pick = {correct} にしてください"
                    )),
                );
            }
            if q.kind == QuestionType::Multi {
                match q.pick {
                    None => report.error(
                        ItemKind::Question,
                        id,
                        origin,
                        &[Seg::Key("type")],
                        Diagnostic::error("missing-field", "multi の問題に `pick` がありません")
                            .with_hint(format!(
                                "選ぶ数を `pick = {correct}` のように書いてください"
                            )),
                    ),
                    Some(pick) if pick as usize != correct => report.error(
                        ItemKind::Question,
                        id,
                        origin,
                        &[Seg::Key("pick")],
                        Diagnostic::error(
                            "pick-mismatch",
                            format!("pick = {pick} ですが、正解の選択肢は {correct} 個です"),
                        )
                        .with_hint(format!(
                            "pick = {correct} にするか、correct = true の数を合わせてください"
                        )),
                    ),
                    Some(_) if correct >= q.choices.len() => report.error(
                        ItemKind::Question,
                        id,
                        origin,
                        &[Seg::Key("pick")],
                        Diagnostic::error("pick-mismatch", "すべての選択肢が正解になっています")
                            .with_hint("誤りの選択肢を加えてください"),
                    ),
                    Some(_) => {}
                }
            }
            let mut seen = HashSet::new();
            for (i, choice) in q.choices.iter().enumerate() {
                let at = |field| [Seg::Key("choices"), Seg::Index(i), Seg::Key(field)];
                if !seen.insert(choice.id.as_str()) {
                    report.error(
                        ItemKind::Question,
                        id,
                        origin,
                        &at("id"),
                        Diagnostic::error(
                            "duplicate-id",
                            format!("選択肢 id `{}` が重複しています", choice.id),
                        ),
                    );
                }
                if choice.text.trim().is_empty() {
                    report.error(
                        ItemKind::Question,
                        id,
                        origin,
                        &at("text"),
                        Diagnostic::error("empty", "選択肢の `text` が空です"),
                    );
                }
                let has_why = choice.why.as_deref().is_some_and(|w| !w.trim().is_empty());
                if !choice.correct && !has_why {
                    report.error(
                        ItemKind::Question,
                        id,
                        origin,
                        &at("id"),
                        Diagnostic::error("missing-why", format!("誤りの選択肢 `{}` に `why` がありません", choice.id))
                            .with_hint("なぜ誤りなのかを `why = \"…\"` で書いてください。学習者はこれを読んで学びます"),
                    );
                }
                if choice.correct && choice.why.is_some() {
                    report.push(
                        origin,
                        &at("why"),
                        Diagnostic::warning(
                            "why-on-correct",
                            format!("正解の選択肢 `{}` に `why` があります", choice.id),
                        )
                        .with_hint("正解の理由は `explanation` に書いてください"),
                    );
                }
                if let Some(m) = &choice.misconception
                    && library.misconception(m).is_none()
                {
                    let hint = did_you_mean(m, misconception_ids.iter().copied()).or_else(|| {
                        Some("[[misconceptions]] に同じ id の誤解を定義してください".into())
                    });
                    report.push(
                        origin,
                        &at("misconception"),
                        Diagnostic::error(
                            "unknown-reference",
                            format!("誤解 `{m}` は存在しません"),
                        )
                        .with_hint_opt(hint),
                    );
                }
            }
        }
        QuestionType::Order => {
            if q.items.len() < 2 {
                report.error(
                    ItemKind::Question,
                    id,
                    origin,
                    &[Seg::Key("type")],
                    Diagnostic::error("too-few", "order の問題には `items` が2つ以上必要です")
                        .with_hint(
                            "items = [\"最初の手順\", \"次の手順\", …] を正しい順に書いてください",
                        ),
                );
            }
            let mut seen = HashSet::new();
            for (i, item) in q.items.iter().enumerate() {
                if !seen.insert(item.trim()) {
                    report.error(
                        ItemKind::Question,
                        id,
                        origin,
                        &[Seg::Key("items"), Seg::Index(i)],
                        Diagnostic::error(
                            "duplicate-item",
                            format!("並べる項目「{item}」が重複しています"),
                        )
                        .with_hint("同じ項目が2つあると正しい順序が決まりません"),
                    );
                }
            }
        }
        QuestionType::Match => {
            if q.pairs.len() < 2 {
                report.error(
                    ItemKind::Question,
                    id,
                    origin,
                    &[Seg::Key("type")],
                    Diagnostic::error("too-few", "match の問題には `pairs` が2組以上必要です")
                        .with_hint("pairs = [{ left = \"…\", right = \"…\" }, …] と書いてください"),
                );
            }
            for side in ["left", "right"] {
                let mut seen = HashSet::new();
                for (i, pair) in q.pairs.iter().enumerate() {
                    let value = if side == "left" {
                        &pair.left
                    } else {
                        &pair.right
                    };
                    if !seen.insert(value.trim()) {
                        report.error(
                            ItemKind::Question,
                            id,
                            origin,
                            &[Seg::Key("pairs"), Seg::Index(i), Seg::Key(side)],
                            Diagnostic::error(
                                "duplicate-item",
                                format!("`{side}` の「{value}」が重複しています"),
                            )
                            .with_hint("対応付けは1対1にしてください"),
                        );
                    }
                }
            }
        }
    }
}
