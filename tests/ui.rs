//! The TUI without a terminal: `update` message flows, and insta snapshots of each screen at
//! 80×24 and 40×12 drawn on a TestBackend from the fixture content (tests/fixtures/repo).

use std::path::Path;
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shikaku::app::keymap::Action;
use shikaku::app::quiz::{Input, Quiz};
use shikaku::app::{App, Effect, Msg, Screen, update};
use shikaku::content::{self, Base, Library, Sources};
use shikaku::ui::{self, theme::Theme};

fn fixture_library() -> Arc<Library> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo");
    let loaded = content::load(&Sources { base: Base::Repo(root), base_checked: true, layers: vec![], salvage: false });
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    Arc::new(loaded.library)
}

fn app(size: (u16, u16)) -> App {
    let mut app = App::new(fixture_library(), 42);
    update(&mut app, Msg::Resize(size.0, size.1));
    app
}

/// An app showing one given question.
fn app_on(question: &str, size: (u16, u16)) -> App {
    let mut app = app(size);
    app.quiz = Quiz::new(&app.library, "アイデンティティとアクセス管理".into(), &[question.to_string()], 7);
    app.screen = Screen::Quiz;
    app
}

fn draw(app: &App) -> Terminal<TestBackend> {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|frame| ui::view(app, frame, Theme { color: false })).unwrap();
    terminal
}

fn screen_text(app: &App) -> String {
    draw(app).backend().to_string()
}

fn act(app: &mut App, action: Action) -> Vec<Effect> {
    update(app, Msg::Action(action))
}

/// The display position of the first wrong choice of the current question.
fn wrong_position(app: &App) -> usize {
    let quiz = app.quiz.as_ref().unwrap();
    let question = quiz.question(&app.library).unwrap();
    quiz.current().order.iter().position(|&i| !question.choices[i].correct).unwrap()
}

#[test]
fn home_lists_the_six_domains_with_question_counts() {
    for size in [(80, 24), (40, 12)] {
        let app = app(size);
        let text = screen_text(&app);
        assert!(text.contains("アイデンティティ"), "{text}");
        insta::assert_snapshot!(format!("home_{}x{}", size.0, size.1), draw(&app).backend());
    }
}

#[test]
fn a_wrong_answer_shows_why_and_the_misconception() {
    for size in [(80, 24), (40, 12)] {
        let mut app = app_on("q-fixture-single", size);
        insta::assert_snapshot!(format!("single_before_{}x{}", size.0, size.1), draw(&app).backend());
        let wrong = wrong_position(&app);
        act(&mut app, Action::Pick(wrong));
        act(&mut app, Action::Submit);
        let feedback = app.quiz.as_ref().unwrap().feedback.as_ref().unwrap();
        assert!(!feedback.correct);
        insta::assert_snapshot!(format!("single_after_{}x{}", size.0, size.1), draw(&app).backend());
    }
    let mut app = app_on("q-fixture-single", (100, 40));
    let wrong = wrong_position(&app);
    act(&mut app, Action::Pick(wrong));
    act(&mut app, Action::Submit);
    let text = screen_text(&app);
    assert!(text.contains("不正解"));
    assert!(text.contains("よくある誤解"), "{text}");
    // Only the chosen choice's reason shows until the learner asks for the rest.
    let reasons = ["SCPは権限の上限を決める仕組み", "Secrets Managerは秘密情報の保管庫"];
    assert_eq!(reasons.iter().filter(|r| text.contains(*r)).count(), 1, "{text}");
    act(&mut app, Action::ToggleWhy);
    let text = screen_text(&app);
    assert!(reasons.iter().all(|r| text.contains(r)), "{text}");
}

#[test]
fn a_right_answer_says_so() {
    let mut app = app_on("q-fixture-single", (80, 24));
    let quiz = app.quiz.as_ref().unwrap();
    let question = quiz.question(&app.library).unwrap();
    let right = quiz.current().order.iter().position(|&i| question.choices[i].correct).unwrap();
    act(&mut app, Action::Down);
    act(&mut app, Action::Pick(right));
    act(&mut app, Action::Submit);
    assert!(app.quiz.as_ref().unwrap().feedback.as_ref().unwrap().correct);
    assert!(screen_text(&app).contains("✔ 正解"));
}

#[test]
fn multi_needs_exactly_pick_choices() {
    let mut app = app_on("q-fixture-multi", (80, 24));
    insta::assert_snapshot!("multi_before_80x24", draw(&app).backend());
    act(&mut app, Action::Pick(0));
    act(&mut app, Action::Submit);
    assert!(app.quiz.as_ref().unwrap().feedback.is_none(), "one of two picked must not submit");
    act(&mut app, Action::Pick(1));
    act(&mut app, Action::Submit);
    assert!(app.quiz.as_ref().unwrap().feedback.is_some());
    insta::assert_snapshot!("multi_after_80x24", draw(&app).backend());
}

