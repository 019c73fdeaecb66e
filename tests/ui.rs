//! The TUI without a terminal: every screen's message flow through `update`, with effects run
//! against a real progress store in a temp dir, and insta snapshots of every screen at 80×24
//! (and the question flow at 40×12) drawn on a TestBackend from the fixture content.

use std::path::Path;
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shikaku::app::exam::Phase;
use shikaku::app::keymap::Action;
use shikaku::app::quiz::{Input, Quiz};
use shikaku::app::study::Current;
use shikaku::app::{App, Msg, Screen, update};
use shikaku::content::{self, Base, Library, Sources};
use shikaku::srs::{Moment, Settings, Store};
use shikaku::tui::effects::{self, Runtime};
use shikaku::ui::{self, theme::Theme};

fn fixture_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo")
}

fn fixture_sources() -> Sources {
    Sources {
        base: Base::Repo(fixture_root()),
        base_checked: true,
        layers: vec![],
        lint: false,
    }
}

fn fixture_library() -> Arc<Library> {
    let loaded = content::load(&fixture_sources());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    Arc::new(loaded.library)
}

/// 2026-11-22 10:00 in Tokyo: a fixed "now" so snapshots and schedules are stable.
fn t0() -> Moment {
    Moment::parse_rfc3339("2026-11-22T10:00:00+09:00").unwrap()
}

/// An app wired to a real store, as the runtime wires it.
struct Harness {
    app: App,
    rt: Runtime,
    _dir: tempfile::TempDir,
}

impl Harness {
    fn new(size: (u16, u16)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let library = fixture_library();
        let mut store = Store::open_in(dir.path(), Settings::default()).unwrap();
        let progress = effects::load_progress(&mut store, &library, Settings::default()).unwrap();
        let mut app = App::new(library, progress, t0(), 42);
        update(&mut app, Msg::Resize(size.0, size.1));
        let rt = Runtime::new(store, fixture_sources(), dir.path().to_path_buf());
        Self { app, rt, _dir: dir }
    }

    fn send(&mut self, msg: Msg) -> bool {
        effects::dispatch(&mut self.app, &mut self.rt, msg, &mut |request| {
            Msg::Edited {
                path: request.path.into(),
                text: Err("no editor in tests".into()),
            }
        })
    }

    fn press(&mut self, action: Action) -> bool {
        self.send(Msg::Action(action))
    }

    fn at(&mut self, now: Moment) {
        self.send(Msg::Tick(now));
    }

    fn draw(&self) -> Terminal<TestBackend> {
        let (w, h) = self.app.size;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|frame| ui::view(&self.app, frame, Theme { color: false }))
            .unwrap();
        terminal
    }

    fn text(&self) -> String {
        self.draw().backend().to_string()
    }

    /// Opens a practice run of exactly one question.
    fn practice(&mut self, id: &str) {
        let mut quiz = Quiz::new(
            &self.app.library,
            "アイデンティティとアクセス管理".into(),
            &[id.to_string()],
            7,
        )
        .unwrap();
        quiz.shown_at = Some(self.app.now);
        self.app.quiz = Some(quiz);
        self.app.push(Screen::Quiz);
    }

    fn quiz(&self) -> &Quiz {
        self.app.quiz.as_ref().unwrap()
    }

    /// The display position of the first wrong (or right) choice of the current question.
    fn position(&self, correct: bool) -> usize {
        let quiz = self.quiz();
        let question = quiz.question(&self.app.library).unwrap();
        quiz.current()
            .order
            .iter()
            .position(|&i| question.choices[i].correct == correct)
            .unwrap()
    }
}

#[test]
fn home_shows_the_menu_due_counts_and_mastery() {
    for size in [(80, 24), (40, 12)] {
        let h = Harness::new(size);
        let text = h.text();
        assert!(text.contains("学習"), "{text}");
        insta::assert_snapshot!(format!("home_{}x{}", size.0, size.1), h.draw().backend());
    }
    let h = Harness::new((80, 24));
    let text = h.text();
    // The fixture has 2 cards and 4 questions: all new, up to the daily limit.
    assert!(text.contains("新規 6"), "{text}");
    assert!(text.contains("アイデンティティ"), "{text}");
}

#[test]
fn a_wrong_answer_shows_why_records_again_and_schedules_the_misconception() {
    for size in [(80, 24), (40, 12)] {
        let mut h = Harness::new(size);
        h.practice("q-fixture-single");
        insta::assert_snapshot!(
            format!("single_before_{}x{}", size.0, size.1),
            h.draw().backend()
        );
        let wrong = h.position(false);
        h.press(Action::Pick(wrong));
        h.press(Action::Submit);
        assert!(!h.quiz().feedback.as_ref().unwrap().correct);
        insta::assert_snapshot!(
            format!("single_after_{}x{}", size.0, size.1),
            h.draw().backend()
        );
    }
    let mut h = Harness::new((100, 40));
    h.practice("q-fixture-single");
    let wrong = h.position(false);
    let chosen = {
        let quiz = h.quiz();
        let question = quiz.question(&h.app.library).unwrap();
        question.choices[quiz.current().order[wrong]].clone()
    };
    h.press(Action::Pick(wrong));
    h.press(Action::Submit);
    let text = h.text();
    assert!(text.contains("不正解"));
    assert!(text.contains("よくある誤解"), "{text}");
    // Only the chosen choice's reason shows until the learner asks for the rest.
    let reasons = [
        "SCPは権限の上限を決める仕組み",
        "Secrets Managerは秘密情報の保管庫",
    ];
    assert_eq!(
        reasons.iter().filter(|r| text.contains(*r)).count(),
        1,
        "{text}"
    );
    h.press(Action::ToggleWhy);
    assert!(reasons.iter().all(|r| h.text().contains(r)));
    // Recorded at once: the question as Again, and the misconception it embodies as Again.
    let history = h.rt.store.history("q-fixture-single").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].rating.number(), 1);
    assert_eq!(history[0].chosen, std::slice::from_ref(&chosen.id));
    let misconception = chosen.misconception.unwrap();
    assert_eq!(h.rt.store.history(&misconception).unwrap().len(), 1);
    assert!(
        h.app.progress.items.contains_key(&misconception),
        "the mirror was refreshed"
    );
}

#[test]
fn an_answer_made_while_another_process_holds_the_store_is_kept_and_saved_later() {
    let mut h = Harness::new((80, 24));
    // Another process (a long import, say) holds the write lock.
    let other = rusqlite::Connection::open(h._dir.path().join("progress.sqlite3")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    h.practice("q-fixture-single");
    let right = h.position(true);
    h.press(Action::Pick(right));
    h.press(Action::Submit);
    let notice = h.app.notice.clone().unwrap_or_default();
    assert!(notice.contains("まだ保存できていません"), "{notice}");
    assert_eq!(h.rt.pending.len(), 1, "the answer is kept, not dropped");
    other.execute_batch("COMMIT").unwrap();
    // The next message (a tick) retries and saves it.
    h.at(t0());
    assert!(h.rt.pending.is_empty());
    assert_eq!(h.rt.store.history("q-fixture-single").unwrap().len(), 1);
    assert_eq!(
        h.app.notice.as_deref(),
        Some("保存できていなかった回答を保存しました")
    );
}

#[test]
fn a_question_that_lost_a_choice_in_a_reload_is_shown_afresh_instead_of_panicking() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-single");
    let first = h.position(false);
    h.press(Action::Pick(first));
    // The instructor deletes a choice and the learner presses r.
    let mut edited = (*h.app.library).clone();
    let question = edited
        .questions
        .iter_mut()
        .find(|q| q.id == "q-fixture-single")
        .unwrap();
    let wrong = question.choices.iter().rposition(|c| !c.correct).unwrap();
    question.choices.remove(wrong);
    let left = question.choices.len();
    h.send(Msg::Reloaded(Ok(Arc::new(edited))));
    let shown = h.quiz().current().clone();
    assert_eq!(
        shown.order.len(),
        left,
        "the order was rebuilt for the edited question"
    );
    assert!(h.quiz().feedback.is_none());
    let text = h.text();
    assert!(text.contains("演習"), "{text}");
    // And it can still be answered.
    let right = h.position(true);
    h.press(Action::Pick(right));
    h.press(Action::Submit);
    assert!(h.quiz().feedback.as_ref().unwrap().correct);
}

#[test]
fn the_question_screen_shows_the_item_id_and_c_copies_it() {
    let mut h = Harness::new((100, 40));
    h.practice("q-fixture-single");
    let right = h.position(true);
    h.press(Action::Pick(right));
    h.press(Action::Submit);
    assert!(h.text().contains("ID: q-fixture-single"), "{}", h.text());
    let effects = update(&mut h.app, Msg::Action(Action::CopyId));
    assert_eq!(
        effects,
        vec![shikaku::app::Effect::Copy("q-fixture-single".into())]
    );
    assert!(h.text().contains("ID をコピーしました"));
}

