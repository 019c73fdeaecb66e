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
        let rt = Runtime {
            store,
            sources: fixture_sources(),
            data_dir: dir.path().to_path_buf(),
            sync_dir: None,
        };
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
    h.press(Action::Pick(2)); // 3: 正解
    assert_eq!(h.rt.store.history(&id).unwrap().len(), 1);
    let now = h.app.study.as_ref().unwrap();
    assert_eq!(now.answered, 1);
    assert_ne!(
        now.current.as_ref().map(|c| c.id().to_string()),
        Some(id.clone()),
        "the next item shows"
    );
    // Undo takes it back and shows the same card again.
    h.press(Action::Undo);
    assert!(h.rt.store.history(&id).unwrap().is_empty());
    assert_eq!(
        h.app
            .study
            .as_ref()
            .unwrap()
            .current
            .as_ref()
            .map(|c| c.id().to_string()),
        Some(id)
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
    // 30 minutes later the learner quits: the attempt is saved, not scored.
    h.at(t0().plus_seconds(30 * 60));
    h.press(Action::Back);
    assert!(h.app.exam.exam.is_none());
    let saved = h.rt.store.exam_attempts().unwrap();
    assert_eq!(saved.len(), 1);
    assert!(saved[0].finished.is_none());
    // Back later: the lobby offers to resume with 140 minutes left.
    h.at(t0().plus_seconds(5 * 3600));
    h.press(Action::Pick(2));
    assert!(h.app.exam.resumable.is_some());
    assert!(h.text().contains("残り 140分"), "{}", h.text());
    h.press(Action::Pick(0)); // 1: resume
    let exam = h.app.exam.exam.as_ref().unwrap();
    assert_eq!(exam.seconds_left(h.app.now), 140 * 60);
    assert!(exam.questions[0].flagged);
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
    assert_eq!(saved[0].scaled_score, Some(result.scaled));
    if !result.mistakes.is_empty() {
        h.press(Action::Submit);
        assert!(matches!(exam_phase(&h), Phase::Review { .. }));
        assert!(h.text().contains("解説"));
    }
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
    let blocked = "SG(受信) → ENI eni-web → ✘NACL(戻り・送信)";
    assert!(text.contains(blocked), "the blocked hop is marked: {text}");
    insta::assert_snapshot!("simulator_network_80x24", h.draw().backend());
    h.press(Action::Pick(0)); // egress ports 80 → 1024-65535 opens the return path
    let text = h.text();
    assert!(text.contains("到達する") && !text.contains("✘"), "{text}");
    assert!(
        text.contains("ENI eni-web → NACL(戻り・送信) →"),
        "the way back: {text}"
    );
}
