//! Turning an answer to a question into reviews: wrong → Again, right → Good (or the learner's
//! Hard / Easy), and Again for every misconception named by a chosen choice.

use crate::content::{Question, QuestionType};

use super::Rating;
use super::store::NewReview;
use super::time::Moment;

/// Whether the chosen choice ids answer a single or multi question rightly (`None` for order
/// and match questions, which the answer screen grades itself).
pub fn choices_correct(question: &Question, chosen: &[String]) -> Option<bool> {
    match question.kind {
        QuestionType::Single | QuestionType::Multi => {
            let mut right: Vec<&str> = question.correct_ids().collect();
            let mut picked: Vec<&str> = chosen.iter().map(String::as_str).collect();
            right.sort_unstable();
            picked.sort_unstable();
            picked.dedup();
            Some(right == picked)
        }
        QuestionType::Order | QuestionType::Match => None,
    }
}

/// The rating of a question answer: wrong is Again; right is Good unless the learner said Hard
/// or Easy.
pub fn question_rating(correct: bool, said: Option<Rating>) -> Rating {
    match (correct, said) {
        (false, _) => Rating::Again,
        (true, Some(r @ (Rating::Hard | Rating::Easy))) => r,
        (true, _) => Rating::Good,
    }
}

/// The ids of the misconceptions named by the chosen choices, in choice order, without repeats.
pub fn misconceptions_shown<'q>(question: &'q Question, chosen: &[String]) -> Vec<&'q str> {
    let mut out: Vec<&str> = Vec::new();
    for choice in &question.choices {
        if let Some(m) = choice.misconception.as_deref()
            && chosen.iter().any(|c| c == &choice.id)
            && !out.contains(&m)
        {
            out.push(m);
        }
    }
    out
}

/// Every review one answer makes: the question's, then Again for each misconception shown.
/// Record them together with [`super::Store::record_all`] so undo takes them back together.
pub fn answer_reviews(
    question: &Question,
    correct: bool,
    said: Option<Rating>,
    chosen: &[String],
    answer_ms: Option<u32>,
    at: Moment,
) -> Vec<NewReview> {
    let mut reviews = vec![NewReview {
        item: question.id.clone(),
        at,
        rating: question_rating(correct, said),
        answer_ms,
        chosen: chosen.to_vec(),
        fingerprint: Some(crate::content::fingerprint(question)),
    }];
    for m in misconceptions_shown(question, chosen) {
        reviews.push(NewReview {
            item: m.to_string(),
            at,
            rating: Rating::Again,
            answer_ms: None,
            chosen: Vec::new(),
            fingerprint: None,
        });
    }
    reviews
}