#[test]
fn practice_rows_above_nine_are_picked_by_two_digits_and_nothing_leaks_into_the_question() {
    let mut h = Harness::new((80, 40));
    h.app.push(Screen::Practice);
    let rows = shikaku::app::practice::rows(&h.app).len();
    if rows < 10 {
        // The fixture needs tags enough for ten rows; say so rather than pass vacuously.
        panic!("the fixture has only {rows} practice rows");
    }
    h.press(Action::Pick(0)); // "1"
    assert_eq!(
        h.app.screen(),
        Screen::Practice,
        "a first digit only moves the cursor"
    );
    h.press(Action::Zero); // "0" → row 10
    assert_eq!(h.app.practice.cursor, 9);
    assert_eq!(h.app.screen(), Screen::Practice);
    h.press(Action::Submit);
    assert_eq!(h.app.screen(), Screen::Quiz);
    let quiz = h.quiz();
    assert!(quiz.feedback.is_none());
    assert!(
        matches!(&quiz.input, Input::Choices { selected, .. } if selected.iter().all(|s| !s))
            || !matches!(quiz.input, Input::Choices { .. }),
        "no digit leaked into the question"
    );
}

#[test]
fn a_right_answer_can_be_rated_easy_instead_of_good() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-single");
    let right = h.position(true);
    h.press(Action::Pick(right));
    h.press(Action::Submit);
    assert!(h.text().contains("✔ 正解"));
    assert_eq!(
        h.rt.store.history("q-fixture-single").unwrap()[0]
            .rating
            .number(),
        3
    );
    h.press(Action::Pick(3)); // 4: 簡単
    let history = h.rt.store.history("q-fixture-single").unwrap();
    assert_eq!(history.len(), 1, "the rating is replaced, not added");
    assert_eq!(history[0].rating.number(), 4);
}

#[test]
fn multi_needs_exactly_pick_choices() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-multi");
    insta::assert_snapshot!("multi_before_80x24", h.draw().backend());
    h.press(Action::Pick(0));
    h.press(Action::Submit);
    assert!(
        h.quiz().feedback.is_none(),
        "one of two picked must not submit"
    );
    h.press(Action::Pick(1));
    h.press(Action::Submit);
    assert!(h.quiz().feedback.is_some());
    insta::assert_snapshot!("multi_after_80x24", h.draw().backend());
}

#[test]
fn order_is_entered_by_number_and_can_be_taken_back() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-order");
    insta::assert_snapshot!("order_before_80x24", h.draw().backend());
    let order = h.quiz().current().order.clone();
    let pos_of = |item: usize| order.iter().position(|&i| i == item).unwrap();
    h.press(Action::Pick(pos_of(2)));
    h.press(Action::Erase);
    for item in 0..3 {
        h.press(Action::Pick(pos_of(item)));
    }
    assert_eq!(
        h.quiz().input,
        Input::Order {
            sequence: (0..3).map(pos_of).collect()
        }
    );
    h.press(Action::Submit);
    assert!(h.quiz().feedback.as_ref().unwrap().correct);
    insta::assert_snapshot!("order_after_80x24", h.draw().backend());
}

#[test]
fn match_assigns_a_right_to_each_left() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-match");
    insta::assert_snapshot!("match_before_80x24", h.draw().backend());
    for pos in 0..3 {
        h.press(Action::Pick(pos));
    }
    h.press(Action::Submit);
    let expected = h.quiz().current().order == [0, 1, 2];
    assert_eq!(h.quiz().feedback.as_ref().unwrap().correct, expected);
    insta::assert_snapshot!("match_after_80x24", h.draw().backend());
}

#[test]
fn practice_menu_filters_by_domain_and_missed() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Pick(1)); // 演習
    assert_eq!(h.app.screen(), Screen::Practice);
    insta::assert_snapshot!("practice_80x24", h.draw().backend());
    // Questions take the tags of their topic cards: three fixture questions are on `scp`.
    let rows = shikaku::app::practice::rows(&h.app);
    let tag = rows
        .iter()
        .find(|r| r.label == "#organizations")
        .expect("a tag row");
    assert_eq!(tag.count, 3);
    h.press(Action::Pick(3)); // アイデンティティとアクセス管理: 4 fixture questions
    assert_eq!(h.app.screen(), Screen::Quiz);
    assert_eq!(h.quiz().shown.len(), 4);
    // Answer the first wrongly, then "間違えた問題" holds exactly it.
    let first = h.quiz().current().id.clone();
    for pos in 0..4 {
        h.press(Action::Pick(pos));
        if h.quiz().feedback.is_none() {
            h.press(Action::Submit);
        }
        if h.quiz().feedback.is_some() {
            break;
        }
    }
    let correct = h.quiz().feedback.as_ref().unwrap().correct;
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Practice);
    let missed = h.app.progress.missed_questions(&h.app.library);
    assert_eq!(missed.is_empty(), correct);
    if !correct {
        assert_eq!(missed, [first]);
    }
}

#[test]
fn q_goes_back_then_quits() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Pick(1));
    assert_eq!(h.app.screen(), Screen::Practice);
    assert!(!h.press(Action::Back));
    assert_eq!(h.app.screen(), Screen::Home);
    assert!(h.press(Action::Back), "q on home quits");
}

#[test]
fn study_shows_a_card_then_its_back_with_intervals_and_records_the_rating() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Pick(0)); // 学習
    assert_eq!(h.app.screen(), Screen::Study);
    // Walk the queue until a topic card shows (kinds are interleaved).
    for _ in 0..6 {
        if matches!(
            h.app.study.as_ref().unwrap().current,
            Some(Current::Card { .. })
        ) {
            break;
        }
        h.press(Action::Bury);
    }
    let Some(Current::Card { id, .. }) = h.app.study.as_ref().unwrap().current.clone() else {
        panic!("no card in the queue")
    };
    insta::assert_snapshot!("study_card_front_80x24", h.draw().backend());
    h.press(Action::Toggle);
    let text = h.text();
    assert!(
        text.contains("[1] もう一度") && text.contains("[4] 簡単"),
        "{text}"
    );
    assert!(
        text.contains("1分") && text.contains("10分"),
        "the next intervals show: {text}"
    );
    insta::assert_snapshot!("study_card_back_80x24", h.draw().backend());
    let before = h.app.study.as_ref().unwrap().remaining;
    h.press(Action::Pick(2)); // 3: 正解
    assert_eq!(h.rt.store.history(&id).unwrap().len(), 1);
    let now = h.app.study.as_ref().unwrap();
    assert_eq!(now.answered, 1);
    assert_ne!(
        now.current.as_ref().map(|c| c.id().to_string()),
        Some(id.clone()),
        "the next item shows"
    );
    // Undo takes it back, says which item, and shows the same card again with 残り restored.
    h.press(Action::Undo);
    assert!(h.rt.store.history(&id).unwrap().is_empty());
    let title = h.app.library.card(&id).unwrap().title.clone();
    assert_eq!(
        h.app.notice.as_deref(),
        Some(format!("直前の回答を取り消しました: {title}").as_str())
    );
    let study = h.app.study.as_ref().unwrap();
    assert_eq!(study.remaining, before, "残り is as before the answer");
    assert_eq!(study.answered, 0);
    assert_eq!(
        study.current.as_ref().map(|c| c.id().to_string()),
        Some(id.clone())
    );
    // x suspends it; u takes the suspension back, and says so.
    h.press(Action::Suspend);
    assert!(h.app.progress.items.get(&id).is_some_and(|i| i.suspended));
    h.press(Action::Undo);
    assert_eq!(h.app.notice.as_deref(), Some("停止を取り消しました"));
    assert!(!h.app.progress.items.get(&id).is_some_and(|i| i.suspended));
    let study = h.app.study.as_ref().unwrap();
    assert_eq!(study.current.as_ref().map(|c| c.id().to_string()), Some(id));
}

#[test]
fn undo_in_practice_takes_back_the_tally_and_lets_the_question_be_answered_again() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-single");
    let right = h.position(true);
    h.press(Action::Pick(right));
    h.press(Action::Submit);
    assert_eq!((h.quiz().answered, h.quiz().correct), (1, 1));
    h.press(Action::Undo);
    assert_eq!((h.quiz().answered, h.quiz().correct), (0, 0));
    assert!(
        h.quiz().feedback.is_none(),
        "the question can be answered again"
    );
    assert!(h.rt.store.history("q-fixture-single").unwrap().is_empty());
    assert!(
        h.app
            .notice
            .as_deref()
            .unwrap()
            .contains("q-fixture-single")
    );
}

#[test]
fn study_links_open_the_topic_and_the_simulator_and_come_back() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Pick(0));
    for _ in 0..6 {
        let is_linked_question = matches!(&h.app.study.as_ref().unwrap().current,
            Some(Current::Question(q)) if q.current().id == "q-fixture-single");
        if is_linked_question {
            break;
        }
        h.press(Action::Bury);
    }
    h.press(Action::Simulator);
    assert_eq!(h.app.screen(), Screen::Simulator);
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Study);
    h.press(Action::Topic);
    assert_eq!(h.app.screen(), Screen::Card);
    insta::assert_snapshot!("card_80x24", h.draw().backend());
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Study);
}

