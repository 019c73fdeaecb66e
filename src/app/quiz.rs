//! A run of questions: how each question is shown (shuffled with a seed), what the learner has
//! entered, grading, and the feedback after an answer. Pure: no terminal, no clock.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::keymap::Action;
use crate::content::{Library, Question, QuestionType, fingerprint};
use crate::srs::Moment;

/// What the learner has entered for the current question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Input {
    /// single / multi: a cursor over the displayed choices and which are selected.
    Choices {
        /// Highlighted row.
        cursor: usize,
        /// Selected rows, by display position.
        selected: Vec<bool>,
    },
    /// order: display positions of the items, in the order the learner picked them.
    Order {
        /// Picked display positions.
        sequence: Vec<usize>,
    },
    /// match: for each left (in file order), the display position of the right chosen for it.
    Match {
        /// The left being assigned.
        cursor: usize,
        /// Chosen right per left.
        assigned: Vec<Option<usize>>,
    },
}

/// The learner's final answer, in content terms (choice ids; item and pair indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// Chosen choice ids, in display order.
    Choices(Vec<String>),
    /// Item indices (file order = right order) in the learner's order.
    Order(Vec<usize>),
    /// For each left, the pair index whose right was chosen.
    Match(Vec<usize>),
}

/// Whether a response is right.
pub fn grade(question: &Question, response: &Response) -> bool {
    match response {
        Response::Choices(chosen) => {
            let mut correct: Vec<&str> = question.correct_ids().collect();
            let mut chosen: Vec<&str> = chosen.iter().map(String::as_str).collect();
            correct.sort_unstable();
            chosen.sort_unstable();
            !correct.is_empty() && correct == chosen
        }
        Response::Order(order) => {
            order.len() == question.items.len() && order.iter().enumerate().all(|(i, &x)| i == x)
        }
        Response::Match(assigned) => {
            assigned.len() == question.pairs.len()
                && assigned.iter().enumerate().all(|(i, &x)| i == x)
        }
    }
}

/// How many parts a question shows: choices, items or pairs.
fn parts(question: &Question) -> usize {
    match question.kind {
        QuestionType::Single | QuestionType::Multi => question.choices.len(),
        QuestionType::Order => question.items.len(),
        QuestionType::Match => question.pairs.len(),
    }
}

impl Response {
    /// The response as the review log keeps it: choice ids, or item / pair indices.
    pub fn chosen(&self) -> Vec<String> {
        match self {
            Response::Choices(ids) => ids.clone(),
            Response::Order(order) | Response::Match(order) => {
                order.iter().map(ToString::to_string).collect()
            }
        }
    }

    /// No answer at all, of the kind `question` takes (for an unanswered exam question).
    pub fn none_for(question: &Question) -> Self {
        match question.kind {
            QuestionType::Single | QuestionType::Multi => Response::Choices(Vec::new()),
            QuestionType::Order => Response::Order(Vec::new()),
            QuestionType::Match => Response::Match(Vec::new()),
        }
    }
}

/// One question as shown: its id and the display permutation of its choices / items / rights.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shown {
    /// The question id.
    pub id: String,
    /// `order[display position] = index in the file`.
    pub order: Vec<usize>,
    /// The question's content fingerprint when the order was made (0 in exams saved before
    /// it was kept): an edited question gets a new order instead of stale indices.
    #[serde(default)]
    pub fingerprint: u64,
}

impl Shown {
    /// Shuffles the parts of a question deterministically for `seed` and this question's content.
    pub fn new(question: &Question, seed: u64) -> Self {
        let n = parts(question);
        let mut order: Vec<usize> = (0..n).collect();
        let mut rng = StdRng::seed_from_u64(seed ^ fingerprint(&question.id));
        order.shuffle(&mut rng);
        if question.kind == QuestionType::Order
            && n > 1
            && order.iter().enumerate().all(|(i, &x)| i == x)
        {
            // An order question shown already in order would give itself away.
            order.rotate_left(1);
        }
        Self {
            id: question.id.clone(),
            order,
            fingerprint: fingerprint(question),
        }
    }

