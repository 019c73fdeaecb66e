//! Loading: gathers files from the sources, parses each (fast path through serde; on failure a
//! slow path that reports every problem with its position), merges the override layers by id, and
//! runs the semantic checks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;
use toml::de::DeTable;

use super::cache::{Cache, Key};
use super::diagnostic::{Diagnostic, Location};
use super::library::{Library, Origin, ScenarioEntry};
use super::model::{Blueprint, Card, ContentFile, Misconception, Question};
use super::source::{self, FileKind, SourceFile};
use super::{schema, structure, validate};
use crate::sim::scenario as sim_scenario;

/// The files under the base layer: the embedded copies or a checkout of the repo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// The content compiled into the binary.
    Embedded,
    /// A repo checkout: its content/, quizzes/ and assets/exams/ on disk.
    Repo(PathBuf),
}

/// Where content comes from and which files' problems are reported.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The defaults.
    pub base: Base,
    /// Whether problems in the base are reported.
    pub base_checked: bool,
    /// Extra directories or files, each an override layer (later wins).
    pub layers: Vec<PathBuf>,
    /// Loading for `lint`: the sound items of a broken content file are kept so their problems
    /// are reported too, and scenarios are held to the content rules (`[expect]` holds, a knob
    /// changes the result). Otherwise a broken file is skipped whole (the TUI).
    pub lint: bool,
}

impl Sources {
    /// The embedded defaults plus extra directories (the TUI and most commands).
    pub fn embedded_with(layers: Vec<PathBuf>) -> Self {
        Self {
            base: Base::Embedded,
            base_checked: false,
            layers,
            lint: false,
        }
    }
}

/// The result of loading: a usable library, every problem found, and the files read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The merged content; items with errors are left out.
    pub library: Library,
    /// Problems in checked files, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read.
    pub file_count: usize,
}

impl Loaded {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Loads, merges and checks content from the sources, parsing every file.
pub fn load(sources: &Sources) -> Loaded {
    load_with(sources, &Cache::none())
}

/// [`load`] with the parsed-content cache in `data_dir` (see [`super::cache`]): a file whose
/// text is unchanged since a clean parse is read from the cache, the rest are parsed and the
/// cache written again. The result is the same as [`load`]'s; `lint` never uses the cache.
pub fn load_cached(sources: &Sources, data_dir: &Path) -> Loaded {
    if sources.lint {
        return load(sources);
    }
    let cache = Cache::read(data_dir);
    let loaded = load_with(sources, &cache);
    cache.write_if_changed();
    loaded
}

fn load_with(sources: &Sources, cache: &Cache) -> Loaded {
    let mut diagnostics = Vec::new();
    let files = gather(sources, &mut diagnostics);
    let mut parsed = Parsed::default();
    // Content files parse one after another (parsing them in parallel held two large parse
    // trees at once, which broke the memory budget with 10,000 questions). Scenario files are
    // small and each costs a policy parse and an evaluation: they parse on a second thread
    // meanwhile, which takes about half off the start-up.
    let is_scenario =
        |file: &SourceFile| matches!(file.kind, FileKind::ScenarioToml | FileKind::ScenarioJson);
    let parse_some = |wanted: bool, parsed: &mut Parsed| {
        let mut problems = Vec::new();
        for (index, file) in files.iter().enumerate() {
            if is_scenario(file) == wanted {
                let found = parse_file(index, file, parsed, sources.lint, cache);
                if file.checked {
                    problems.extend(found);
                }
            }
        }
        problems
    };
    let scenarios = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("scenarios".into())
            .spawn_scoped(scope, || {
                let mut own = Parsed::default();
                let problems = parse_some(true, &mut own);
                (own.scenarios, problems)
            });
        diagnostics.extend(parse_some(false, &mut parsed));
        // No second thread to be had: parse the scenarios here.
        worker.ok().and_then(|w| w.join().ok()).unwrap_or_else(|| {
            let mut own = Parsed::default();
            let problems = parse_some(true, &mut own);
            (own.scenarios, problems)
        })
    });
    parsed.scenarios = scenarios.0;
    diagnostics.extend(scenarios.1);
    let mut library = Library::default();
    let mut merge_problems = Vec::new();
    merge(&files, parsed, &mut library, &mut merge_problems);
    let (semantic, broken) = validate::check(&files, &library, sources.lint);
    merge_problems.extend(semantic);
    diagnostics.extend(
        merge_problems
            .into_iter()
            .filter(|(file, _)| files[*file].checked)
            .map(|(_, d)| d),
    );
    // Upserts keep the id index; removing broken items re-indexes.
    library.remove_items(&broken);
    sort_diagnostics(&mut diagnostics);
    Loaded {
        library,
        diagnostics,
        file_count: files.len(),
    }
}

fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.column))
        };
        key(a).cmp(&key(b))
    });
}

fn gather(sources: &Sources, diagnostics: &mut Vec<Diagnostic>) -> Vec<SourceFile> {
    let mut files = match &sources.base {
        Base::Embedded => source::embedded(sources.base_checked),
        Base::Repo(root) => {
            let mut files = Vec::new();
            for tree in source::TREES {
                let (found, errors) =
                    source::read_dir_layer(&root.join(tree), sources.base_checked, 0);
                files.extend(found);
                report_io(errors, diagnostics);
            }
            files
        }
    };
    // A file named as a layer is not also read as part of the base.
    let layer_paths: Vec<PathBuf> = sources
        .layers
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    if matches!(sources.base, Base::Repo(_)) {
        files.retain(|f| {
            let canonical = Path::new(&f.path).canonicalize().ok();
            !canonical.is_some_and(|c| layer_paths.iter().any(|l| c.starts_with(l)))
        });
    }
    for (i, layer) in sources.layers.iter().enumerate() {
        let (found, errors) = source::read_dir_layer(layer, true, i + 1);
        files.extend(found);
        report_io(errors, diagnostics);
    }
    files
}

fn report_io(errors: Vec<(String, std::io::Error)>, diagnostics: &mut Vec<Diagnostic>) {
    for (path, err) in errors {
        diagnostics.push(
            Diagnostic::error("io", format!("`{path}` を読めません: {err}"))
                .with_hint("パスと読み取り権限を確かめてください"),
        );
    }
}

/// Items parsed from files, not yet merged.
#[derive(Default)]
struct Parsed {
    contents: Vec<(usize, Items)>,
    blueprints: Vec<(usize, Blueprint)>,
    scenarios: Vec<(usize, sim_scenario::Scenario)>,
}

/// The items of one content file, each with its position in its array of tables.
#[derive(Default)]
struct Items {
    cards: Vec<(usize, Card)>,
    questions: Vec<(usize, Question)>,
    misconceptions: Vec<(usize, Misconception)>,
}

impl From<ContentFile> for Items {
    fn from(file: ContentFile) -> Self {
        Self {
            cards: file.cards.into_iter().enumerate().collect(),
            questions: file.questions.into_iter().enumerate().collect(),
            misconceptions: file.misconceptions.into_iter().enumerate().collect(),
        }
    }
}

fn parse_file(
    index: usize,
    file: &SourceFile,
    parsed: &mut Parsed,
    lint: bool,
    cache: &Cache,
) -> Vec<Diagnostic> {
    let key = if lint { None } else { Key::of(file) };
    if let Some(key) = &key {
        match file.kind {
            FileKind::Content => {
                if let Some(content) = cache.get::<ContentFile>(index, key) {
                    parsed.contents.push((index, content.into()));
                    return Vec::new();
                }
            }
            FileKind::Blueprint => {
                if let Some(blueprint) = cache.get::<Blueprint>(index, key) {
                    parsed.blueprints.push((index, blueprint));
                    return Vec::new();
                }
            }
            FileKind::ScenarioToml | FileKind::ScenarioJson => {}
        }
    }
    let text = match &file.text {
        Ok(text) => text,
        Err(bad) => {
            let line = bad.valid_prefix.matches('\n').count() + 1;
            let column = bad
                .valid_prefix
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count())
                + 1;
            let location = Location::from_span(
                &file.path,
                &bad.valid_prefix,
                bad.valid_prefix.len()..bad.valid_prefix.len(),
            );
            let location = Location {
                line,
                column,
                ..location
            };
            return vec![
                Diagnostic::error("not-utf8", "UTF-8 ではないバイト列があります")
                    .with_hint(
                        "ファイルを UTF-8 で保存し直してください(Shift_JIS などは読めません)",
                    )
                    .at_location(location),
            ];
        }
    };
    match file.kind {
        FileKind::Content => {
            match parse_toml::<ContentFile>(&file.path, text, schema::content_file) {
                Ok(content) => {
                    if let Some(key) = &key {
                        cache.put(index, key, &content);
                    }
                    parsed.contents.push((index, content.into()));
                }
                Err(problems) => {
                    if lint {
                        parsed
                            .contents
                            .push((index, salvage_items(text, &problems)));
                    }
                    return problems;
                }
            }
        }
        FileKind::Blueprint => match parse_toml::<Blueprint>(&file.path, text, schema::blueprint) {
            Ok(blueprint) => {
                if let Some(key) = &key {
                    cache.put(index, key, &blueprint);
                }
                parsed.blueprints.push((index, blueprint));
            }
            Err(problems) => return problems,
        },
        FileKind::ScenarioToml | FileKind::ScenarioJson => {
            let format = if file.kind == FileKind::ScenarioJson {
                sim_scenario::Format::Json
            } else {
                sim_scenario::Format::Toml
            };
            match sim_scenario::parse(text, format) {
                Ok(scenario) => {
                    let rules = if lint {
                        sim_scenario::check(&scenario)
                    } else {
                        Vec::new()
                    };
                    parsed.scenarios.push((index, scenario));
                    return rules
                        .into_iter()
                        .map(|e| {
                            let span = e.span.unwrap_or(0..0);
                            Diagnostic::error(e.kind.code(), e.message)
                                .with_hint_opt(e.hint)
                                .at(&file.path, text, span)
                        })
                        .collect();
                }
                Err(errors) => {
                    return errors
                        .into_iter()
                        .map(|e| {
                            let span = e.span.unwrap_or(0..0);
                            Diagnostic::error(e.kind.code(), e.message)
                                .with_hint_opt(e.hint)
                                .at(&file.path, text, span)
                        })
                        .collect();
                }
            }
        }
    }
    Vec::new()
}