#[test]
fn the_exam_runs_saves_on_quit_resumes_with_its_time_and_scores() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Pick(2)); // 模擬試験
    insta::assert_snapshot!("exam_lobby_80x24", h.draw().backend());
    h.press(Action::Submit);
    let exam = h.app.exam.exam.as_ref().unwrap();
    assert_eq!(
        exam.questions.len(),
        4,
        "all the fixture has, without repeats"
    );
    assert_eq!(exam.limit_seconds, 170 * 60);
    insta::assert_snapshot!("exam_question_80x24", h.draw().backend());
    h.press(Action::Pick(0));
    h.press(Action::Flag);
    // 30 minutes later the learner quits: the attempt is saved, not scored, and it says so.
    h.at(t0().plus_seconds(30 * 60));
    h.press(Action::Back);
    assert!(h.app.exam.exam.is_none());
    assert_eq!(h.app.screen(), Screen::Home);
    let text = h.text();
    assert!(
        text.contains("模擬試験を保存しました(残り 2:20:00)"),
        "{text}"
    );
    let saved = h.rt.store.exam_attempts().unwrap();
    assert_eq!(saved.len(), 1);
    assert!(saved[0].finished.is_none());
    // ホーム shows the suspended exam and its time, after the notice is gone too.
    h.press(Action::Down);
    let text = h.text();
    assert!(text.contains("中断中の模擬試験: 残り 2:20:00"), "{text}");
    // Back later: the lobby offers to resume with 140 minutes left, and Enter does it.
    h.at(t0().plus_seconds(5 * 3600));
    h.press(Action::Pick(2));
    assert!(h.app.exam.resumable.is_some());
    assert!(h.text().contains("残り 140分"), "{}", h.text());
    insta::assert_snapshot!("exam_lobby_suspended_80x24", h.draw().backend());
    h.press(Action::Submit);
    let exam = h.app.exam.exam.as_ref().unwrap();
    assert_eq!(exam.seconds_left(h.app.now), 140 * 60);
    assert!(exam.questions[0].flagged);
    assert_eq!(exam.attempt, saved[0].id, "the same attempt, not a new one");
    h.press(Action::Tab);
    assert!(matches!(exam_phase(&h), Phase::Navigator { .. }));
    insta::assert_snapshot!("exam_navigator_80x24", h.draw().backend());
    // The submit row, then confirm.
    for _ in 0..5 {
        h.press(Action::Right);
    }
    h.press(Action::Submit);
    assert_eq!(exam_phase(&h), Phase::Confirm);
    h.press(Action::Submit);
    let result = h.app.exam.exam.as_ref().unwrap().result.clone().unwrap();
    assert!((100..=1000).contains(&result.scaled));
    assert_eq!(result.passed, result.scaled >= 750);
    assert_eq!(result.domains.iter().map(|d| d.total).sum::<usize>(), 4);
    insta::assert_snapshot!("exam_result_80x24", h.draw().backend());
    let saved = h.rt.store.exam_attempts().unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].scaled_score, Some(result.scaled));
    h.press(Action::Submit);
    assert!(matches!(exam_phase(&h), Phase::Review { .. }));
    assert!(h.text().contains("解説"));
}

/// Picks these choices (by id) on the current exam question, then goes on to the next.
fn exam_answer(h: &mut Harness, choices: &[&str]) {
    let exam = h.app.exam.exam.as_ref().unwrap();
    let shown = exam.questions[exam.pos].shown.clone();
    let question = h.app.library.question(&shown.id).unwrap().clone();
    for id in choices {
        let pos = shown
            .order
            .iter()
            .position(|&i| question.choices[i].id == *id)
            .unwrap();
        h.press(Action::Pick(pos));
    }
    h.press(Action::Right);
}

/// Sits the fixture exam: the single question wrong (choice b, which names a misconception),
/// the multi question right, order and match left unanswered; then submits it.
fn sit_fixture_exam(h: &mut Harness) {
    h.press(Action::Pick(2));
    h.press(Action::Submit);
    for _ in 0..4 {
        let exam = h.app.exam.exam.as_ref().unwrap();
        let id = exam.questions[exam.pos].shown.id.clone();
        match id.as_str() {
            "q-fixture-single" => exam_answer(h, &["b"]),
            "q-fixture-multi" => exam_answer(h, &["a", "b"]),
            _ => {
                h.press(Action::Right);
            }
        }
    }
    assert_eq!(exam_phase(h), Phase::Confirm);
    h.at(t0().plus_seconds(600));
    h.press(Action::Submit);
}

fn exam_index(h: &Harness, id: &str) -> usize {
    let exam = h.app.exam.exam.as_ref().unwrap();
    exam.questions
        .iter()
        .position(|q| q.shown.id == id)
        .unwrap()
}

#[test]
fn a_submitted_exam_feeds_study_wrong_as_again_right_as_good_unanswered_left_out() {
    let mut h = Harness::new((80, 24));
    sit_fixture_exam(&mut h);
    let store = &h.rt.store;
    let rating = |id: &str| -> Vec<u8> {
        store
            .history(id)
            .unwrap()
            .iter()
            .map(|r| r.rating.number())
            .collect()
    };
    assert_eq!(rating("q-fixture-single"), [1], "wrong → Again");
    assert_eq!(rating("scp-does-auth"), [1], "its misconception → Again");
    assert_eq!(rating("q-fixture-multi"), [3], "right → Good");
    assert!(
        rating("q-fixture-order").is_empty(),
        "unanswered: not recorded"
    );
    assert!(
        rating("q-fixture-match").is_empty(),
        "unanswered: not recorded"
    );
    // The mistake reaches 間違えた問題 and the study queue.
    assert_eq!(
        h.app.progress.missed_questions(&h.app.library),
        ["q-fixture-single"]
    );
    let queue = h.app.progress.queue(t0().plus_seconds(3600), 1);
    assert!(
        queue.iter().any(|e| e.id == "q-fixture-single"),
        "{queue:?}"
    );
    let text = h.text();
    assert!(text.contains("回答した2問を学習記録に入れました"), "{text}");
    assert!(text.contains("− "), "unanswered rows are marked: {text}");
}

#[test]
fn the_exam_review_shows_every_question_with_the_answer_the_reasons_and_the_explanation() {
    let mut h = Harness::new((80, 40));
    sit_fixture_exam(&mut h);
    let library = Arc::clone(&h.app.library);
    // The wrong answer: the prompt, the choice made, the right one, every why, the explanation.
    let single = exam_index(&h, "q-fixture-single");
    for _ in 0..single {
        h.press(Action::Down);
    }
    h.press(Action::Submit);
    let text = h.text();
    let question = library.question("q-fixture-single").unwrap();
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .take(12)
            .collect::<String>()
    };
    assert!(flat.contains(&squash(&question.prompt)), "prompt: {text}");
    assert!(text.contains("✘ 不正解"), "{text}");
    assert!(text.contains("(あなたの選択)"), "{text}");
    assert!(text.contains("✔"), "the right choice is marked: {text}");
    for choice in question.choices.iter().filter(|c| !c.correct) {
        let why = choice.why.as_deref().unwrap();
        assert!(flat.contains(&squash(why)), "every why ({why}): {text}");
    }
    assert!(text.contains("解説"), "{text}");
    assert!(
        !text.contains("評価を変えられる"),
        "nothing to re-rate: {text}"
    );
    insta::assert_snapshot!("exam_review_80x40", h.draw().backend());
    // → and ← walk through the questions; an unanswered one says so and shows the right answer.
    let order = exam_index(&h, "q-fixture-order");
    while !matches!(exam_phase(&h), Phase::Review { cursor, .. } if cursor == order) {
        h.press(if order > single {
            Action::Right
        } else {
            Action::Left
        });
    }
    let text = h.text();
    assert!(text.contains("− 未回答"), "{text}");
    assert!(text.contains("正しい順序"), "{text}");
    h.press(Action::Back);
    assert_eq!(exam_phase(&h), Phase::Result { cursor: order });
}

#[test]
fn a_past_attempt_opens_to_the_same_review() {
    let mut h = Harness::new((80, 24));
    sit_fixture_exam(&mut h);
    let scaled = h
        .app
        .exam
        .exam
        .as_ref()
        .unwrap()
        .result
        .clone()
        .unwrap()
        .scaled;
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Home);
    h.press(Action::Pick(2));
    assert!(
        h.text().contains(&format!("{scaled} 不合格")),
        "{}",
        h.text()
    );
    h.press(Action::Down); // the attempt in これまでの結果
    h.press(Action::Submit);
    let exam = h.app.exam.exam.as_ref().expect("the past attempt is open");
    assert!(exam.past);
    assert_eq!(exam.result.as_ref().unwrap().scaled, scaled);
    assert_eq!(exam_phase(&h), Phase::Result { cursor: 0 });
    let single = exam_index(&h, "q-fixture-single");
    for _ in 0..single {
        h.press(Action::Down);
    }
    h.press(Action::Submit);
    assert!(h.text().contains("(あなたの選択)"), "{}", h.text());
    h.press(Action::Back);
    h.press(Action::Back);
    assert!(h.app.exam.exam.is_none());
    assert_eq!(h.app.screen(), Screen::Exam, "back to the lobby");
    // Reading it again recorded nothing new.
    assert_eq!(h.rt.store.history("q-fixture-single").unwrap().len(), 1);
}