    /// Whether this presentation still fits the question: the same content, and an order that
    /// is a permutation of its parts.
    pub fn fits(&self, question: &Question) -> bool {
        let n = parts(question);
        let mut seen = vec![false; n];
        let permutation = self.order.len() == n
            && self
                .order
                .iter()
                .all(|&i| i < n && !std::mem::replace(&mut seen[i], true));
        permutation && (self.fingerprint == 0 || self.fingerprint == fingerprint(question))
    }

    /// Makes a fresh presentation when the question changed since this one was made; true
    /// when it did (the learner's input for it no longer applies).
    pub fn refit(&mut self, question: &Question) -> bool {
        if self.fits(question) {
            return false;
        }
        *self = Self::new(question, self.fingerprint);
        true
    }

    /// A fresh input for this question.
    pub fn empty_input(&self, question: &Question) -> Input {
        match question.kind {
            QuestionType::Single | QuestionType::Multi => Input::Choices {
                cursor: 0,
                selected: vec![false; self.order.len()],
            },
            QuestionType::Order => Input::Order {
                sequence: Vec::new(),
            },
            QuestionType::Match => Input::Match {
                cursor: 0,
                assigned: vec![None; question.pairs.len()],
            },
        }
    }

    /// The response an input stands for, once it is complete.
    pub fn response(&self, question: &Question, input: &Input) -> Option<Response> {
        match input {
            Input::Choices { selected, .. } => {
                let chosen: Vec<String> = selected
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| **s)
                    .map(|(pos, _)| question.choices[self.order[pos]].id.clone())
                    .collect();
                let needed = match question.kind {
                    QuestionType::Multi => question.pick.unwrap_or(1) as usize,
                    _ => 1,
                };
                (chosen.len() == needed).then_some(Response::Choices(chosen))
            }
            Input::Order { sequence } => (sequence.len() == self.order.len())
                .then(|| Response::Order(sequence.iter().map(|&pos| self.order[pos]).collect())),
            Input::Match { assigned, .. } => assigned
                .iter()
                .map(|a| a.map(|pos| self.order[pos]))
                .collect::<Option<Vec<usize>>>()
                .map(Response::Match),
        }
    }
}

/// Applies an editing action (move, pick, toggle, take back) to an answer in progress. `Pick(n)`
/// is a display position: a choice, the next item in order, or the right for the current left.
pub fn edit_input(input: &mut Input, question: &Question, action: Action) {
    match input {
        Input::Choices { cursor, selected } => {
            let n = selected.len();
            let single = question.kind != QuestionType::Multi;
            let choose = |pos: usize, selected: &mut Vec<bool>| {
                if single {
                    selected.iter_mut().for_each(|s| *s = false);
                    selected[pos] = true;
                } else {
                    selected[pos] = !selected[pos];
                }
            };
            match action {
                Action::Up => *cursor = cursor.checked_sub(1).unwrap_or(n.saturating_sub(1)),
                Action::Down => *cursor = if *cursor + 1 >= n { 0 } else { *cursor + 1 },
                Action::Toggle if n > 0 => choose(*cursor, selected),
                Action::Pick(p) if p < n => {
                    *cursor = p;
                    choose(p, selected);
                }
                _ => {}
            }
        }
        Input::Order { sequence } => match action {
            Action::Pick(p) if p < question.items.len() && !sequence.contains(&p) => {
                sequence.push(p)
            }
            Action::Erase => {
                sequence.pop();
            }
            _ => {}
        },
        Input::Match { cursor, assigned } => {
            let n = assigned.len();
            match action {
                Action::Up => *cursor = cursor.checked_sub(1).unwrap_or(n.saturating_sub(1)),
                Action::Down => *cursor = if *cursor + 1 >= n { 0 } else { *cursor + 1 },
                Action::Pick(p) if p < n => {
                    // A right may serve one left only: taking it from another left frees that one.
                    for a in assigned.iter_mut() {
                        if *a == Some(p) {
                            *a = None;
                        }
                    }
                    assigned[*cursor] = Some(p);
                    if let Some(next) = (0..n)
                        .map(|i| (*cursor + 1 + i) % n)
                        .find(|&i| assigned[i].is_none())
                    {
                        *cursor = next;
                    }
                }
                Action::Erase => assigned[*cursor] = None,
                _ => {}
            }
        }
    }
}

