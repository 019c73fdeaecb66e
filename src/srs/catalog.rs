//! The schedulable items of the loaded content: id, kind, domain and a fingerprint of the text
//! (to flag edits without resetting progress).

use std::collections::HashMap;

use serde::Serialize;

use crate::content::{self, Library};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A topic card (self-rated).
    Card,
    /// A scenario question (graded).
    Question,
    /// A misconception (scheduled when a learner shows it).
    Misconception,
}

impl ItemKind {
    /// The Japanese name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Card => "学習カード",
            Self::Question => "問題",
            Self::Misconception => "よくある誤解",
        }
    }
}

/// One schedulable item of the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogItem {
    /// The stable id.
    pub id: String,
    /// Card, question or misconception.
    pub kind: ItemKind,
    /// The blueprint domain key (a misconception takes its topics' most common domain).
    pub domain: Option<String>,
    /// FNV-1a of the item's JSON; a change means the text was edited.
    pub fingerprint: u64,
}

/// All schedulable items, in content order, with lookup by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    items: Vec<CatalogItem>,
    index: HashMap<String, usize>,
    domain_names: HashMap<String, String>,
    /// A question's topic cards (its `topics`), for "a card's questions follow it".
    topics: HashMap<String, Vec<String>>,
    /// The main blueprint's domains and weights, in blueprint order (interleaving new items).
    weights: Vec<(String, u32)>,
}

impl Catalog {
    /// The items of a loaded library: cards, then questions, then misconceptions.
    pub fn from_library(library: &Library) -> Self {
        let card_domain: HashMap<&str, &str> = library
            .cards
            .iter()
            .map(|c| (c.id.as_str(), c.domain.as_str()))
            .collect();
        let mut items = Vec::new();
        for card in &library.cards {
            items.push(CatalogItem {
                id: card.id.clone(),
                kind: ItemKind::Card,
                domain: Some(card.domain.clone()),
                fingerprint: content::fingerprint(card),
            });
        }
        for question in &library.questions {
            items.push(CatalogItem {
                id: question.id.clone(),
                kind: ItemKind::Question,
                domain: Some(question.domain.clone()),
                fingerprint: content::fingerprint(question),
            });
        }
        for m in &library.misconceptions {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for domain in m.topics.iter().filter_map(|t| card_domain.get(t.as_str())) {
                match counts.iter_mut().find(|(d, _)| d == domain) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((domain, 1)),
                }
            }
            // The most common domain; ties go to the first topic's.
            let domain = counts
                .iter()
                .enumerate()
                .max_by_key(|(i, (_, n))| (*n, usize::MAX - i))
                .map(|(_, (d, _))| d.to_string());
            items.push(CatalogItem {
                id: m.id.clone(),
                kind: ItemKind::Misconception,
                domain,
                fingerprint: content::fingerprint(m),
            });
        }
        let mut catalog = Self::new(items);
        catalog.topics = library
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.topics.clone()))
            .collect();
        if let Some(main) = library.main_blueprint() {
            catalog.weights = main
                .domains
                .iter()
                .map(|d| (d.key.clone(), d.weight))
                .collect();
        }
        for blueprint in &library.blueprints {
            for d in &blueprint.domains {
                catalog
                    .domain_names
                    .entry(d.key.clone())
                    .or_insert_with(|| d.name.clone());
            }
        }
        catalog
    }

    /// A catalog of the given items (the first of duplicate ids wins).
    pub fn new(items: Vec<CatalogItem>) -> Self {
        let mut index = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            index.entry(item.id.clone()).or_insert(i);
        }
        Self {
            items,
            index,
            domain_names: HashMap::new(),
            topics: HashMap::new(),
            weights: Vec::new(),
        }
    }

    /// The same catalog with question topics and domain weights (tests and tools).
    pub fn with_links(
        mut self,
        topics: HashMap<String, Vec<String>>,
        weights: Vec<(String, u32)>,
    ) -> Self {
        self.topics = topics;
        self.weights = weights;
        self
    }

    /// A question's topic card ids (empty for other items).
    pub fn topics_of(&self, id: &str) -> &[String] {
        self.topics.get(id).map_or(&[], Vec::as_slice)
    }

    /// The main blueprint's domain keys and weights, in blueprint order.
    pub fn weights(&self) -> &[(String, u32)] {
        &self.weights
    }

    /// The item with this id.
    pub fn get(&self, id: &str) -> Option<&CatalogItem> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    /// All items, in content order.
    pub fn items(&self) -> &[CatalogItem] {
        &self.items
    }

    /// The Japanese name of a domain key, if a blueprint names it.
    pub fn domain_name(&self, key: &str) -> Option<&str> {
        self.domain_names.get(key).map(String::as_str)
    }
}