#[test]
fn a_new_exam_asks_before_closing_the_suspended_one_and_records_it_as_abandoned() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Pick(2));
    h.press(Action::Submit);
    h.press(Action::Pick(0));
    h.press(Action::Back);
    h.press(Action::Pick(2));
    let old = h.app.exam.resumable.expect("suspended");
    h.press(Action::Next); // n: a new one
    assert!(h.app.exam.confirm_new);
    let text = h.text();
    assert!(text.contains("「中止」として記録されます"), "{text}");
    insta::assert_snapshot!("exam_confirm_new_80x24", h.draw().backend());
    h.press(Action::Back); // Esc: no
    assert!(!h.app.exam.confirm_new);
    assert!(h.app.exam.exam.is_none());
    assert_eq!(h.app.exam.resumable, Some(old));
    h.press(Action::Next);
    h.press(Action::Submit); // yes
    let exam = h.app.exam.exam.as_ref().expect("a new exam runs");
    assert_ne!(exam.attempt, Some(old));
    let attempts = h.rt.store.exam_attempts().unwrap();
    assert_eq!(attempts.len(), 2);
    let closed = attempts.iter().find(|a| a.id == Some(old)).unwrap();
    assert!(closed.finished.is_some(), "closed, not suspended forever");
    assert_eq!(closed.scaled_score, None, "never scored");
    assert_eq!(closed.answers["abandoned"], true);
    // Leaving the new one: it is the one offered, and the old one reads 中止.
    h.press(Action::Back);
    h.press(Action::Pick(2));
    assert_eq!(h.app.exam.resumable, exam_attempt_of(&h));
    assert!(h.text().contains("中止"), "{}", h.text());
}

fn exam_attempt_of(h: &Harness) -> Option<i64> {
    h.rt.store
        .exam_attempts()
        .unwrap()
        .iter()
        .find(|a| a.finished.is_none())
        .and_then(|a| a.id)
}

fn exam_phase(h: &Harness) -> Phase {
    h.app.exam.exam.as_ref().unwrap().phase.clone()
}

#[test]
fn the_exam_submits_itself_when_time_runs_out() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Pick(2));
    h.press(Action::Submit);
    h.at(t0().plus_seconds(170 * 60 + 1));
    let result = h
        .app
        .exam
        .exam
        .as_ref()
        .unwrap()
        .result
        .clone()
        .expect("scored at time-out");
    assert!(result.timed_out);
    assert_eq!(result.scaled, 100, "nothing answered");
    assert!(h.text().contains("時間切れ"));
}

#[test]
fn search_finds_katakana_from_hiragana_and_opens_the_item() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Search);
    assert_eq!(h.app.screen(), Screen::Search);
    for c in "さーびす".chars() {
        h.press(Action::Type(c));
    }
    let text = h.text();
    assert!(text.contains("サービスコントロールポリシー"), "{text}");
    insta::assert_snapshot!("search_80x24", h.draw().backend());
    h.press(Action::Submit);
    assert_eq!(h.app.screen(), Screen::Card);
    assert_eq!(h.app.card.as_deref(), Some("scp"));
    // While typing, letters are text: q does not leave the screen.
    h.press(Action::Back);
    h.press(Action::Search);
    h.press(Action::Type('q'));
    assert_eq!(h.app.screen(), Screen::Search);
}

#[test]
fn ctrl_u_clears_the_query_and_esc_leaves_search_in_one_step() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut h = Harness::new((80, 24));
    h.press(Action::Search);
    for c in "さーびす".chars() {
        h.press(Action::Type(c));
    }
    assert!(!h.app.search.hits.is_empty());
    // Ctrl-U is the field's clear key while typing, nothing outside a text field.
    let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
    let bindings = shikaku::app::keymap::Bindings::default();
    assert_eq!(
        bindings.action_for_key(ctrl_u, true),
        Some(Action::ClearField)
    );
    assert_eq!(bindings.action_for_key(ctrl_u, false), None);
    h.press(Action::ClearField);
    assert_eq!(h.app.search.query, "");
    assert!(h.app.search.hits.is_empty());
    assert!(!h.text().contains("サービスコントロールポリシー"));
    // With a query and results, one Esc goes back to where search was opened.
    for c in "さーびす".chars() {
        h.press(Action::Type(c));
    }
    assert!(!h.app.search.hits.is_empty());
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Home);
    // From the results list (after Tab) too.
    h.press(Action::Search);
    h.press(Action::Tab);
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Home);
}

#[test]
fn the_terminal_cursor_sits_at_the_search_caret() {
    let mut h = Harness::new((80, 24));
    h.press(Action::Search);
    let caret = |h: &Harness| {
        let mut terminal = h.draw();
        use ratatui::backend::Backend;
        terminal.backend_mut().get_cursor_position().unwrap()
    };
    let start = caret(&h);
    // "検索: " is 6 columns; each kana is 2 more.
    for c in "かぎ".chars() {
        h.press(Action::Type(c));
    }
    let after = caret(&h);
    assert_eq!(after.y, start.y);
    assert_eq!(after.x, start.x + 4);
    assert_eq!(start.x, 1 + 6, "after the prompt, inside the padding");
    h.press(Action::Type('a'));
    assert_eq!(caret(&h).x, start.x + 5);
}

#[test]
fn a_card_found_by_its_facts_shows_its_title_and_a_snippet() {
    for (size, name) in [
        ((100, 30), "search_snippet_100x30"),
        ((40, 12), "search_snippet_40x12"),
    ] {
        let mut h = Harness::new(size);
        h.press(Action::Search);
        for c in "あかうんとのゆーざー".chars() {
            h.press(Action::Type(c));
        }
        let text = h.text();
        let line = text
            .lines()
            .find(|l| l.contains("[カード]"))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(line.contains("サービス"), "the title leads: {line}");
        if size.0 >= 100 {
            assert!(
                line.contains("アカウントのユーザー"),
                "the snippet shows the match: {line}"
            );
        }
        insta::assert_snapshot!(name, h.draw().backend());
    }
}