/// The result shown after an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// The response given.
    pub response: Response,
    /// Whether it was right.
    pub correct: bool,
    /// Whether every wrong choice's `why` is shown (not only the chosen one's).
    pub show_all_why: bool,
    /// Lines scrolled down.
    pub scroll: u16,
    /// The rating the learner chose instead of the default (Hard or Easy on a right answer).
    pub said: Option<crate::srs::Rating>,
    /// What each rating (Again, Hard, Good, Easy) gives the question, from its state before this
    /// answer: shown with the re-rating keys. Set by the caller, which holds the progress.
    pub intervals: Option<[crate::srs::Interval; 4]>,
    /// Right after answering, or reading a finished exam's review.
    pub kind: FeedbackKind,
}

/// Where feedback is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FeedbackKind {
    /// Right after answering: the rating may still be changed.
    #[default]
    Live,
    /// A finished exam's review: the prompt first, nothing to re-rate.
    Review {
        /// The learner gave a complete answer (else it is marked 未回答).
        answered: bool,
    },
}

/// A run of questions from one domain (or any filter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiz {
    /// Shown as the screen's title.
    pub title: String,
    /// The questions in the order they are asked.
    pub shown: Vec<Shown>,
    /// Index of the current question.
    pub pos: usize,
    /// The learner's input for the current question.
    pub input: Input,
    /// Set once the current question is answered.
    pub feedback: Option<Feedback>,
    /// Answered and correct so far.
    pub answered: usize,
    /// Correct so far.
    pub correct: usize,
    /// Lines scrolled in the question text before answering.
    pub scroll: u16,
    /// Set after the last question's feedback: the score is showing.
    pub finished: bool,
    /// When the current question was shown (for the answer time).
    pub shown_at: Option<Moment>,
}

impl Quiz {
    /// A quiz over the given question ids (unknown ids are skipped), shuffled with `seed`.
    pub fn new(library: &Library, title: String, ids: &[String], seed: u64) -> Option<Self> {
        let mut questions: Vec<&Question> =
            ids.iter().filter_map(|id| library.question(id)).collect();
        if questions.is_empty() {
            return None;
        }
        questions.shuffle(&mut StdRng::seed_from_u64(seed));
        let shown: Vec<Shown> = questions.iter().map(|q| Shown::new(q, seed)).collect();
        let input = shown[0].empty_input(questions[0]);
        Some(Self {
            title,
            shown,
            pos: 0,
            input,
            feedback: None,
            answered: 0,
            correct: 0,
            scroll: 0,
            finished: false,
            shown_at: None,
        })
    }

    /// After a reload: every question that changed gets a fresh presentation; if the current
    /// one did, its input and feedback start over.
    pub fn refit(&mut self, library: &Library) {
        for (i, shown) in self.shown.iter_mut().enumerate() {
            let Some(question) = library.question(&shown.id) else {
                continue;
            };
            if shown.refit(question) && i == self.pos {
                self.input = shown.empty_input(question);
                self.feedback = None;
            }
        }
    }

    /// The current question's presentation.
    pub fn current(&self) -> &Shown {
        &self.shown[self.pos]
    }

