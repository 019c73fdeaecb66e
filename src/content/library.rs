//! The loaded content with lookup by id. Items keep where they came from so that problems found
//! after merging can still be shown at their file, line and column.

use std::collections::{HashMap, HashSet};

use super::model::{Blueprint, Card, Misconception, Question};
use crate::sim::scenario::Scenario;

/// A scenario loaded from quizzes/scenarios/.
#[derive(Debug, Clone)]
pub struct ScenarioEntry {
    /// The parsed scenario.
    pub scenario: Scenario,
    /// Where it came from (repo-relative for embedded files).
    pub path: String,
    /// The file's text, for showing the policies as written and for editing.
    pub text: std::sync::Arc<str>,
}

/// Where an item was defined: a file index in the load, and its place in that file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Index of the file in the load.
    pub file: usize,
    /// The array of tables holding it (`cards`, `questions`, `misconceptions`), or none for a
    /// file that is one item (blueprints, scenarios).
    pub array: Option<&'static str>,
    /// Position in that array.
    pub index: usize,
}

impl Origin {
    /// An item in an array of tables.
    pub fn item(file: usize, array: &'static str, index: usize) -> Self {
        Self {
            file,
            array: Some(array),
            index,
        }
    }

    /// A whole file.
    pub fn root(file: usize) -> Self {
        Self {
            file,
            array: None,
            index: 0,
        }
    }
}

/// The kinds of item a learner studies; they share one id namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    /// A topic card.
    Card,
    /// A question.
    Question,
    /// A misconception.
    Misconception,
}

/// Everything loaded: cards, questions, misconceptions, blueprints and scenarios.
///
/// The vectors are public for reading; build or change a library through [`Library::new`] or
/// the loader so the id index stays right.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Topic cards.
    pub cards: Vec<Card>,
    /// Questions.
    pub questions: Vec<Question>,
    /// Misconceptions.
    pub misconceptions: Vec<Misconception>,
    /// Exam blueprints.
    pub blueprints: Vec<Blueprint>,
    /// Simulator scenarios.
    pub scenarios: Vec<ScenarioEntry>,
    pub(crate) origins: Origins,
    index: Index,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    pub cards: Vec<Origin>,
    pub questions: Vec<Origin>,
    pub misconceptions: Vec<Origin>,
    pub blueprints: Vec<Origin>,
    pub scenarios: Vec<Origin>,
}

#[derive(Debug, Clone, Default)]
struct Index {
    cards: HashMap<String, usize>,
    questions: HashMap<String, usize>,
    misconceptions: HashMap<String, usize>,
    blueprints: HashMap<String, usize>,
    scenarios: HashMap<String, usize>,
}

fn index_of<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (id(item).to_string(), i))
        .collect()
}

/// Anything with a stable id.
trait Identified {
    fn id(&self) -> &str;
}

impl Identified for Card {
    fn id(&self) -> &str {
        &self.id
    }
}
impl Identified for Question {
    fn id(&self) -> &str {
        &self.id
    }
}
impl Identified for Misconception {
    fn id(&self) -> &str {
        &self.id
    }
}
impl Identified for Blueprint {
    fn id(&self) -> &str {
        &self.id
    }
}
impl Identified for ScenarioEntry {
    fn id(&self) -> &str {
        &self.scenario.id
    }
}

macro_rules! upsert {
    ($name:ident, $field:ident, $ty:ty) => {
        /// Adds an item, or replaces the one with the same id (an override).
        pub(crate) fn $name(&mut self, item: $ty, origin: Origin) {
            match self.index.$field.get(item.id()) {
                Some(&i) => {
                    self.$field[i] = item;
                    self.origins.$field[i] = origin;
                }
                None => {
                    self.index
                        .$field
                        .insert(item.id().to_string(), self.$field.len());
                    self.$field.push(item);
                    self.origins.$field.push(origin);
                }
            }
        }
    };
}

impl Library {
    /// A library from parts (tests and generated content); origins are unknown.
    pub fn new(
        cards: Vec<Card>,
        questions: Vec<Question>,
        misconceptions: Vec<Misconception>,
        blueprints: Vec<Blueprint>,
        scenarios: Vec<ScenarioEntry>,
    ) -> Self {
        let none = |n: usize| vec![Origin::root(usize::MAX); n];
        let origins = Origins {
            cards: none(cards.len()),
            questions: none(questions.len()),
            misconceptions: none(misconceptions.len()),
            blueprints: none(blueprints.len()),
            scenarios: none(scenarios.len()),
        };
        let mut library = Self {
            cards,
            questions,
            misconceptions,
            blueprints,
            scenarios,
            origins,
            index: Index::default(),
        };
        library.reindex();
        library
    }