#[test]
fn the_simulator_flips_knobs_and_statements_and_re_evaluates() {
    let mut h = Harness::new((100, 50));
    h.practice("q-fixture-single");
    h.press(Action::Simulator);
    assert_eq!(h.app.screen(), Screen::Simulator);
    let decision = |h: &Harness| {
        h.text()
            .lines()
            .find(|l| l.contains("判定"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(decision(&h).contains("明示的な拒否"), "{}", h.text());
    h.press(Action::Pick(0)); // the region knob: us-east-1 → ap-northeast-1
    assert!(decision(&h).contains("許可"), "{}", h.text());
    h.press(Action::Pick(0)); // back to us-east-1
    assert!(decision(&h).contains("明示的な拒否"));
    // Switch the Deny statement off: the decision becomes Allow.
    h.press(Action::Tab);
    let deny = h
        .app
        .sim
        .open
        .as_ref()
        .unwrap()
        .statements
        .iter()
        .position(|s| s.json.contains("DenyOutsideTokyo"))
        .unwrap();
    h.press(Action::Pick(deny));
    assert!(decision(&h).contains("許可"), "{}", h.text());
    assert!(h.text().contains("オフ"));
    h.app.size = (80, 24);
    insta::assert_snapshot!("simulator_80x24", h.draw().backend());
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Quiz, "back to the same question");
}

#[test]
fn the_simulator_table_lists_every_knob_combination_and_enter_applies_a_row() {
    let mut h = Harness::new((100, 30));
    h.practice("q-fixture-single");
    h.press(Action::Simulator);
    let combinations: usize = {
        let open = h.app.sim.open.as_ref().unwrap();
        open.original.knobs.iter().map(|k| k.values.len()).product()
    };
    assert!(combinations >= 2, "the fixture scenario has a knob");
    h.press(Action::Table);
    let text = h.text();
    assert!(
        text.contains(&format!(
            "決定表: ノブの値の全組み合わせ({combinations} 通り)"
        )),
        "{text}"
    );
    // One row per combination: the region knob decides, so both decisions appear.
    assert!(
        text.contains("許可") && text.contains("明示的な拒否"),
        "{text}"
    );
    assert!(
        text.contains("Enter") && text.contains("この組み合わせにする"),
        "{text}"
    );
    insta::assert_snapshot!("simulator_table_100x30", h.draw().backend());
    // Pick the row that allows and apply it: the knobs follow and the table closes.
    let allow_row = {
        let open = h.app.sim.open.as_ref().unwrap();
        let table = open.table.as_ref().unwrap().table.as_ref().unwrap();
        table
            .rows
            .iter()
            .position(|r| r.result == Ok(shikaku::sim::Verdict::Iam(shikaku::sim::Decision::Allow)))
            .unwrap()
    };
    let at = h
        .app
        .sim
        .open
        .as_ref()
        .unwrap()
        .table
        .as_ref()
        .unwrap()
        .cursor;
    for _ in 0..at {
        h.press(Action::Up);
    }
    for _ in 0..allow_row {
        h.press(Action::Down);
    }
    h.press(Action::Submit);
    let open = h.app.sim.open.as_ref().unwrap();
    assert!(open.table.is_none(), "Enter closes the table");
    assert_eq!(
        open.outcome.summary(),
        shikaku::sim::Verdict::Iam(shikaku::sim::Decision::Allow),
        "the knobs now hold the row's values"
    );
    // T opens it again and Esc closes it without leaving the simulator.
    h.press(Action::Table);
    h.press(Action::Back);
    assert!(h.app.sim.open.as_ref().unwrap().table.is_none());
    assert_eq!(h.app.screen(), Screen::Simulator);
}

#[test]
fn stats_and_help_render() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-single");
    let right = h.position(true);
    h.press(Action::Pick(right));
    h.press(Action::Submit);
    h.press(Action::Back);
    h.press(Action::Pick(5)); // 統計
    assert_eq!(h.app.screen(), Screen::Stats);
    insta::assert_snapshot!("stats_80x24", h.draw().backend());
    h.press(Action::Help);
    let text = h.text();
    assert!(text.contains("ヘルプ") && text.contains("Ctrl-C"), "{text}");
    insta::assert_snapshot!("help_over_stats_80x24", h.draw().backend());
    h.press(Action::Back);
    assert!(!h.app.help);
    assert_eq!(
        h.app.screen(),
        Screen::Stats,
        "Esc closes help, not the screen"
    );
}

#[test]
fn a_reload_with_errors_keeps_the_old_content_and_shows_the_problems() {
    let mut h = Harness::new((80, 24));
    let extra = tempfile::tempdir().unwrap();
    std::fs::write(
        extra.path().join("bad.toml"),
        "[[cards]]\nid = \"x\"\ntitel = \"綴り\"\n",
    )
    .unwrap();
    h.rt.sources.layers.push(extra.path().to_path_buf());
    let before = h.app.library.cards.len();
    h.press(Action::Reload);
    assert!(h.app.show_problems);
    assert!(h.text().contains("bad.toml"), "{}", h.text());
    assert_eq!(h.app.library.cards.len(), before);
    h.press(Action::Back);
    // Fixed: the reload takes the new card.
    std::fs::write(
        extra.path().join("bad.toml"),
        "[[cards]]\nid = \"x\"\ntitle = \"追加\"\ndomain = \"iam\"\nfacts = [\"要点\"]\n",
    )
    .unwrap();
    h.press(Action::Reload);
    assert!(!h.app.show_problems);
    assert_eq!(h.app.library.cards.len(), before + 1);
}

#[test]
fn clicking_a_choice_picks_it() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-single");
    let text = h.text();
    let row = text.lines().position(|l| l.contains("2. ")).unwrap() as u16;
    h.press(Action::Click { column: 10, row });
    let Input::Choices { selected, .. } = &h.quiz().input else {
        panic!()
    };
    assert_eq!(selected, &vec![false, true, false]);
}

/// Builds a harness in some state for a terminal size.
type MakeState = Box<dyn Fn((u16, u16)) -> Harness>;

#[test]
fn nothing_panics_at_any_size_on_any_screen() {
    let states: Vec<MakeState> = vec![
        Box::new(Harness::new),
        Box::new(|s| {
            let mut h = Harness::new(s);
            h.practice("q-fixture-match");
            h
        }),
        Box::new(|s| {
            let mut h = Harness::new(s);
            h.practice("q-fixture-multi");
            h.press(Action::Pick(0));
            h.press(Action::Pick(2));
            h.press(Action::Submit);
            h.press(Action::ToggleWhy);
            for _ in 0..30 {
                h.press(Action::Down);
            }
            h
        }),
        Box::new(|s| {
            let mut h = Harness::new(s);
            h.press(Action::Pick(0));
            h.press(Action::Toggle);
            h
        }),
        Box::new(|s| {
            let mut h = Harness::new(s);
            h.press(Action::Pick(2));
            h.press(Action::Submit);
            h.press(Action::Tab);
            h
        }),
        Box::new(|s| {
            let mut h = Harness::new(s);
            h.press(Action::Search);
            h.press(Action::Type('s'));
            h
        }),
        Box::new(|s| {
            let mut h = Harness::new(s);
            h.press(Action::Simulator);
            h.press(Action::Submit);
            h
        }),
        Box::new(|s| {
            let mut h = Harness::new(s);
            h.press(Action::Pick(5));
            h.press(Action::Help);
            h
        }),
    ];
    for make in &states {
        for (w, hgt) in [
            (1, 1),
            (2, 1),
            (1, 2),
            (3, 3),
            (10, 4),
            (20, 6),
            (40, 12),
            (80, 24),
            (200, 60),
            (33, 17),
        ] {
            let h = make((w, hgt));
            h.draw();
        }
    }
}

#[test]
fn no_color_draws_without_colours() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-single");
    let wrong = h.position(false);
    h.press(Action::Pick(wrong));
    h.press(Action::Submit);
    let colored = |theme: Theme| {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| ui::view(&h.app, frame, theme))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        buffer.content().iter().any(|cell| {
            cell.fg != ratatui::style::Color::Reset || cell.bg != ratatui::style::Color::Reset
        })
    };
    assert!(colored(Theme { color: true }));
    assert!(
        !colored(Theme { color: false }),
        "NO_COLOR: attributes only"
    );
}

#[test]
fn flags_and_suspension_are_kept_in_the_store() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-order");
    h.press(Action::Flag);
    assert!(h.rt.store.flagged().unwrap().contains("q-fixture-order"));
    assert!(h.text().contains("[フラグ付き]"), "{}", h.text());
    h.press(Action::Back);
    h.press(Action::Pick(1)); // 演習
    let rows = shikaku::app::practice::rows(&h.app);
    let flagged = rows
        .iter()
        .position(|r| r.filter == shikaku::app::practice::Filter::Flagged)
        .unwrap();
    assert_eq!(rows[flagged].count, 1);
    h.press(Action::Pick(flagged));
    assert_eq!(h.quiz().current().id, "q-fixture-order");
    // A card: suspended and unsuspended from its screen.
    h.app.open_card("scp");
    h.press(Action::Suspend);
    assert!(h.rt.store.item("scp").unwrap().is_some_and(|i| i.suspended));
    assert!(h.text().contains("停止中"));
    h.press(Action::Suspend);
    assert!(!h.rt.store.item("scp").unwrap().is_some_and(|i| i.suspended));
}

#[test]
fn a_network_scenario_draws_the_path_and_where_it_is_blocked() {
    let mut h = Harness::new((80, 24));
    h.app.open_scenario("fixture-nacl-return");
    assert_eq!(h.app.screen(), Screen::Simulator);
    let text = h.text();
    assert!(text.contains("到達しない"), "{text}");
    let blocked = "✘ ネットワーク ACL(戻り・送信)";
    assert!(text.contains(blocked), "the blocked hop is marked: {text}");
    insta::assert_snapshot!("simulator_network_80x24", h.draw().backend());
    h.press(Action::Pick(0)); // egress ports 80 → 1024-65535 opens the return path
    let text = h.text();
    assert!(text.contains("到達する") && !text.contains("✘"), "{text}");
    assert!(
        text.contains("✔ ネットワーク ACL(戻り・送信)"),
        "the way back: {text}"
    );
}