/// Parses TOML into `T`: serde first (fast), and on failure every syntax and structural problem.
pub fn parse_toml<T: DeserializeOwned>(
    path: &str,
    text: &str,
    schema: fn() -> Value,
) -> Result<T, Vec<Diagnostic>> {
    let serde_error = match toml::from_str::<T>(text) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let (root, syntax) = DeTable::parse_recoverable(text);
    let mut problems: Vec<Diagnostic> = Vec::new();
    for err in syntax {
        let span = err.span().unwrap_or(0..0);
        let message = err.message().trim().to_string();
        let diagnostic = Diagnostic::error("syntax", format!("TOML の構文エラー: {message}"))
            .with_hint(syntax_hint(&message))
            .at(path, text, span);
        if !problems.contains(&diagnostic) {
            problems.push(diagnostic);
        }
    }
    if problems.is_empty() {
        let schema = schema();
        for mut problem in structure::check_document(&root, &schema) {
            if problem.span.is_empty() {
                let end = text[problem.span.start..]
                    .find('\n')
                    .map_or(text.len(), |i| problem.span.start + i);
                problem.span.end = end;
            }
            problems.push(
                Diagnostic::error(problem.code, problem.message)
                    .with_hint_opt(problem.hint)
                    .at(path, text, problem.span),
            );
        }
    }
    if problems.is_empty() {
        // The schema and serde disagree only on things the schema cannot say; serde's word stands.
        let span = serde_error.span().unwrap_or(0..0);
        problems.push(
            Diagnostic::error("invalid", serde_error.message().trim().to_string())
                .at(path, text, span),
        );
    }
    Err(problems)
}

/// The items of a broken file that have no problem of their own (none when the syntax is broken).
fn salvage_items(text: &str, problems: &[Diagnostic]) -> Items {
    let mut items = Items::default();
    if problems.iter().any(|p| p.code == "syntax") {
        return items;
    }
    let Ok(root) = DeTable::parse(text) else {
        return items;
    };
    let lines_with_problems: Vec<usize> = problems
        .iter()
        .filter_map(|p| p.location.as_ref())
        .map(|l| l.line)
        .collect();
    let sound = |value: &toml::Spanned<toml::de::DeValue<'_>>| {
        let span = value.span();
        let first = text[..span.start.min(text.len())].matches('\n').count() + 1;
        let last = text[..span.end.min(text.len())].matches('\n').count() + 1;
        !lines_with_problems
            .iter()
            .any(|l| (first..=last).contains(l))
    };
    fn each<T: DeserializeOwned>(
        root: &DeTable<'_>,
        key: &str,
        sound: &dyn Fn(&toml::Spanned<toml::de::DeValue<'_>>) -> bool,
    ) -> Vec<(usize, T)> {
        let Some(toml::de::DeValue::Array(array)) = root.get(key).map(|v| v.get_ref()) else {
            return Vec::new();
        };
        array
            .iter()
            .enumerate()
            .filter(|(_, v)| sound(v))
            .filter_map(|(i, v)| {
                T::deserialize(toml::de::ValueDeserializer::from(v.clone()))
                    .ok()
                    .map(|t| (i, t))
            })
            .collect()
    }
    items.cards = each(root.get_ref(), "cards", &sound);
    items.questions = each(root.get_ref(), "questions", &sound);
    items.misconceptions = each(root.get_ref(), "misconceptions", &sound);
    items
}

