//! The decision table of a scenario: the bare result for every combination of its knob values,
//! so a learner sees the whole space at once (`shikaku sim table`, the simulator's table view).
//! At most [`MAX_COMBINATIONS`] rows; beyond that a clear error instead of a long wait.

use serde_json::{Value, json};

use super::scenario::{Scenario, ScenarioError};
use super::{Verdict, decide_kind};

/// The most combinations a table lists.
pub const MAX_COMBINATIONS: usize = 4096;

/// One row: a value index per knob and the result.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The value index of each knob, in the scenario's knob order.
    pub values: Vec<usize>,
    /// The result, or why this combination is not a valid scenario.
    pub result: Result<Verdict, String>,
}

/// The table of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionTable {
    /// Every combination, the first knob varying slowest.
    pub rows: Vec<Row>,
}

/// Why there is no table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The scenario has no knobs.
    #[error("このシナリオにはノブがないため、決定表を作れません")]
    NoKnobs,
    /// Too many combinations.
    #[error(
        "ノブの値の組み合わせが {count} 通りあり、上限の {MAX_COMBINATIONS} 通りを超えています(ノブか値を減らしてください)"
    )]
    TooLarge {
        /// The number of combinations (saturating).
        count: usize,
    },
}

/// Decides every combination of the scenario's knob values.
pub fn table(scenario: &Scenario) -> Result<DecisionTable, TableError> {
    let sizes: Vec<usize> = scenario.knobs.iter().map(|k| k.values.len()).collect();
    if sizes.is_empty() {
        return Err(TableError::NoKnobs);
    }
    let count = sizes.iter().try_fold(1usize, |acc, n| {
        acc.checked_mul(*n).filter(|c| *c <= MAX_COMBINATIONS)
    });
    let Some(count) = count else {
        let count = sizes.iter().fold(1usize, |acc, n| acc.saturating_mul(*n));
        return Err(TableError::TooLarge { count });
    };
    let mut rows = Vec::with_capacity(count);
    let mut current = vec![0usize; sizes.len()];
    let mut combinations = scenario.combinations();
    let mut choice: Vec<(usize, usize)> = Vec::with_capacity(sizes.len());
    for _ in 0..count {
        choice.clear();
        choice.extend(current.iter().copied().enumerate());
        let result = combinations.kind(&choice).map(|k| decide_kind(&k)).map_err(
            |errs: Vec<ScenarioError>| errs.first().map_or_else(String::new, |e| e.message.clone()),
        );
        rows.push(Row {
            values: current.clone(),
            result,
        });
        // The last knob varies fastest.
        for i in (0..current.len()).rev() {
            current[i] += 1;
            if current[i] < sizes[i] {
                break;
            }
            current[i] = 0;
        }
    }
    Ok(DecisionTable { rows })
}

/// A result as one short word: the decision, `到達`, or the blocking check.
pub fn result_text(result: &Result<Verdict, String>) -> String {
    match result {
        Ok(Verdict::Iam(d)) => d.as_str().to_string(),
        Ok(Verdict::Network(None)) => "reachable".into(),
        Ok(Verdict::Network(Some(h))) => h.as_str().into(),
        Err(_) => "invalid".into(),
    }
}

impl DecisionTable {
    /// The JSON of `shikaku sim table --json`: the knobs with their value labels, and one row
    /// per combination (`values`: the value labels; `result`).
    pub fn to_json(&self, scenario: &Scenario) -> Value {
        json!({
            "scenario": scenario.id,
            "knobs": scenario.knobs.iter().map(|k| json!({
                "id": k.id,
                "label": k.label,
                "values": k.values.iter().map(|v| v.label.clone()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "rows": self.rows.iter().map(|r| {
                let mut row = json!({
                    "values": r.values.iter().enumerate().map(|(k, i)| {
                        scenario.knobs[k].values[*i].label.clone()
                    }).collect::<Vec<_>>(),
                    "result": result_text(&r.result),
                });
                if let Err(e) = &r.result {
                    row["error"] = json!(e);
                }
                row
            }).collect::<Vec<_>>(),
        })
    }
}