#[test]
fn an_empty_queue_offers_more_new_items_reviews_ahead_and_the_hardest_first_each_labelled() {
    use shikaku::app::study::More;
    use shikaku::srs::{NewReview, Rating, Scheduler};
    let mut h = Harness::new((80, 24));
    // Both cards known (Easy, due in days; scp earlier); no new questions allowed today.
    for (id, days) in [("scp", 3), ("iam-identity-center", 1)] {
        h.rt.store
            .record(&NewReview {
                item: id.into(),
                at: t0().plus_seconds(-86_400 * days),
                rating: Rating::Easy,
                answer_ms: None,
                chosen: vec![],
                fingerprint: None,
            })
            .unwrap();
    }
    let settings = Settings {
        daily_new_questions: 0,
        ..Settings::default()
    };
    let library = Arc::clone(&h.app.library);
    h.app.progress = effects::load_progress(&mut h.rt.store, &library, settings.clone()).unwrap();
    h.app.progress.scheduler = Scheduler::new(settings, &[]).unwrap();
    assert!(h.app.progress.today(t0()).is_empty());
    h.press(Action::Pick(0)); // 学習
    let text = h.text();
    assert!(text.contains("さらに学ぶ"), "{text}");
    assert!(text.contains("新しい項目をあと 10 件"), "{text}");
    insta::assert_snapshot!("study_more_80x24", h.draw().backend());

    // 1: more new items, past today's limit, in the usual order.
    h.press(Action::Right); // 20
    h.press(Action::Pick(0));
    let study = h.app.study.as_ref().unwrap();
    assert_eq!(study.extra.as_ref().unwrap().mode, More::New);
    assert_eq!(study.remaining, 4, "the four new questions");
    assert!(matches!(study.current, Some(Current::Question(_))));
    assert!(h.text().contains("学習(追加: 新しい項目)"), "{}", h.text());
    h.press(Action::Back);

    // 2: reviews ahead, soonest due first; an answer is an ordinary review and the list moves on.
    h.press(Action::Pick(0));
    h.press(Action::Pick(1));
    assert!(h.text().contains("学習(追加: 先取り復習)"), "{}", h.text());
    let first = h
        .app
        .study
        .as_ref()
        .unwrap()
        .current
        .as_ref()
        .unwrap()
        .id()
        .to_string();
    assert_eq!(first, "scp", "studied earlier, so due sooner");
    h.at(t0().plus_seconds(5));
    h.press(Action::Toggle);
    h.press(Action::Pick(2));
    assert_eq!(h.rt.store.history("scp").unwrap().len(), 2);
    let now = h.app.study.as_ref().unwrap();
    assert_eq!(
        now.current.as_ref().map(|c| c.id().to_string()).as_deref(),
        Some("iam-identity-center")
    );
    h.press(Action::Back);

    // 3: the hardest first, by FSRS difficulty.
    h.press(Action::Pick(0));
    h.press(Action::Pick(2));
    assert!(h.text().contains("学習(追加: 苦手な項目)"), "{}", h.text());
    let entries = &h
        .app
        .study
        .as_ref()
        .unwrap()
        .extra
        .as_ref()
        .unwrap()
        .entries;
    let difficulty = |id: &str| h.app.progress.items[id].state.memory.unwrap().difficulty;
    assert!(
        entries
            .windows(2)
            .all(|w| difficulty(&w[0].id) >= difficulty(&w[1].id))
    );
}

#[test]
fn home_counts_down_to_the_exam_and_shows_the_forecast_and_the_weakest_tasks_to_practise() {
    let mut library = (*fixture_library()).clone();
    library.blueprints[0].tasks = ["4.1", "4.2"]
        .iter()
        .map(|id| shikaku::content::Task {
            id: (*id).into(),
            domain: "iam".into(),
            title: format!("タスク{id}"),
            source: String::new(),
            skills: vec![],
        })
        .collect();
    for (i, q) in library.questions.iter_mut().enumerate() {
        q.task = Some(if i == 0 { "4.1" } else { "4.2" }.into());
    }
    let library = Arc::new(library);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path(), Settings::default()).unwrap();
    let progress = effects::load_progress(&mut store, &library, Settings::default()).unwrap();
    let mut h = Harness {
        app: App::new(library, progress, t0(), 42),
        rt: Runtime::new(store, fixture_sources(), dir.path().to_path_buf()),
        _dir: dir,
    };
    update(&mut h.app, Msg::Resize(80, 24));
    let text = h.text();
    assert!(text.contains("試験日は未設定"), "{text}");
    assert!(text.contains("(今日受けたら)"), "{text}");
    h.app.set_exam_date(Some(jiff::civil::date(2026, 12, 22)));
    let text = h.text();
    assert!(text.contains("試験日 2026-12-22(あと 30日)"), "{text}");
    assert!(
        text.contains("予測 ") && text.contains("合格可能性 "),
        "{text}"
    );
    assert!(text.contains("(試験日)"), "{text}");
    assert!(text.contains("弱いタスク(7 8 9 で演習): 7 4."), "{text}");
    let readiness = h.app.readiness.clone().unwrap();
    assert_eq!(readiness.tasks.len(), 2);
    // 7: practise the weakest task's questions.
    h.press(Action::Pick(6));
    assert_eq!(h.app.screen(), Screen::Quiz);
    let quiz = h.quiz();
    let weakest = &readiness.tasks[0].key;
    assert!(quiz.shown.iter().all(|s| {
        h.app.library.question(&s.id).unwrap().task.as_deref() == Some(weakest.as_str())
    }));
    assert_eq!(quiz.shown.len(), readiness.tasks[0].questions);
}

#[test]
fn each_mock_exam_keeps_its_starting_forecast_and_stats_shows_it_beside_the_score() {
    let mut h = Harness::new((80, 40));
    let before = h.app.readiness.clone().unwrap();
    sit_fixture_exam(&mut h);
    let scaled = h
        .app
        .exam
        .exam
        .as_ref()
        .unwrap()
        .result
        .clone()
        .unwrap()
        .scaled;
    let saved = h.rt.store.exam_attempts().unwrap();
    let forecast = shikaku::app::exam::stored_forecast(&saved[0]).expect("stored at the start");
    assert_eq!(forecast.predicted, before.predicted);
    assert_eq!((forecast.low, forecast.high), (before.low, before.high));
    // The exam's answers changed the forecast (they are reviews now).
    assert_ne!(h.app.readiness.clone().unwrap(), before);
    h.press(Action::Back);
    h.press(Action::Pick(5)); // 統計
    let text = h.text();
    assert!(text.contains("模擬試験: 開始時の予測と結果"), "{text}");
    let row = format!(
        "予測 {}({}〜{})  結果 {scaled}",
        forecast.predicted, forecast.low, forecast.high
    );
    assert!(text.contains(&row), "{row}\n{text}");
    assert!(text.contains("80%の範囲に入った回: "), "{text}");
}

/// Types `text` into the open date input, one key at a time.
fn type_text(app: &mut App, text: &str) -> Vec<shikaku::app::Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(app, Msg::Action(Action::Type(c))));
    }
    effects
}

#[test]
fn d_on_home_sets_the_exam_date_refusing_non_dates_and_past_days() {
    use shikaku::app::Effect;
    let library = fixture_library();
    let progress = shikaku::app::progress::Progress::empty(&library, Settings::default()).unwrap();
    let mut app = App::new(library, progress, t0(), 42);
    assert!(!app.typing());
    update(&mut app, Msg::Action(Action::ExamDate));
    assert!(
        app.date_input.is_some() && app.typing(),
        "keys are text now"
    );

    type_text(&mut app, "2027-13-40");
    assert!(update(&mut app, Msg::Action(Action::Submit)).is_empty());
    let error = app.date_input.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("日付として読めません"), "{error}");

    for _ in 0..10 {
        update(&mut app, Msg::Action(Action::Erase));
    }
    type_text(&mut app, "2026-11-21");
    assert!(update(&mut app, Msg::Action(Action::Submit)).is_empty());
    let error = app.date_input.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("過ぎた日付"), "{error}");
    assert_eq!(app.exam_date, None, "nothing applied yet");

    for _ in 0..10 {
        update(&mut app, Msg::Action(Action::Erase));
    }
    type_text(&mut app, "2027-01-15");
    let date = jiff::civil::date(2027, 1, 15);
    assert_eq!(
        update(&mut app, Msg::Action(Action::Submit)),
        vec![Effect::SaveExamDate(Some(date))],
        "the write is left to the runtime"
    );
    assert!(app.date_input.is_none());
    // In force at once: the countdown, the scheduler, the forecast.
    assert_eq!(app.exam_date, Some(date));
    assert_eq!(app.days_to_exam(), Some(54));
    assert_eq!(
        app.progress.settings().exam_date.as_deref(),
        Some("2027-01-15")
    );
    assert!(app.readiness.as_ref().unwrap().exam_date);

    // Today is allowed; an empty entry clears the date; Esc leaves it as it is.
    update(&mut app, Msg::Action(Action::ExamDate));
    assert_eq!(app.date_input.as_ref().unwrap().text, "2027-01-15");
    update(&mut app, Msg::Action(Action::Back));
    assert_eq!(
        (app.date_input.is_none(), app.exam_date),
        (true, Some(date))
    );
    assert_eq!(
        app.screen(),
        Screen::Home,
        "Esc closed the input, not the app"
    );
    update(&mut app, Msg::Action(Action::ExamDate));
    for _ in 0..10 {
        update(&mut app, Msg::Action(Action::Erase));
    }
    assert_eq!(
        update(&mut app, Msg::Action(Action::Submit)),
        vec![Effect::SaveExamDate(None)]
    );
    assert_eq!(app.exam_date, None);
    assert_eq!(app.progress.settings().exam_date, None);
    assert!(!app.readiness.as_ref().unwrap().exam_date);
}

