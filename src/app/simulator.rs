//! シミュレータ: a scenario's request and policies (statements listed, JSON pretty-printed), the
//! decision with its Japanese explanation, knobs that re-evaluate at once, statements switched
//! off and on, `T` for the decision table of every knob combination, and `e` to edit the
//! scenario in $EDITOR (errors are shown, never fatal).

use std::path::Path;
use std::sync::Arc;

use super::keymap::Action;
use super::{App, Effect};
use crate::content::Library;
use crate::sim::iam::StatementRef;
use crate::sim::table::{DecisionTable, TableError};
use crate::sim::{self, Format, Outcome, Scenario};

/// Which list the cursor moves in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Focus {
    /// The knobs.
    #[default]
    Knobs,
    /// The policy statements.
    Statements,
}

/// One policy statement as written, for display.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownStatement {
    /// Which statement it is.
    pub at: StatementRef,
    /// The statement's JSON, pretty-printed.
    pub json: String,
}

/// The decision table view: the result of every combination of the knob values.
#[derive(Debug, Clone)]
pub struct TableView {
    /// The rows, or why there are none.
    pub table: Result<DecisionTable, TableError>,
    /// The highlighted row.
    pub cursor: usize,
}

/// The scenario open in the simulator.
#[derive(Debug, Clone)]
pub struct Open {
    /// The scenario as loaded (knobs and switches apply to copies of it).
    pub original: Scenario,
    /// With the chosen knob values and switched-off statements.
    pub current: Scenario,
    /// The decision and its explanation.
    pub outcome: Outcome,
    /// The chosen value per knob (`None`: as written).
    pub knob_values: Vec<Option<usize>>,
    /// Statements switched off.
    pub disabled: Vec<StatementRef>,
    /// The file's text.
    pub text: Arc<str>,
    /// Where it came from (repo-relative for embedded content).
    pub path: String,
    /// The statements, pretty-printed.
    pub statements: Vec<ShownStatement>,
    /// Knobs or statements.
    pub focus: Focus,
    /// Highlighted knob.
    pub knob_cursor: usize,
    /// Highlighted statement.
    pub statement_cursor: usize,
    /// Lines scrolled.
    pub scroll: u16,
    /// Problems from the last edit (the previous version stays in use).
    pub errors: Vec<String>,
    /// The decision table, while it is shown.
    pub table: Option<TableView>,
}

/// The simulator screen: a list of scenarios, or one open.
#[derive(Debug, Clone, Default)]
pub struct SimScreen {
    /// The open scenario.
    pub open: Option<Box<Open>>,
    /// Highlighted row of the list.
    pub list_cursor: usize,
    /// Whether the list is showing (opened from home) rather than one linked scenario.
    pub listing: bool,
}

/// Every statement of the scenario as the document holds it now (after knobs), pretty-printed.
fn statements_of(scenario: &Scenario) -> Vec<ShownStatement> {
    scenario
        .statements()
        .into_iter()
        .filter_map(|at| {
            let json = scenario.statement_source(at)?;
            Some(ShownStatement {
                at,
                json: serde_json::to_string_pretty(&json).unwrap_or_default(),
            })
        })
        .collect()
}

impl Open {
    fn new(scenario: Scenario, text: Arc<str>, path: String) -> Self {
        let outcome = sim::evaluate(&scenario);
        let statements = statements_of(&scenario);
        let knob_values = scenario
            .knobs
            .iter()
            .map(|k| scenario.knob_current(k))
            .collect();
        Self {
            original: scenario.clone(),
            current: scenario,
            outcome,
            knob_values,
            disabled: Vec::new(),
            text,
            path,
            statements,
            focus: Focus::Knobs,
            knob_cursor: 0,
            statement_cursor: 0,
            scroll: 0,
            errors: Vec::new(),
            table: None,
        }
    }

