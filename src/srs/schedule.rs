//! The scheduler: plain functions over an item's state. FSRS-6 gives the memory state (from
//! day-based elapsed times) and whole-day intervals; the app adds learning steps, relearning
//! steps, the maximum interval and a seeded fuzz. An item's state is a fold of [`Scheduler::apply`]
//! over its review log, so it can always be recomputed ([`Scheduler::replay`]).

use fsrs::{FSRS, MemoryState, NextStates};
use jiff::Timestamp;
use serde::Serialize;

use super::settings::Settings;
use super::time::{Day, Moment};
use super::{Rating, SrsError};

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Never reviewed.
    New,
    /// Going through the learning steps (minutes).
    Learning,
    /// Scheduled in whole days.
    Review,
    /// Going through the relearning steps after a lapse.
    Relearning,
}

impl Phase {
    /// The stored code.
    pub fn code(self) -> i64 {
        match self {
            Self::New => 0,
            Self::Learning => 1,
            Self::Review => 2,
            Self::Relearning => 3,
        }
    }

    /// The phase from its stored code.
    pub fn from_code(code: i64) -> Self {
        match code {
            1 => Self::Learning,
            2 => Self::Review,
            3 => Self::Relearning,
            _ => Self::New,
        }
    }

    /// The Japanese name shown to the learner.
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "未学習",
            Self::Learning => "学習中",
            Self::Review => "復習",
            Self::Relearning => "再学習中",
        }
    }
}

/// FSRS's memory state of an item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Memory {
    /// Days until recall probability falls to 90%.
    pub stability: f32,
    /// 1 (easy) – 10 (hard).
    pub difficulty: f32,
}