#[test]
fn the_exam_date_set_on_home_is_saved_in_the_config_keeping_the_rest() {
    let mut h = Harness::new((80, 24));
    let config = h._dir.path().join("config.toml");
    let before = "# my settings\ndaily_new_cards = 5 # fewer\n\n[keys]\nsearch = \"F\"\n";
    std::fs::write(&config, before).unwrap();
    h.rt.config_path = Some(config.clone());
    h.press(Action::ExamDate);
    assert!(h.text().contains("試験日を入力してください(YYYY-MM-DD)"));
    for c in "2027-01-15".chars() {
        h.press(Action::Type(c));
    }
    h.press(Action::Submit);
    let text = h.text();
    assert!(text.contains("試験日 2027-01-15(あと 54日)"), "{text}");
    assert!(text.contains("保存しました"), "{text}");
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(
        after.starts_with(before.split("\n\n").next().unwrap()),
        "{after}"
    );
    assert!(after.contains("exam_date = \"2027-01-15\""), "{after}");
    assert!(after.ends_with("[keys]\nsearch = \"F\"\n"), "{after}");
    let (read, problems) = shikaku::config::Config::parse("c", &after);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(read.exam_date, Some(jiff::civil::date(2027, 1, 15)));
    assert_eq!(read.settings.daily_new_cards, 5);
    // The store schedules for the exam too (its answers are recorded with these settings).
    assert_eq!(
        h.rt.store.scheduler().settings().exam_date.as_deref(),
        Some("2027-01-15")
    );
}

#[test]
fn a_config_that_cannot_be_written_is_reported_and_the_date_still_holds() {
    let mut h = Harness::new((120, 24));
    let blocker = h._dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let config = blocker.join("config.toml");
    h.rt.config_path = Some(config.clone());
    h.press(Action::ExamDate);
    for c in "2027-01-15".chars() {
        h.press(Action::Type(c));
    }
    h.press(Action::Submit);
    let notice = h.app.notice.clone().unwrap();
    assert!(notice.contains(&config.display().to_string()), "{notice}");
    assert!(notice.contains("書き込めません"), "{notice}");
    assert!(notice.contains("この実行の間だけ"), "{notice}");
    assert_eq!(h.app.exam_date, Some(jiff::civil::date(2027, 1, 15)));
    assert!(h.text().contains("あと 54日"));
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "x",
        "nothing lost"
    );
}

#[test]
fn a_misconception_card_offers_distinct_good_and_easy_intervals() {
    use shikaku::srs::{NewReview, Rating};
    let mut h = Harness::new((100, 30));
    // Picked in a wrong answer (Again), then Good at its first step: now at the last step.
    for (secs, rating) in [(-11 * 60, Rating::Again), (-10 * 60, Rating::Good)] {
        h.rt.store
            .record(&NewReview {
                item: "scp-does-auth".into(),
                at: t0().plus_seconds(secs),
                rating,
                answer_ms: None,
                chosen: vec![],
                fingerprint: None,
            })
            .unwrap();
    }
    let library = Arc::clone(&h.app.library);
    h.app.progress =
        effects::load_progress(&mut h.rt.store, &library, Settings::default()).unwrap();
    h.press(Action::Pick(0)); // 学習
    for _ in 0..8 {
        if matches!(
            h.app.study.as_ref().unwrap().current,
            Some(Current::Misconception { .. })
        ) {
            break;
        }
        h.press(Action::Bury);
    }
    assert!(
        matches!(
            h.app.study.as_ref().unwrap().current,
            Some(Current::Misconception { .. })
        ),
        "{}",
        h.text()
    );
    h.press(Action::Toggle);
    let text = h.text();
    let interval = |label: &str| -> String {
        let at = text
            .find(label)
            .unwrap_or_else(|| panic!("{label}: {text}"));
        text[at + label.len()..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let (good, easy) = (interval("[3] 正解 "), interval("[4] 簡単 "));
    assert_ne!(good, easy, "Good and Easy must not look the same: {text}");
    assert_eq!((good.as_str(), easy.as_str()), ("1日", "2日"), "{text}");
}

#[test]
fn a_right_answer_shows_the_interval_each_rating_would_give_and_again_after_undo() {
    let mut h = Harness::new((100, 30));
    h.practice("q-fixture-single");
    let right = h.position(true);
    let answer = |h: &mut Harness| {
        h.press(Action::Pick(right));
        h.press(Action::Submit);
        h.text()
    };
    // A new question: Hard and Good are learning steps, Easy graduates in days.
    let expected = "次の間隔: 難しい 6分 / 正解 10分 / 簡単 ";
    let text = answer(&mut h);
    assert!(text.contains(expected), "{text}");
    // Changing the rating keeps the intervals of the answer being re-rated.
    h.press(Action::Pick(3)); // 4: 簡単
    let text = h.text();
    assert!(text.contains(expected) && text.contains("(簡単)"), "{text}");
    h.press(Action::Undo);
    assert!(h.quiz().feedback.is_none());
    let text = answer(&mut h);
    assert!(text.contains(expected), "after undo: {text}");
}

#[test]
fn domain_names_are_shown_whole_where_the_width_allows() {
    let whole = [
        "インフラストラクチャのセキュリティ",
        "アイデンティティとアクセス管理",
        "セキュリティの基盤とガバナンス",
    ];
    for size in [(200, 60), (100, 30)] {
        let mut h = Harness::new(size);
        let name = |screen: &str| format!("{screen}_{}x{}", size.0, size.1);
        let text = h.text();
        for domain in whole {
            assert!(text.contains(domain), "ホーム {size:?}: {text}");
        }
        insta::assert_snapshot!(name("home"), h.draw().backend());
        h.press(Action::Pick(1)); // 演習
        let text = h.text();
        for domain in whole {
            assert!(text.contains(domain), "演習 {size:?}: {text}");
        }
        insta::assert_snapshot!(name("practice"), h.draw().backend());
        h.press(Action::Back);
        h.practice("q-fixture-single");
        let right = h.position(true);
        h.press(Action::Pick(right));
        h.press(Action::Submit);
        h.press(Action::Back);
        h.press(Action::Pick(5)); // 統計
        let text = h.text();
        assert!(
            text.contains("アイデンティティとアクセス管理"),
            "統計 {size:?}: {text}"
        );
        insta::assert_snapshot!(name("stats"), h.draw().backend());
    }
}

#[test]
fn knob_values_show_their_label_not_raw_data() {
    use shikaku::sim::scenario::{Format, parse};
    let labels = |file: &str| -> Vec<Vec<String>> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let scenario = parse(&text, Format::Toml).unwrap_or_else(|e| panic!("{file}: {e:?}"));
        scenario
            .knobs
            .iter()
            .map(|k| k.values.iter().map(|v| v.label.clone()).collect())
            .collect()
    };
    // The knob's label names its values: 「…(なし / エフェメラルポートを許可)」.
    assert_eq!(
        labels("quizzes/scenarios/custom-nacl-inbound-only.toml")[0],
        ["なし", "エフェメラルポートを許可"]
    );
    // Otherwise a readable summary: a port range, yes/no, rules without TOML punctuation.
    assert_eq!(
        labels("tests/fixtures/repo/quizzes/scenarios/fixture-nacl-return.toml")[0],
        ["80", "1024-65535"]
    );
    assert_eq!(
        labels("quizzes/scenarios/scp-management-account-exempt.toml")[0],
        ["はい", "いいえ"]
    );
    assert_eq!(
        labels("quizzes/scenarios/authz-abac-deny-retag.toml")[0],
        ["project", "owner"]
    );
    for file in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("quizzes/scenarios")).unwrap()
    {
        let file = file.unwrap().path();
        let name = format!(
            "quizzes/scenarios/{}",
            file.file_name().unwrap().to_string_lossy()
        );
        for value in labels(&name).into_iter().flatten() {
            assert!(
                !value.contains('{') && !value.starts_with('['),
                "{name}: raw data shown as a knob value: {value}"
            );
        }
    }
    let mut h = Harness::new((100, 40));
    h.app.open_scenario("fixture-nacl-return");
    let text = h.text();
    assert!(
        text.contains("NACLのアウトバウンド許可ポート: 80"),
        "{text}"
    );
    assert!(!text.contains("[80, 80]"), "{text}");
}

/// What a learner could notice of the app's state (everything but the content, the progress
/// and the one-line notice).
fn visible_state(app: &App) -> String {
    let sim = app.sim.open.as_ref().map(|o| {
        (
            o.knob_values.clone(),
            o.disabled.clone(),
            o.focus,
            o.knob_cursor,
            o.statement_cursor,
            o.scroll,
            o.table.as_ref().map(|t| t.cursor),
        )
    });
    format!(
        "{:?}",
        (
            (&app.stack, app.home_cursor, &app.study, &app.practice),
            (&app.quiz, &app.exam),
            (&app.search.query, app.search.cursor, app.search.editing),
            (sim, app.sim.list_cursor, &app.card, app.scroll),
            (app.help, app.show_problems, &app.date_input),
        )
    )
}