    /// Shows the decision table of the scenario as it stands (switched-off statements stay
    /// off), the row of the current knob values highlighted.
    pub fn show_table(&mut self) {
        let table = sim::table::table(&self.current);
        let cursor = table.as_ref().map_or(0, |t| {
            t.rows
                .iter()
                .position(|r| {
                    r.values
                        .iter()
                        .zip(&self.knob_values)
                        .all(|(v, chosen)| chosen.is_none_or(|c| c == *v))
                })
                .unwrap_or(0)
        });
        self.table = Some(TableView { table, cursor });
    }

    /// Sets the knobs to the highlighted row of the table and closes it.
    fn apply_table_row(&mut self) {
        let Some(TableView {
            table: Ok(table),
            cursor,
        }) = self.table.take()
        else {
            return;
        };
        if let Some(row) = table.rows.get(cursor) {
            self.knob_values = row.values.iter().map(|v| Some(*v)).collect();
            self.recompute();
        }
    }

    /// Re-applies the knob values and switches to the original and evaluates again.
    fn recompute(&mut self) {
        let mut scenario = self.original.clone();
        for (knob, value) in self.original.knobs.iter().zip(&self.knob_values) {
            if let Some(value) = value
                && let Ok(next) = scenario.with_knob(&knob.id, *value)
            {
                scenario = next;
            }
        }
        for at in &self.disabled {
            scenario.set_statement_enabled(*at, false);
        }
        self.outcome = sim::evaluate(&scenario);
        self.statements = statements_of(&scenario);
        self.current = scenario;
    }

    /// Moves a knob to its next value.
    pub fn cycle_knob(&mut self, index: usize) {
        let Some(knob) = self.original.knobs.get(index) else {
            return;
        };
        let count = knob.values.len();
        if count == 0 {
            return;
        }
        let next = self.knob_values[index].map_or(0, |v| (v + 1) % count);
        self.knob_values[index] = Some(next);
        self.knob_cursor = index;
        self.recompute();
    }

    /// Switches a statement off or back on.
    pub fn toggle_statement(&mut self, index: usize) {
        let Some(at) = self.statements.get(index).map(|s| s.at) else {
            return;
        };
        if let Some(pos) = self.disabled.iter().position(|d| *d == at) {
            self.disabled.remove(pos);
        } else {
            self.disabled.push(at);
        }
        self.statement_cursor = index;
        self.recompute();
    }

    /// Whether a statement is switched off.
    pub fn is_disabled(&self, at: StatementRef) -> bool {
        self.disabled.contains(&at)
    }
}

impl SimScreen {
    /// Opens a scenario by id; false when there is none.
    pub fn open(&mut self, library: &Library, id: &str) -> bool {
        let Some(entry) = library.scenario(id) else {
            return false;
        };
        self.open = Some(Box::new(Open::new(
            entry.scenario.clone(),
            Arc::clone(&entry.text),
            entry.path.clone(),
        )));
        self.listing = false;
        true
    }

    /// Shows the list of every scenario.
    pub fn list(&mut self) {
        self.open = None;
        self.listing = true;
    }

    /// The scenario came back from the editor.
    pub fn edited(&mut self, path: &Path, text: Result<String, String>) {
        let Some(open) = self.open.as_mut() else {
            return;
        };
        let text = match text {
            Ok(text) => text,
            Err(message) => {
                open.errors = vec![message];
                return;
            }
        };
        let format = if path.extension().is_some_and(|e| e == "json") {
            Format::Json
        } else {
            Format::Toml
        };
        match sim::scenario::parse(&text, format) {
            Ok(scenario) => {
                let mut fresh = Open::new(scenario, Arc::from(text.as_str()), open.path.clone());
                fresh.focus = open.focus;
                **open = fresh;
            }
            Err(errors) => {
                open.errors = errors
                    .into_iter()
                    .map(|e| {
                        let at = e
                            .span
                            .map(|s| crate::content::Location::from_span("", &text, s));
                        let place = at
                            .map(|l| format!("{}:{}: ", l.line, l.column))
                            .unwrap_or_default();
                        format!("{place}{}", e.message)
                    })
                    .collect();
            }
        }
    }
}