    /// The current question.
    pub fn question<'a>(&self, library: &'a Library) -> Option<&'a Question> {
        library.question(&self.current().id)
    }

    /// Whether the last question has been answered.
    pub fn is_last(&self) -> bool {
        self.pos + 1 >= self.shown.len()
    }

    /// Moves to the next question; false when there is none.
    pub fn advance(&mut self, library: &Library) -> bool {
        if self.is_last() {
            return false;
        }
        self.pos += 1;
        self.feedback = None;
        self.scroll = 0;
        self.shown_at = None;
        self.input = match self.question(library) {
            Some(q) => self.current().empty_input(q),
            None => Input::Order {
                sequence: Vec::new(),
            },
        };
        true
    }

    /// Grades the current input if it is complete, and shows the feedback.
    pub fn submit(&mut self, library: &Library) -> bool {
        let Some(question) = self.question(library) else {
            return false;
        };
        let Some(response) = self.current().response(question, &self.input) else {
            return false;
        };
        let correct = grade(question, &response);
        self.answered += 1;
        self.correct += usize::from(correct);
        self.feedback = Some(Feedback {
            response,
            correct,
            show_all_why: false,
            scroll: 0,
            said: None,
            intervals: None,
            kind: FeedbackKind::Live,
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Choice, Pair};

    fn question(kind: QuestionType) -> Question {
        let choice = |id: &str, correct: bool| Choice {
            id: id.into(),
            text: format!("選択肢{id}"),
            correct,
            why: (!correct).then(|| "理由".to_string()),
            misconception: None,
        };
        Question {
            id: "q".into(),
            kind,
            domain: "iam".into(),
            task: None,
            skills: vec![],
            topics: vec![],
            tags: vec![],
            scenario: None,
            no_scenario: None,
            prompt: "問".into(),
            explanation: "解説".into(),
            pick: (kind == QuestionType::Multi).then_some(2),
            choices: match kind {
                QuestionType::Single => {
                    vec![choice("a", true), choice("b", false), choice("c", false)]
                }
                QuestionType::Multi => {
                    vec![choice("a", true), choice("b", true), choice("c", false)]
                }
                _ => vec![],
            },
            items: if kind == QuestionType::Order {
                vec!["一".into(), "二".into(), "三".into()]
            } else {
                vec![]
            },
            pairs: if kind == QuestionType::Match {
                vec![
                    Pair {
                        left: "L1".into(),
                        right: "R1".into(),
                    },
                    Pair {
                        left: "L2".into(),
                        right: "R2".into(),
                    },
                ]
            } else {
                vec![]
            },
            sources: vec![],
            lint_allow: vec![],
        }
    }

    #[test]
    fn grading_each_type() {
        assert!(grade(
            &question(QuestionType::Single),
            &Response::Choices(vec!["a".into()])
        ));
        assert!(!grade(
            &question(QuestionType::Single),
            &Response::Choices(vec!["b".into()])
        ));
        assert!(grade(
            &question(QuestionType::Multi),
            &Response::Choices(vec!["b".into(), "a".into()])
        ));
        assert!(!grade(
            &question(QuestionType::Multi),
            &Response::Choices(vec!["a".into(), "c".into()])
        ));
        assert!(grade(
            &question(QuestionType::Order),
            &Response::Order(vec![0, 1, 2])
        ));
        assert!(!grade(
            &question(QuestionType::Order),
            &Response::Order(vec![1, 0, 2])
        ));
        assert!(grade(
            &question(QuestionType::Match),
            &Response::Match(vec![0, 1])
        ));
        assert!(!grade(
            &question(QuestionType::Match),
            &Response::Match(vec![1, 0])
        ));
    }

    #[test]
    fn an_order_question_is_never_shown_in_order() {
        for seed in 0..50 {
            let shown = Shown::new(&question(QuestionType::Order), seed);
            assert_ne!(shown.order, vec![0, 1, 2]);
        }
    }

    #[test]
    fn input_maps_back_through_the_shuffle() {
        let q = question(QuestionType::Single);
        let shown = Shown::new(&q, 7);
        let pos_of_a = shown.order.iter().position(|&i| i == 0).unwrap();
        let mut selected = vec![false; 3];
        selected[pos_of_a] = true;
        let response = shown
            .response(
                &q,
                &Input::Choices {
                    cursor: 0,
                    selected,
                },
            )
            .unwrap();
        assert!(grade(&q, &response));
    }

    #[test]
    fn incomplete_input_is_not_a_response() {
        let q = question(QuestionType::Multi);
        let shown = Shown::new(&q, 1);
        let selected = vec![true, false, false];
        assert_eq!(
            shown.response(
                &q,
                &Input::Choices {
                    cursor: 0,
                    selected
                }
            ),
            None
        );
    }
}