thread_local! {
    static LIES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Presses, on a copy of the app, every key the footer offers, and notes one that neither
/// changes what shows nor asks the runtime to do something.
fn assert_footer_keys_work(h: &Harness, state: &str) {
    use shikaku::app::hints;
    let app = &h.app;
    let before = visible_state(app);
    let offered: Vec<_> = hints::table(app)
        .into_iter()
        .filter(|hint| hint.live && !hint.short.is_empty())
        .filter(|hint| hint.keys.short(&app.keys).is_some())
        .collect();
    assert!(!offered.is_empty(), "{state}: an empty footer");
    for hint in offered {
        let works = hint.keys.actions().into_iter().any(|action| {
            let mut copy = app.clone();
            let effects = update(&mut copy, Msg::Action(action));
            !effects.is_empty() || visible_state(&copy) != before
        });
        let name = hint.keys.short(&app.keys).unwrap_or_default();
        if !works {
            LIES.with(|l| {
                l.borrow_mut().push(format!(
                    "{state}: the footer offers `{name} {}`, which does nothing",
                    hint.short
                ))
            });
        }
    }
}

fn footer_line(h: &Harness) -> String {
    h.text().lines().last().unwrap_or_default().to_string()
}

#[test]
fn every_key_a_footer_shows_does_something_on_every_screen_and_state() {
    let mut h = Harness::new((80, 24));
    assert_footer_keys_work(&h, "home");
    h.press(Action::ExamDate);
    assert_footer_keys_work(&h, "home, exam date input");
    h.press(Action::Back);

    h.press(Action::Pick(1));
    assert_eq!(h.app.screen(), Screen::Practice);
    assert_footer_keys_work(&h, "practice menu");
    h.press(Action::Back);

    for id in [
        "q-fixture-single",
        "q-fixture-multi",
        "q-fixture-order",
        "q-fixture-match",
    ] {
        h.practice(id);
        assert_footer_keys_work(&h, &format!("{id} before answering"));
        h.press(Action::Pick(0));
        assert_footer_keys_work(&h, &format!("{id} with one pick"));
        h.app.quiz = None;
        h.app.pop();
    }
    for correct in [true, false] {
        h.practice("q-fixture-single");
        let pos = h.position(correct);
        h.press(Action::Pick(pos));
        h.press(Action::Submit);
        assert!(h.quiz().feedback.is_some());
        assert_footer_keys_work(&h, &format!("feedback, right = {correct}"));
        h.press(Action::Submit);
        assert!(h.quiz().finished);
        assert_footer_keys_work(&h, "a finished quiz");
        assert!(!footer_line(&h).contains("開始"), "{}", footer_line(&h));
        h.press(Action::Back);
    }

    // The study queue, item by item, until it is empty.
    h.press(Action::Pick(0));
    assert_eq!(h.app.screen(), Screen::Study);
    for step in 0..40 {
        let study = h.app.study.as_ref().unwrap();
        match &study.current {
            None => break,
            Some(Current::Question(_)) => {
                assert_footer_keys_work(&h, &format!("study question {step}"));
                let line = footer_line(&h);
                assert!(line.contains("延期") && line.contains("停止"), "{line}");
                h.press(Action::Bury);
            }
            Some(_) => {
                assert_footer_keys_work(&h, &format!("study card front {step}"));
                h.press(Action::Toggle);
                assert_footer_keys_work(&h, &format!("study card back {step}"));
                h.press(Action::Bury);
            }
        }
    }
    assert!(h.app.study.as_ref().unwrap().current.is_none());
    assert_footer_keys_work(&h, "the empty study queue");
    assert!(!footer_line(&h).contains("開始"), "{}", footer_line(&h));
    h.press(Action::Back);

    // The exam: lobby, answering, navigator, confirm, result, review.
    h.press(Action::Pick(2));
    assert_footer_keys_work(&h, "exam lobby");
    h.press(Action::Submit);
    assert_footer_keys_work(&h, "exam question");
    h.press(Action::Tab);
    assert_footer_keys_work(&h, "exam navigator");
    assert!(!footer_line(&h).contains("開始"), "{}", footer_line(&h));
    h.press(Action::Back);
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Home);
    sit_fixture_exam(&mut h);
    assert_footer_keys_work(&h, "exam result");
    h.press(Action::Submit);
    assert!(matches!(exam_phase(&h), Phase::Review { .. }));
    assert_footer_keys_work(&h, "exam review");
    let line = footer_line(&h);
    assert!(
        line.contains("Enter 一覧へ") && !line.contains("次へ"),
        "{line}"
    );
    h.press(Action::Back);
    h.press(Action::Back);
    h.press(Action::Back);
    assert_eq!(h.app.screen(), Screen::Home);

    // Search, typing and in the results.
    h.press(Action::Search);
    assert_footer_keys_work(&h, "search, empty field");
    for c in "s3".chars() {
        h.press(Action::Type(c));
    }
    assert_footer_keys_work(&h, "search with hits");
    h.press(Action::Tab);
    assert_footer_keys_work(&h, "search results");
    h.press(Action::Back);

    // The simulator list and one scenario.
    h.press(Action::Simulator);
    assert_footer_keys_work(&h, "simulator list");
    h.press(Action::Submit);
    assert_footer_keys_work(&h, "simulator scenario");
    h.press(Action::Back);
    h.press(Action::Back);

    h.press(Action::Pick(5));
    assert_eq!(h.app.screen(), Screen::Stats);
    assert_footer_keys_work(&h, "stats");
    h.press(Action::Back);
    let card = h.app.library.cards[0].id.clone();
    h.app.open_card(&card);
    assert_footer_keys_work(&h, "a card");
    let lies = LIES.with(|l| l.borrow().clone());
    assert!(lies.is_empty(), "{}", lies.join("\n"));
}

#[test]
fn match_questions_offer_no_w_and_stats_help_has_no_card_keys() {
    let mut h = Harness::new((80, 24));
    h.practice("q-fixture-match");
    for _ in 0..4 {
        h.press(Action::Pick(0));
        h.press(Action::Down);
    }
    let question = h.quiz().question(&h.app.library).unwrap().clone();
    for i in 0..question.pairs.len() {
        if let Input::Match { cursor, .. } = &mut h.app.quiz.as_mut().unwrap().input {
            *cursor = i;
        }
        h.press(Action::Pick(i));
    }
    h.press(Action::Submit);
    assert!(h.quiz().feedback.is_some(), "{}", h.text());
    let line = footer_line(&h);
    assert!(!line.contains(" w "), "{line}");
    h.app.quiz = None;
    h.app.pop();

    h.press(Action::Pick(5));
    h.press(Action::Help);
    let text = h.text();
    assert!(!text.contains("このトピックの問題を演習"), "{text}");
    assert!(!text.contains("停止する"), "{text}");
}

#[test]
fn a_rebound_key_shows_in_the_footer_and_the_help() {
    let mut h = Harness::new((80, 24));
    let pairs = std::collections::HashMap::from([
        ("search".to_string(), "F".to_string()),
        ("bury".to_string(), "B".to_string()),
    ]);
    h.app.keys = shikaku::app::keymap::Bindings::from_config(&pairs).0;
    let line = footer_line(&h);
    assert!(line.contains("F 検索"), "{line}");
    h.press(Action::Help);
    let text = h.text();
    assert!(text.contains("F / /"), "{text}");
    h.press(Action::Back);
    h.press(Action::Pick(0));
    let line = footer_line(&h);
    assert!(
        line.contains("B 延期") && !line.contains("b 延期"),
        "{line}"
    );
}

#[test]
fn texts_that_name_a_key_follow_the_bindings() {
    let mut h = Harness::new((80, 40));
    let pairs = std::collections::HashMap::from([
        ("why".to_string(), "W".to_string()),
        ("copy".to_string(), "C".to_string()),
        ("exam_date".to_string(), "D".to_string()),
        ("help".to_string(), "H".to_string()),
    ]);
    h.app.keys = shikaku::app::keymap::Bindings::from_config(&pairs).0;
    let home = h.text();
    assert!(home.contains("D で設定できます"), "{home}");
    h.press(Action::Help);
    let help = h.text();
    assert!(help.contains("H または Esc で閉じる"), "{help}");
    h.press(Action::Back);
    h.practice("q-fixture-single");
    let wrong = h.position(false);
    h.press(Action::Pick(wrong));
    h.press(Action::Submit);
    let feedback = h.text();
    assert!(feedback.contains("W キーで、選ばなかった"), "{feedback}");
    assert!(feedback.contains("C でコピー"), "{feedback}");
    assert!(
        !feedback.contains("w キー") && !feedback.contains("c でコピー"),
        "{feedback}"
    );
}

#[test]
fn help_scrolls_at_40x12_and_says_so() {
    let mut h = Harness::new((40, 12));
    h.press(Action::Help);
    let first = h.text();
    assert!(first.contains("1-10/"), "{first}");
    insta::assert_snapshot!("help_home_40x12", h.draw().backend());
    h.press(Action::Down);
    assert_eq!(h.app.help_scroll, 1);
    assert!(h.text().contains("2-11/"), "{}", h.text());
    for _ in 0..5 {
        h.press(Action::PageDown);
    }
    let last = h.text();
    let total = shikaku::app::hints::help(&h.app).len();
    assert!(last.contains(&format!("-{total}/{total}")), "{last}");
    assert!(last.contains("クリック"), "the last key shows: {last}");
    insta::assert_snapshot!("help_home_40x12_end", h.draw().backend());
    h.press(Action::PageUp);
    h.press(Action::PageUp);
    h.press(Action::PageUp);
    assert_eq!(h.app.help_scroll, 0);
    h.press(Action::Back);
    assert!(!h.app.help);
}
