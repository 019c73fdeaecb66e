//! Export and import: the review log as JSON (`{"reviews": [{"item", "time", "rating", …}]}`,
//! merged by item + time on import) and topic cards and misconceptions as a TSV file that
//! Anki's importer takes as front/back notes.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::store::{NewReview, ReviewRecord};
use super::time::Moment;
use super::{Rating, SrsError};
use crate::content::Library;

/// A progress export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportFile {
    /// "shikaku-progress".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The export format version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// When it was written (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
    /// An anonymous id of the learner (random, kept in the data directory), so an instructor
    /// can tell a class's exports apart without knowing who is who. Absent in older exports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<String>,
    /// A fingerprint of the questions the learner studied (see `content::content_version`).
    /// Absent in older exports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_version: Option<String>,
    /// The review log, oldest first.
    pub reviews: Vec<ExportedReview>,
}

/// One review in an export; only `item`, `time` and `rating` are required on import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedReview {
    /// The item id.
    pub item: String,
    /// RFC 3339 with the offset, e.g. "2025-01-02T21:30:00+09:00".
    pub time: String,
    /// 1 = Again … 4 = Easy.
    pub rating: u8,
    /// Study days since the previous review of the item (informational; recomputed on import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_days: Option<u32>,
    /// How long the answer took.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_ms: Option<u32>,
    /// The chosen choice ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chosen: Vec<String>,
}

/// The export of a log.
pub fn export_json(reviews: &[ReviewRecord], exported_at: Moment) -> ExportFile {
    ExportFile {
        format: Some("shikaku-progress".into()),
        version: Some(1),
        exported_at: Some(exported_at.to_rfc3339()),
        learner: None,
        content_version: None,
        reviews: reviews
            .iter()
            .map(|r| ExportedReview {
                item: r.item.clone(),
                time: r.at.to_rfc3339(),
                rating: r.rating.number(),
                elapsed_days: Some(r.elapsed_days),
                answer_ms: r.answer_ms,
                chosen: r.chosen.clone(),
            })
            .collect(),
    }
}

/// Parses an export (from `path`, for messages) into reviews to merge.
pub fn parse_import(text: &str, path: &Path) -> Result<Vec<NewReview>, SrsError> {
    let file: ExportFile = serde_json::from_str(text).map_err(|err| SrsError::Import {
        path: path.into(),
        location: format!("{}行目 {}列", err.line(), err.column()),
        message: format!(
            "JSONの形が違います。{{\"reviews\": [{{\"item\", \"time\", \"rating\"}}]}} の形にしてください({err})"
        ),
    })?;
    file.reviews
        .iter()
        .enumerate()
        .map(|(i, review)| {
            let fail = |message: String| SrsError::Import {
                path: path.into(),
                location: format!("reviews[{i}]"),
                message,
            };
            if review.item.trim().is_empty() {
                return Err(fail("item が空です".into()));
            }
            let rating = Rating::from_number(review.rating).ok_or_else(|| {
                fail(format!(
                    "rating は1〜4の数です({}は使えません)",
                    review.rating
                ))
            })?;
            let at = Moment::parse_rfc3339(&review.time).map_err(fail)?;
            Ok(NewReview {
                item: review.item.clone(),
                at,
                rating,
                answer_ms: review.answer_ms,
                chosen: review.chosen.clone(),
                fingerprint: None,
            })
        })
        .collect()
}

/// Refuses reviews dated before 2000 or more than a day after `now` (a clock that is off, or a
/// typo such as 2200): they would schedule an item for centuries.
pub fn check_times(reviews: &[NewReview], path: &Path, now: Moment) -> Result<(), SrsError> {
    let earliest =
        Moment::parse_rfc3339("2000-01-01T00:00:00+00:00").map_err(|message| SrsError::Import {
            path: path.into(),
            location: String::new(),
            message,
        })?;
    let latest = now.millis() + 24 * 60 * 60 * 1000;
    for (i, review) in reviews.iter().enumerate() {
        let millis = review.at.millis();
        if millis < earliest.millis() || millis > latest {
            return Err(SrsError::Import {
                path: path.into(),
                location: format!("reviews[{i}]"),
                message: format!(
                    "time {} は 2000-01-01 から今日({})までにしてください",
                    review.at.to_rfc3339(),
                    now.to_rfc3339()
                ),
            });
        }
    }
    Ok(())
}

/// Topic cards and misconceptions as Anki notes: a `#separator:tab` / `#html:false` header, then
/// one line per note: front, back, tags.
pub fn anki_tsv(library: &Library) -> String {
    let mut out = String::from("#separator:tab\n#html:false\n#tags column:3\n");
    let mut line = |front: &str, back: &str, tags: &str| {
        out.push_str(&anki_field(front));
        out.push('\t');
        out.push_str(&anki_field(back));
        out.push('\t');
        out.push_str(&anki_field(tags));
        out.push('\n');
    };
    for card in &library.cards {
        let mut back: Vec<String> = card.facts.iter().map(|f| format!("・{f}")).collect();
        if let Some(body) = card
            .body
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
        {
            back.push(String::new());
            back.push(body.to_string());
        }
        let tags = format!("shikaku shikaku::{}", tag_word(&card.domain));
        line(&card.title, &back.join("\n"), &tags);
    }
    for m in &library.misconceptions {
        line(
            &format!("【誤解】{}", m.belief),
            &m.correction,
            "shikaku shikaku::誤解",
        );
    }
    out
}

/// One field as Anki's CSV reader reads it: quoted (with `"` doubled) when it holds a tab, a
/// newline or a quote, or starts with `#` (which would make the line a comment).
pub fn anki_field(text: &str) -> String {
    let needs_quotes = text.contains(['\t', '\n', '\r', '"']) || text.starts_with('#');
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A tag may not contain spaces.
fn tag_word(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("_")
}