fn syntax_hint(message: &str) -> String {
    let lower = message.to_lowercase();
    if lower.contains("duplicate key") {
        "同じキーが2回書かれています。[[questions]] の区切りを忘れていないか確かめてください".into()
    } else if lower.contains("string")
        || lower.contains("unterminated")
        || lower.contains("missing closing")
    {
        "文字列は \"…\" で、複数行は \"\"\"…\"\"\" で囲みます。閉じる引用符を確かめてください"
            .into()
    } else {
        "TOML の書き方は https://toml.io/ja/ を参照してください".into()
    }
}

/// Merges parsed items by layer: later layers replace earlier items with the same id; within one
/// layer a repeated id is an error.
fn merge(
    files: &[SourceFile],
    parsed: Parsed,
    library: &mut Library,
    problems: &mut Vec<(usize, Diagnostic)>,
) {
    let mut seen: HashMap<(usize, String), Origin> = HashMap::new();
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut check_dup =
        |id: &str, origin: Origin, problems: &mut Vec<(usize, Diagnostic)>| -> bool {
            let layer = files[origin.file].layer;
            if let Some(first) = seen.get(&(layer, id.to_string())) {
                let first_at = validate::locate(files, first, &[validate::Seg::Key("id")]);
                let where_ = first_at
                    .map(|l| format!("{}:{}:{}", l.file, l.line, l.column))
                    .unwrap_or_default();
                let location = validate::locate(files, &origin, &[validate::Seg::Key("id")]);
                let mut diagnostic = Diagnostic::error(
                    "duplicate-id",
                    format!("id `{id}` が重複しています"),
                )
                .with_hint(format!(
                    "最初の定義は {where_} にあります。id はファイルをまたいで一意にしてください"
                ));
                diagnostic.location = location;
                problems.push((origin.file, diagnostic));
                return false;
            }
            seen.insert((layer, id.to_string()), origin);
            owner.insert(id.to_string(), layer);
            true
        };
    // Contents in file order: layers were gathered in order, so later files override.
    for (file, content) in parsed.contents {
        for (i, card) in content.cards {
            let origin = Origin::item(file, "cards", i);
            if check_dup(&card.id, origin, problems) {
                library.upsert_card(card, origin);
            }
        }
        for (i, question) in content.questions {
            let origin = Origin::item(file, "questions", i);
            if check_dup(&question.id, origin, problems) {
                library.upsert_question(question, origin);
            }
        }
        for (i, misconception) in content.misconceptions {
            let origin = Origin::item(file, "misconceptions", i);
            if check_dup(&misconception.id, origin, problems) {
                library.upsert_misconception(misconception, origin);
            }
        }
    }
    for (file, blueprint) in parsed.blueprints {
        library.upsert_blueprint(blueprint, Origin::root(file));
    }
    let mut scenario_seen: HashMap<(usize, String), usize> = HashMap::new();
    for (file, scenario) in parsed.scenarios {
        let key = (files[file].layer, scenario.id.clone());
        if let Some(first) = scenario_seen.get(&key) {
            let location =
                validate::locate(files, &Origin::root(file), &[validate::Seg::Key("id")]);
            let mut diagnostic = Diagnostic::error(
                "duplicate-id",
                format!("シナリオ id `{}` が重複しています", scenario.id),
            )
            .with_hint(format!("最初の定義は {} にあります", files[*first].path));
            diagnostic.location = location;
            problems.push((file, diagnostic));
            continue;
        }
        scenario_seen.insert(key, file);
        let text = files[file]
            .text
            .as_deref()
            .map_or_else(|_| std::sync::Arc::from(""), std::sync::Arc::from);
        library.upsert_scenario(
            ScenarioEntry {
                scenario,
                path: files[file].path.clone(),
                text,
            },
            Origin::root(file),
        );
    }
}