#[test]
fn order_is_entered_by_number_and_can_be_taken_back() {
    let mut app = app_on("q-fixture-order", (80, 24));
    insta::assert_snapshot!("order_before_80x24", draw(&app).backend());
    let order = app.quiz.as_ref().unwrap().current().order.clone();
    // Pick a wrong first item, take it back, then enter the right order.
    let pos_of = |item: usize| order.iter().position(|&i| i == item).unwrap();
    act(&mut app, Action::Pick(pos_of(2)));
    act(&mut app, Action::Undo);
    for item in 0..3 {
        act(&mut app, Action::Pick(pos_of(item)));
    }
    assert_eq!(app.quiz.as_ref().unwrap().input, Input::Order { sequence: (0..3).map(pos_of).collect() });
    act(&mut app, Action::Submit);
    assert!(app.quiz.as_ref().unwrap().feedback.as_ref().unwrap().correct);
    insta::assert_snapshot!("order_after_80x24", draw(&app).backend());
}

#[test]
fn match_assigns_a_right_to_each_left() {
    let mut app = app_on("q-fixture-match", (80, 24));
    insta::assert_snapshot!("match_before_80x24", draw(&app).backend());
    // Assign the displayed rights in display order: almost surely a wrong matching.
    for pos in 0..3 {
        act(&mut app, Action::Pick(pos));
    }
    act(&mut app, Action::Submit);
    let quiz = app.quiz.as_ref().unwrap();
    let expected = quiz.current().order == [0, 1, 2];
    assert_eq!(quiz.feedback.as_ref().unwrap().correct, expected);
    insta::assert_snapshot!("match_after_80x24", draw(&app).backend());
}

#[test]
fn q_goes_back_then_quits() {
    let mut app = app((80, 24));
    act(&mut app, Action::Pick(3));
    assert_eq!(app.screen, Screen::Quiz);
    assert!(act(&mut app, Action::Back).is_empty());
    assert_eq!(app.screen, Screen::Home);
    assert_eq!(act(&mut app, Action::Back), vec![Effect::Quit]);
}

#[test]
fn a_whole_quiz_ends_with_the_score() {
    let mut app = app((80, 24));
    act(&mut app, Action::Pick(3)); // アイデンティティとアクセス管理: 4 fixture questions
    let total = app.quiz.as_ref().unwrap().shown.len();
    assert_eq!(total, 4);
    for _ in 0..total {
        // Answer every question with whatever is complete soonest.
        for pos in 0..3 {
            act(&mut app, Action::Pick(pos));
            if app.quiz.as_ref().unwrap().feedback.is_none() {
                act(&mut app, Action::Submit);
            }
            if app.quiz.as_ref().unwrap().feedback.is_some() {
                break;
            }
        }
        assert!(app.quiz.as_ref().unwrap().feedback.is_some());
        act(&mut app, Action::Submit);
    }
    assert!(app.quiz.as_ref().unwrap().finished);
    assert!(screen_text(&app).contains("4問中"));
    act(&mut app, Action::Submit);
    assert_eq!(app.screen, Screen::Home);
}

#[test]
fn help_opens_and_closes() {
    let mut app = app((80, 24));
    act(&mut app, Action::Help);
    assert!(screen_text(&app).contains("ヘルプ"));
    act(&mut app, Action::Back);
    assert!(!app.help);
    assert_eq!(app.screen, Screen::Home, "Esc closes help, not the screen");
}

#[test]
fn clicking_a_choice_picks_it() {
    let mut app = app_on("q-fixture-single", (80, 24));
    let text = screen_text(&app);
    let row = text.lines().position(|l| l.contains("2. ")).unwrap() as u16;
    act(&mut app, Action::Click { column: 10, row });
    let Input::Choices { selected, .. } = &app.quiz.as_ref().unwrap().input else { panic!() };
    assert_eq!(selected, &vec![false, true, false]);
}

/// Builds an app in some state for a terminal size.
type MakeApp = Box<dyn Fn((u16, u16)) -> App>;

#[test]
fn nothing_panics_at_any_size() {
    let states: Vec<MakeApp> = vec![
        Box::new(app),
        Box::new(|s| app_on("q-fixture-single", s)),
        Box::new(|s| app_on("q-fixture-order", s)),
        Box::new(|s| app_on("q-fixture-match", s)),
        Box::new(|s| {
            let mut a = app_on("q-fixture-multi", s);
            act(&mut a, Action::Pick(0));
            act(&mut a, Action::Pick(2));
            act(&mut a, Action::Submit);
            act(&mut a, Action::ToggleWhy);
            for _ in 0..30 {
                act(&mut a, Action::Down);
            }
            a
        }),
        Box::new(|s| {
            let mut a = app(s);
            act(&mut a, Action::Help);
            a
        }),
    ];
    for make in &states {
        for w in (1..=60).step_by(7).chain([1, 2, 40, 80, 200]) {
            for h in (1..=30).step_by(5).chain([1, 2, 3, 12, 24, 60]) {
                let app = make((w, h));
                draw(&app);
            }
        }
    }
}
