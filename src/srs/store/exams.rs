//! Mock exam attempts: saved when an exam starts and updated as it ends; the mock-exam screen
//! decides what the answers and per-domain results hold (JSON).

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::Serialize;

use super::{Store, sql};
use crate::srs::SrsError;
use crate::srs::time::Moment;

/// One attempt at a mock exam.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamAttempt {
    /// The row id (`None` before it is first saved).
    pub id: Option<i64>,
    /// The blueprint id, e.g. "SCS-C03".
    pub exam: String,
    /// When it started.
    #[serde(skip)]
    pub started: Moment,
    /// When it ended (`None` while in progress or abandoned).
    #[serde(skip)]
    pub finished: Option<Moment>,
    /// The answers, as the exam screen records them.
    pub answers: serde_json::Value,
    /// The scaled score (100–1000) once scored.
    pub scaled_score: Option<u32>,
    /// Per-domain results, as the exam screen records them.
    pub domains: serde_json::Value,
}

impl Store {
    /// Inserts a new attempt (`id: None`) or updates an existing one; returns its id.
    pub fn save_exam_attempt(&mut self, attempt: &ExamAttempt) -> Result<i64, SrsError> {
        let path = &self.path;
        match attempt.id {
            Some(id) => {
                let updated = self
                    .conn
                    .execute(
                        "UPDATE exam_attempts SET exam = ?2, started_ms = ?3, started_offset_s = ?4,
                         finished_ms = ?5, finished_offset_s = ?6, answers = ?7,
                         scaled_score = ?8, domains = ?9 WHERE id = ?1",
                        params_from_iter(
                            std::iter::once(Value::Integer(id))
                                .chain(attempt_columns(attempt)),
                        ),
                    )
                    .map_err(sql(path))?;
                if updated == 0 {
                    return Err(SrsError::Sqlite {
                        path: path.clone(),
                        source: rusqlite::Error::QueryReturnedNoRows,
                    });
                }
                Ok(id)
            }
            None => insert_exam_attempt(&self.conn, path, attempt),
        }
    }

    /// Every attempt, newest first.
    pub fn exam_attempts(&self) -> Result<Vec<ExamAttempt>, SrsError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, exam, started_ms, started_offset_s, finished_ms, finished_offset_s,
                 answers, scaled_score, domains FROM exam_attempts ORDER BY started_ms DESC, id DESC",
            )
            .map_err(sql(&self.path))?;
        let rows = stmt
            .query_map([], |r| {
                let finished_ms: Option<i64> = r.get(4)?;
                let finished_off: Option<i32> = r.get(5)?;
                let answers: String = r.get(6)?;
                let domains: String = r.get(8)?;
                Ok(ExamAttempt {
                    id: Some(r.get(0)?),
                    exam: r.get(1)?,
                    started: Moment::from_millis(r.get(2)?, r.get(3)?).unwrap_or(Moment {
                        timestamp: jiff::Timestamp::UNIX_EPOCH,
                        offset: jiff::tz::Offset::UTC,
                    }),
                    finished: finished_ms
                        .and_then(|ms| Moment::from_millis(ms, finished_off.unwrap_or(0))),
                    answers: serde_json::from_str(&answers).unwrap_or_default(),
                    scaled_score: r.get(7)?,
                    domains: serde_json::from_str(&domains).unwrap_or_default(),
                })
            })
            .map_err(sql(&self.path))?;
        rows.collect::<Result<_, _>>().map_err(sql(&self.path))
    }

    /// One attempt by id.
    pub fn exam_attempt(&self, id: i64) -> Result<Option<ExamAttempt>, SrsError> {
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT id FROM exam_attempts WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql(&self.path))?;
        if exists.is_none() {
            return Ok(None);
        }
        Ok(self.exam_attempts()?.into_iter().find(|a| a.id == Some(id)))
    }
}

/// The columns of an attempt after its id, in the order the statements name them.
fn attempt_columns(attempt: &ExamAttempt) -> [Value; 8] {
    let opt = |v: Option<i64>| v.map_or(Value::Null, Value::Integer);
    [
        Value::Text(attempt.exam.clone()),
        Value::Integer(attempt.started.millis()),
        Value::Integer(attempt.started.offset_seconds().into()),
        opt(attempt.finished.map(|m| m.millis())),
        opt(attempt.finished.map(|m| m.offset_seconds().into())),
        Value::Text(attempt.answers.to_string()),
        opt(attempt.scaled_score.map(i64::from)),
        Value::Text(attempt.domains.to_string()),
    ]
}

/// Inserts an attempt as a new row (its `id` is ignored); returns the new id.
pub(super) fn insert_exam_attempt(
    conn: &Connection,
    path: &Path,
    attempt: &ExamAttempt,
) -> Result<i64, SrsError> {
    conn.execute(
        "INSERT INTO exam_attempts (exam, started_ms, started_offset_s, finished_ms,
         finished_offset_s, answers, scaled_score, domains)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params_from_iter(attempt_columns(attempt)),
    )
    .map_err(sql(path))?;
    Ok(conn.last_insert_rowid())
}