impl From<MemoryState> for Memory {
    fn from(m: MemoryState) -> Self {
        Self {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

impl From<Memory> for MemoryState {
    fn from(m: Memory) -> Self {
        Self {
            stability: m.stability,
            difficulty: m.difficulty,
        }
    }
}

/// The scheduling state of one item, derived from its review log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemState {
    /// New, learning, review or relearning.
    pub phase: Phase,
    /// The index of the current (re)learning step.
    pub step: u32,
    /// FSRS's memory state; `None` while new.
    pub memory: Option<Memory>,
    /// When the item is due (for review items: the start of the due day).
    #[serde(skip)]
    pub due: Option<Timestamp>,
    /// The due study day of a review item.
    #[serde(skip)]
    pub due_day: Option<Day>,
    /// The current interval in days (0 while in steps).
    pub interval_days: u32,
    /// Reviews so far.
    pub reps: u32,
    /// Times a review item was forgotten.
    pub lapses: u32,
    /// The last review.
    #[serde(skip)]
    pub last: Option<Moment>,
}

impl ItemState {
    /// A never-reviewed item.
    pub fn new_item() -> Self {
        Self {
            phase: Phase::New,
            step: 0,
            memory: None,
            due: None,
            due_day: None,
            interval_days: 0,
            reps: 0,
            lapses: 0,
            last: None,
        }
    }
}

/// How long until an item comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "unit", content = "value")]
pub enum Interval {
    /// A (re)learning step.
    Minutes(u32),
    /// A review interval.
    Days(u32),
}

impl Interval {
    /// A short Japanese label for an answer button: 「1分」「10分」「3日」「2.1か月」「1.5年」.
    pub fn label(self) -> String {
        match self {
            Self::Minutes(m) if m < 60 => format!("{m}分"),
            Self::Minutes(m) if m < 24 * 60 => format!("{}時間", round1(f64::from(m) / 60.0)),
            Self::Minutes(m) => format!("{}日", m / (24 * 60)),
            Self::Days(d) if d < 30 => format!("{d}日"),
            Self::Days(d) if d < 365 => format!("{}か月", round1(f64::from(d) / 30.4)),
            Self::Days(d) => format!("{}年", round1(f64::from(d) / 365.25)),
        }
    }
}

fn round1(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// What one answer button would do, computed before the learner chooses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextDue {
    /// The button.
    pub rating: Rating,
    /// How long until the item is shown again.
    pub interval: Interval,
    /// The state the item would have.
    pub state: ItemState,
}

/// FSRS with the app's settings: every scheduling decision goes through here.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    parameters: Vec<f32>,
    settings: Settings,
}

impl Scheduler {
    /// A scheduler with the given FSRS parameters (empty = FSRS-6 defaults).
    pub fn new(settings: Settings, parameters: &[f32]) -> Result<Self, SrsError> {
        let parameters = if parameters.is_empty() {
            fsrs::DEFAULT_PARAMETERS.to_vec()
        } else {
            fsrs::check_and_fill_parameters(parameters)?
        };
        let fsrs = FSRS::new(&parameters)?;
        Ok(Self {
            fsrs,
            parameters,
            settings,
        })
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The same FSRS parameters with other settings (an exam date set from ホーム).
    pub fn with_settings(&self, settings: Settings) -> Self {
        Self {
            fsrs: self.fsrs.clone(),
            parameters: self.parameters.clone(),
            settings,
        }
    }

    /// The FSRS parameters in force (21 numbers).
    pub fn parameters(&self) -> &[f32] {
        &self.parameters
    }

    /// The underlying FSRS model.
    pub fn fsrs(&self) -> &FSRS {
        &self.fsrs
    }

    /// Whole study days between two moments, as FSRS counts them (never negative).
    pub fn elapsed_days(&self, last: Moment, now: Moment) -> u32 {
        now.day(self.settings.day_start)
            .days_since(last.day(self.settings.day_start))
    }

    /// The state after the whole log, oldest first: the derived state is always recomputable.
    pub fn replay(
        &self,
        item: &str,
        log: impl IntoIterator<Item = (Moment, Rating)>,
    ) -> Result<ItemState, SrsError> {
        let mut state = ItemState::new_item();
        for (at, rating) in log {
            state = self.apply(item, &state, rating, at)?;
        }
        Ok(state)
    }

    /// What each of the four buttons would do now.
    pub fn preview(
        &self,
        item: &str,
        state: &ItemState,
        now: Moment,
    ) -> Result<[NextDue; 4], SrsError> {
        let next = self.next_states(state, now)?;
        let one = |rating| -> NextDue {
            let state = self.transition(item, state, &next, rating, now);
            let interval = match state.phase {
                Phase::Review => Interval::Days(state.interval_days),
                _ => {
                    let due = state.due.unwrap_or(now.timestamp);
                    let secs = due.as_second() - now.timestamp.as_second();
                    Interval::Minutes(((secs + 59) / 60).max(1) as u32)
                }
            };
            NextDue {
                rating,
                interval,
                state,
            }
        };
        Ok([
            one(Rating::Again),
            one(Rating::Hard),
            one(Rating::Good),
            one(Rating::Easy),
        ])
    }

    /// The state after one review.
    pub fn apply(
        &self,
        item: &str,
        state: &ItemState,
        rating: Rating,
        at: Moment,
    ) -> Result<ItemState, SrsError> {
        let next = self.next_states(state, at)?;
        Ok(self.transition(item, state, &next, rating, at))
    }

    /// The probability of recall at `now`, for a reviewed item.
    pub fn retrievability(&self, state: &ItemState, now: Moment) -> Option<f32> {
        let memory = state.memory?;
        let last = state.last?;
        let seconds = (now.timestamp.as_second() - last.timestamp.as_second()).max(0);
        let days = seconds as f32 / 86_400.0;
        Some(fsrs::current_retrievability(
            memory.into(),
            days,
            self.parameters[20],
        ))
    }

    fn next_states(&self, state: &ItemState, at: Moment) -> Result<NextStates, SrsError> {
        let elapsed = state.last.map_or(0, |last| self.elapsed_days(last, at));
        Ok(self.fsrs.next_states(
            state.memory.map(MemoryState::from),
            self.settings.retention(),
            elapsed,
        )?)
    }

    fn transition(
        &self,
        item: &str,
        state: &ItemState,
        next: &NextStates,
        rating: Rating,
        at: Moment,
    ) -> ItemState {
        let chosen = match rating {
            Rating::Again => &next.again,
            Rating::Hard => &next.hard,
            Rating::Good => &next.good,
            Rating::Easy => &next.easy,
        };
        let mut out = state.clone();
        out.memory = Some(chosen.memory.into());
        out.reps = state.reps + 1;
        out.last = Some(at);
        let fuzz = fuzz_factor(item, state.reps);
        match state.phase {
            Phase::New | Phase::Learning => {
                let step = if state.phase == Phase::New {
                    0
                } else {
                    state.step
                };
                self.steps(
                    &mut out,
                    &self.settings.learning_steps,
                    step,
                    rating,
                    next,
                    fuzz,
                    at,
                );
                if out.phase != Phase::Review {
                    out.phase = Phase::Learning;
                }
            }
            Phase::Relearning => {
                let steps = &self.settings.relearning_steps;
                self.steps(&mut out, steps, state.step, rating, next, fuzz, at);
                if out.phase != Phase::Review {
                    out.phase = Phase::Relearning;
                }
            }
            Phase::Review if rating == Rating::Again => {
                out.lapses = state.lapses + 1;
                match self.settings.relearning_steps.first() {
                    Some(&first) => self.to_step(&mut out, Phase::Relearning, 0, first, at),
                    None => {
                        let days = self.days(next.again.memory.stability, fuzz);
                        self.to_review(&mut out, days, at);
                    }
                }
            }
            Phase::Review => {
                let [hard, good, easy] = self.review_intervals(next, fuzz);
                let days = match rating {
                    Rating::Hard => hard,
                    Rating::Easy => easy,
                    _ => good,
                };
                self.to_review(&mut out, days, at);
            }
        }
        out
    }

    /// Moves through (re)learning steps; graduates to review past the last step or on Easy.
    #[allow(clippy::too_many_arguments)]
    fn steps(
        &self,
        out: &mut ItemState,
        steps: &[u32],
        step: u32,
        rating: Rating,
        next: &NextStates,
        fuzz: f64,
        at: Moment,
    ) {
        let phase = out.phase;
        let graduate = |this: &Self, out: &mut ItemState, stability: f32| {
            let days = this.days(stability, fuzz);
            this.to_review(out, days, at);
        };
        let current = steps.get(step as usize).copied();
        match (rating, current) {
            (_, None) | (Rating::Easy, _) => {
                let stability = match rating {
                    Rating::Easy => next.easy.memory.stability,
                    Rating::Hard => next.hard.memory.stability,
                    Rating::Again => next.again.memory.stability,
                    Rating::Good => next.good.memory.stability,
                };
                graduate(self, out, stability);
            }
            (Rating::Again, Some(_)) => self.to_step(out, phase, 0, steps[0], at),
            (Rating::Hard, Some(delay)) => {
                let delay = if step == 0 {
                    match steps.get(1) {
                        Some(&second) => (delay + second) / 2,
                        None => (delay * 3 / 2).min(delay + 86_400),
                    }
                } else {
                    delay
                };
                self.to_step(out, phase, step, delay, at);
            }
            (Rating::Good, Some(_)) => match steps.get(step as usize + 1) {
                Some(&delay) => self.to_step(out, phase, step + 1, delay, at),
                None => graduate(self, out, next.good.memory.stability),
            },
        }
    }

    fn to_step(&self, out: &mut ItemState, phase: Phase, step: u32, delay: u32, at: Moment) {
        out.phase = if phase == Phase::New {
            Phase::Learning
        } else {
            phase
        };
        out.step = step;
        out.interval_days = 0;
        out.due = Some(at.plus_seconds(i64::from(delay)).timestamp);
        out.due_day = None;
    }

    fn to_review(&self, out: &mut ItemState, days: u32, at: Moment) {
        let day_start = self.settings.day_start;
        let days = self.settings.exam_interval(at.day(day_start), days);
        let due_day = at.day(day_start).plus(days as i32);
        out.phase = Phase::Review;
        out.step = 0;
        out.interval_days = days;
        out.due_day = Some(due_day);
        out.due = Some(due_day.start(day_start, at.offset));
    }

    /// Hard ≤ Good < Easy, each within the maximum, fuzzed with one factor so the order holds.
    fn review_intervals(&self, next: &NextStates, fuzz: f64) -> [u32; 3] {
        let max = self.settings.max_interval();
        let raw = |s: f32| self.raw_days(s);
        let hard = raw(next.hard.memory.stability).min(raw(next.good.memory.stability));
        let good = raw(next.good.memory.stability).max(hard + 1).min(max);
        let easy = raw(next.easy.memory.stability).max(good + 1).min(max);
        let hard = self.fuzzed(hard, fuzz);
        let good = self.fuzzed(good, fuzz).max(hard + 1).min(max);
        let easy = self.fuzzed(easy, fuzz).max(good + 1).min(max);
        [hard, good, easy]
    }

    fn raw_days(&self, stability: f32) -> u32 {
        let days = self
            .fsrs
            .next_interval(Some(stability), self.settings.retention(), 3);
        let days = if days.is_finite() { days.round() } else { 1.0 };
        (days.max(1.0) as u32).min(self.settings.max_interval())
    }

    fn days(&self, stability: f32, fuzz: f64) -> u32 {
        self.fuzzed(self.raw_days(stability), fuzz)
    }

    /// Anki's fuzz ranges: ±(1 day + 15% of 2.5–7 d + 10% of 7–20 d + 5% beyond), none below 2.5 d.
    fn fuzzed(&self, days: u32, factor: f64) -> u32 {
        let max = self.settings.max_interval();
        if !self.settings.fuzz || days < 3 {
            return days.min(max);
        }
        let interval = f64::from(days);
        let ranges = [
            (2.5, 7.0, 0.15),
            (7.0, 20.0, 0.1),
            (20.0, f64::INFINITY, 0.05),
        ];
        let delta: f64 = 1.0
            + ranges
                .iter()
                .map(|&(start, end, f)| f * (interval.min(end) - start).max(0.0))
                .sum::<f64>();
        let max_iv = ((interval + delta).round() as u32).min(max);
        let min_iv = ((interval - delta).round() as u32).max(2).min(max_iv);
        let spread = f64::from(max_iv - min_iv + 1);
        (min_iv + (factor * spread).floor() as u32).min(max_iv)
    }
}

/// A deterministic factor in [0, 1) from the item and its review count: the fuzz is seeded, so
/// replaying a log gives the same intervals.
fn fuzz_factor(item: &str, reps: u32) -> f64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for byte in item.bytes().chain(reps.to_le_bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    // splitmix64 finalizer for a well-spread result
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^= hash >> 31;
    (hash >> 11) as f64 / (1u64 << 53) as f64
}
