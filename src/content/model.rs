//! The content model: topic cards, questions, misconceptions and exam blueprints, exactly as
//! instructors write them in TOML (see DESIGN.md "Content formats").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One content file: any mix of cards, questions and misconceptions.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentFile {
    /// Topic cards (学習カード).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<Card>,
    /// Scenario questions (問題).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
    /// Named misconceptions (よくある誤解), scheduled when a learner picks a choice naming one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misconceptions: Vec<Misconception>,
}

/// A topic card: a title, the facts to remember and an optional longer body.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Stable id (kebab-case); progress is keyed by it.
    pub id: String,
    /// 日本語のタイトル.
    pub title: String,
    /// A domain key of the exam blueprint, e.g. "iam".
    pub domain: String,
    /// Free-form tags for practice filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The facts to remember, one sentence each.
    pub facts: Vec<String>,
    /// A longer explanation (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Ids of related topic cards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// AWS documentation pages the facts follow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The four question types of SCS-C03.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    /// One correct choice.
    Single,
    /// `pick` correct choices.
    Multi,
    /// Put `items` in the right order.
    Order,
    /// Match each left to its right (`pairs`).
    Match,
}

impl QuestionType {
    /// The type as written in TOML.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multi => "multi",
            Self::Order => "order",
            Self::Match => "match",
        }
    }
}

/// A scenario question.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id, by convention starting with "q-".
    pub id: String,
    /// single | multi | order | match.
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// A domain key of the exam blueprint.
    pub domain: String,
    /// The exam guide's task statement this question tests, e.g. "4.2" (required when the
    /// blueprint lists tasks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The exam guide's skills within that task, e.g. ["4.2.3"].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// Ids of the topic cards this question tests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// Free-form tags for practice filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Id of a simulator scenario in quizzes/scenarios/.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Why this question has no simulator scenario (a question about services, not a decision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_scenario: Option<String>,
    /// The question text.
    pub prompt: String,
    /// Why the right answer is right.
    pub explanation: String,
    /// How many choices to pick (multi only; must equal the number of correct choices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pick: Option<u32>,
    /// The choices (single and multi).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// The items in the right order (order only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// The right pairs (match only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<Pair>,
    /// AWS documentation pages the question follows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Item-writing warnings of `lint` that are intended here, by code (e.g.
    /// "long-correct-choice").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lint_allow: Vec<String>,
}

/// One choice of a single or multi question.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Choice id, unique within the question ("a", "b", …).
    pub id: String,
    /// The choice text.
    pub text: String,
    /// Whether this choice is correct.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correct: bool,
    /// Why this choice is wrong (required on every wrong choice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Id of the misconception a learner shows by picking this choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub misconception: Option<String>,
}

/// One left–right pair of a match question.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// The left side (shown in order).
    pub left: String,
    /// The right side (shuffled for the learner).
    pub right: String,
}

/// A named misconception, itself a card to review.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Misconception {
    /// Stable id.
    pub id: String,
    /// The wrong belief, as a learner would state it.
    pub belief: String,
    /// What is true instead.
    pub correction: String,
    /// Ids of related topic cards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
}

/// An exam blueprint (assets/exams/*.toml).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Blueprint {
    /// Exam code, e.g. "SCS-C03".
    pub id: String,
    /// The exam's name.
    pub name: String,
    /// Questions in one exam.
    pub questions: u32,
    /// Of those, how many are scored.
    pub scored: u32,
    /// Time limit in minutes.
    pub minutes: u32,
    /// The lowest passing scaled score.
    pub passing_score: u32,
    /// The scaled score range, [low, high].
    pub scale: [u32; 2],
    /// The domains with their weights in percent.
    pub domains: Vec<Domain>,
    /// The exam guide's task statements with their skills (optional; when present every
    /// question names its task).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Task>,
}

/// One task statement of an exam guide, e.g. "4.2" under domain "iam".
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// The guide's own number, "<domain>.<task>".
    pub id: String,
    /// The domain key this task belongs to.
    pub domain: String,
    /// A short Japanese title in our own words.
    pub title: String,
    /// The exam guide page the task and its skills come from.
    pub source: String,
    /// The task's skills under their official numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<Skill>,
}

/// One skill of a task statement, e.g. "3.2.7".
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    /// The guide's own number, "<domain>.<task>.<skill>".
    pub id: String,
    /// A short Japanese title in our own words.
    pub title: String,
}

/// One domain of a blueprint.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Stable key used by cards and questions.
    pub key: String,
    /// 日本語の分野名.
    pub name: String,
    /// Weight in percent of scored questions.
    pub weight: u32,
}

/// The scaled score: the share right, mapped linearly onto the scale (as the mock exam scores).
pub fn scaled_score(correct: usize, total: usize, [low, high]: [u32; 2]) -> u32 {
    if total == 0 {
        return low;
    }
    let span = f64::from(high.saturating_sub(low));
    low + (span * correct as f64 / total as f64).round() as u32
}

impl Blueprint {
    /// How many questions each domain gets: `count` split by weight, largest remainders first.
    pub fn allocate(&self, count: usize) -> Vec<(String, usize)> {
        let total_weight: u32 = self.domains.iter().map(|d| d.weight).sum::<u32>().max(1);
        let mut shares: Vec<(String, usize, f64)> = self
            .domains
            .iter()
            .map(|d| {
                let exact = count as f64 * f64::from(d.weight) / f64::from(total_weight);
                (d.key.clone(), exact.floor() as usize, exact - exact.floor())
            })
            .collect();
        let mut left = count.saturating_sub(shares.iter().map(|s| s.1).sum::<usize>());
        let mut order: Vec<usize> = (0..shares.len()).collect();
        order.sort_by(|&a, &b| shares[b].2.total_cmp(&shares[a].2).then(a.cmp(&b)));
        for i in order {
            if left == 0 {
                break;
            }
            shares[i].1 += 1;
            left -= 1;
        }
        shares.into_iter().map(|(k, n, _)| (k, n)).collect()
    }
}

impl Question {
    /// Ids of the correct choices, in file order.
    pub fn correct_ids(&self) -> impl Iterator<Item = &str> {
        self.choices
            .iter()
            .filter(|c| c.correct)
            .map(|c| c.id.as_str())
    }
}