/// The simulator screen.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let screen = &mut app.sim;
    let Some(open) = screen.open.as_mut() else {
        let n = app.library.scenarios.len();
        match action {
            Action::Back => {
                app.pop();
            }
            Action::Up => screen.list_cursor = screen.list_cursor.saturating_sub(1),
            Action::Down if screen.list_cursor + 1 < n => screen.list_cursor += 1,
            Action::PageDown => {
                screen.list_cursor = (screen.list_cursor + 10).min(n.saturating_sub(1))
            }
            Action::PageUp => screen.list_cursor = screen.list_cursor.saturating_sub(10),
            Action::Submit if n > 0 => {
                let id = app.library.scenarios[screen.list_cursor]
                    .scenario
                    .id
                    .clone();
                screen.open(&app.library, &id);
                screen.listing = true;
            }
            _ => {}
        }
        return Vec::new();
    };
    if open.table.is_some() {
        return table_update(open, action, app.size.1);
    }
    let listing = screen.listing;
    let knobs = open.original.knobs.len();
    let statements = open.statements.len();
    match action {
        Action::Back => {
            if screen.listing {
                screen.open = None;
            } else {
                app.pop();
            }
        }
        Action::Pick(i) if open.focus == Focus::Knobs && i < knobs => open.cycle_knob(i),
        Action::Pick(i) if open.focus == Focus::Statements && i < statements => {
            open.toggle_statement(i)
        }
        Action::Tab => {
            open.focus = match open.focus {
                Focus::Knobs if statements > 0 => Focus::Statements,
                _ => Focus::Knobs,
            };
        }
        Action::Up => match open.focus {
            Focus::Knobs => open.knob_cursor = open.knob_cursor.saturating_sub(1),
            Focus::Statements => open.statement_cursor = open.statement_cursor.saturating_sub(1),
        },
        Action::Down => match open.focus {
            Focus::Knobs if open.knob_cursor + 1 < knobs => open.knob_cursor += 1,
            Focus::Statements if open.statement_cursor + 1 < statements => {
                open.statement_cursor += 1
            }
            _ => {}
        },
        Action::Toggle | Action::Submit | Action::Right => match open.focus {
            Focus::Knobs => open.cycle_knob(open.knob_cursor),
            Focus::Statements => open.toggle_statement(open.statement_cursor),
        },
        Action::PageDown => {
            open.scroll = open
                .scroll
                .saturating_add(app.size.1.saturating_sub(3).max(1))
        }
        Action::PageUp => {
            open.scroll = open
                .scroll
                .saturating_sub(app.size.1.saturating_sub(3).max(1))
        }
        Action::Table => open.show_table(),
        Action::Edit => {
            return vec![Effect::Edit {
                id: open.original.id.clone(),
                path: open.path.clone(),
                text: Arc::clone(&open.text),
            }];
        }
        Action::Reset => {
            let id = open.original.id.clone();
            let path = open.path.clone();
            let focus = open.focus;
            if screen.open(&app.library, &id) {
                if let Some(open) = screen.open.as_mut() {
                    open.focus = focus;
                }
                screen.listing = listing;
            }
            return vec![Effect::DiscardEdit { id, path }];
        }
        _ => {}
    }
    Vec::new()
}

/// Keys while the decision table shows: move, Enter applies the row's knob values, `T` or Esc
/// closes it.
fn table_update(open: &mut Open, action: Action, height: u16) -> Vec<Effect> {
    let Some(view) = open.table.as_mut() else {
        return Vec::new();
    };
    let rows = view.table.as_ref().map_or(0, |t| t.rows.len());
    let page = usize::from(height.saturating_sub(6).max(1));
    match action {
        Action::Back | Action::Table => open.table = None,
        Action::Up => view.cursor = view.cursor.saturating_sub(1),
        Action::Down if view.cursor + 1 < rows => view.cursor += 1,
        Action::PageUp => view.cursor = view.cursor.saturating_sub(page),
        Action::PageDown => view.cursor = (view.cursor + page).min(rows.saturating_sub(1)),
        Action::Submit | Action::Toggle => open.apply_table_row(),
        _ => {}
    }
    Vec::new()
}