    upsert!(upsert_card, cards, Card);
    upsert!(upsert_question, questions, Question);
    upsert!(upsert_misconception, misconceptions, Misconception);
    upsert!(upsert_blueprint, blueprints, Blueprint);
    upsert!(upsert_scenario, scenarios, ScenarioEntry);

    /// Rebuilds the id index after the vectors changed.
    pub(crate) fn reindex(&mut self) {
        self.index = Index {
            cards: index_of(&self.cards, |c| &c.id),
            questions: index_of(&self.questions, |q| &q.id),
            misconceptions: index_of(&self.misconceptions, |m| &m.id),
            blueprints: index_of(&self.blueprints, |b| &b.id),
            scenarios: index_of(&self.scenarios, |s| &s.scenario.id),
        };
    }

    /// Drops items found broken by validation (they would misbehave in the UI).
    pub(crate) fn remove_items(&mut self, broken: &HashSet<(ItemKind, String)>) {
        if broken.is_empty() {
            return;
        }
        fn retain<T>(items: &mut Vec<T>, origins: &mut Vec<Origin>, keep: impl Fn(&T) -> bool) {
            let mut kept_origins = Vec::with_capacity(origins.len());
            let mut i = 0;
            items.retain(|item| {
                let keep = keep(item);
                if keep {
                    kept_origins.push(origins[i]);
                }
                i += 1;
                keep
            });
            *origins = kept_origins;
        }
        let gone = |kind: ItemKind, id: &str| broken.contains(&(kind, id.to_string()));
        retain(&mut self.cards, &mut self.origins.cards, |c| {
            !gone(ItemKind::Card, &c.id)
        });
        retain(&mut self.questions, &mut self.origins.questions, |q| {
            !gone(ItemKind::Question, &q.id)
        });
        retain(
            &mut self.misconceptions,
            &mut self.origins.misconceptions,
            |m| !gone(ItemKind::Misconception, &m.id),
        );
        self.reindex();
    }

    /// The topic card with this id.
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.index.cards.get(id).map(|&i| &self.cards[i])
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index.questions.get(id).map(|&i| &self.questions[i])
    }

    /// The misconception with this id.
    pub fn misconception(&self, id: &str) -> Option<&Misconception> {
        self.index
            .misconceptions
            .get(id)
            .map(|&i| &self.misconceptions[i])
    }

    /// The blueprint with this exam id (case-insensitive, e.g. "scs-c03").
    pub fn blueprint(&self, id: &str) -> Option<&Blueprint> {
        self.index
            .blueprints
            .get(id)
            .map(|&i| &self.blueprints[i])
            .or_else(|| {
                self.blueprints
                    .iter()
                    .find(|b| b.id.eq_ignore_ascii_case(id))
            })
    }

    /// The scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&ScenarioEntry> {
        self.index.scenarios.get(id).map(|&i| &self.scenarios[i])
    }

    /// The kind of item an id names, if any.
    pub fn kind_of(&self, id: &str) -> Option<ItemKind> {
        if self.index.cards.contains_key(id) {
            Some(ItemKind::Card)
        } else if self.index.questions.contains_key(id) {
            Some(ItemKind::Question)
        } else if self.index.misconceptions.contains_key(id) {
            Some(ItemKind::Misconception)
        } else {
            None
        }
    }

    /// The blueprint the app studies for: SCS-C03 when present, else the first one.
    pub fn main_blueprint(&self) -> Option<&Blueprint> {
        self.blueprint("SCS-C03")
            .or_else(|| self.blueprints.first())
    }

    /// Questions of one domain, in load order.
    pub fn questions_in(&self, domain: &str) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(move |q| q.domain == domain)
    }

    /// Every domain key any blueprint defines.
    pub fn domain_keys(&self) -> HashSet<&str> {
        self.blueprints
            .iter()
            .flat_map(|b| b.domains.iter().map(|d| d.key.as_str()))
            .collect()
    }
}
