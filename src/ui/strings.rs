//! Every text the UI shows, in one place.

/// The app's name in the title bar.
pub const APP_TITLE: &str = "資格 shikaku";
/// Home: the prompt above the domain list.
pub const HOME_PICK_DOMAIN: &str = "分野を選んで演習を始める";
/// Home: the row for every domain together.
pub const ALL_DOMAINS: &str = "すべての分野";
/// Home: no content at all.
pub const HOME_EMPTY: &str = "問題がありません。--content でコンテンツのディレクトリを指定してください";
/// Home: problems with extra content files.
pub const HOME_CONTENT_PROBLEMS: &str = "追加コンテンツに問題があり、その項目を読み飛ばしました(shikaku lint で確認)";
/// Counter suffix for questions.
pub const QUESTIONS_SUFFIX: &str = "問";

/// Quiz: title prefix.
pub const QUIZ_TITLE: &str = "演習";
/// Quiz: multi instruction; `{}` is the number to pick.
pub const PICK_N: &str = "{}つ選択";
/// Quiz: order instruction.
pub const ORDER_HINT: &str = "正しい順に番号キーで選ぶ";
/// Quiz: the learner's order so far.
pub const YOUR_ORDER: &str = "あなたの順序";
/// Quiz: match instruction.
pub const MATCH_HINT: &str = "左の項目ごとに、対応する右の番号を選ぶ";
/// Quiz: label for the right-hand options of a match question.
pub const MATCH_OPTIONS: &str = "選択肢";
/// Feedback: right.
pub const CORRECT: &str = "✔ 正解";
/// Feedback: wrong.
pub const WRONG: &str = "✘ 不正解";
/// Feedback: the explanation heading.
pub const EXPLANATION: &str = "解説";
/// Feedback: before the reason a chosen choice is wrong.
pub const WHY_WRONG: &str = "→ ";
/// Feedback: a misconception named by the chosen choice.
pub const MISCONCEPTION: &str = "よくある誤解";
/// Feedback: the right order.
pub const CORRECT_ORDER: &str = "正しい順序";
/// Feedback: the right pairs.
pub const CORRECT_PAIRS: &str = "正しい対応";
/// Feedback: your answer for a pair.
pub const YOUR_ANSWER: &str = "あなたの答え";
/// Feedback: how to see the other reasons.
pub const SHOW_ALL_WHY: &str = "w キーで、選ばなかった誤答の理由も表示";
/// Feedback: sources.
pub const SOURCES: &str = "出典";
/// Quiz: finished.
pub const FINISHED: &str = "演習が終わりました";
/// Quiz: the score line; `{0}` answered, `{1}` correct.
pub const SCORE: &str = "{0}問中 {1}問正解";
/// Quiz: back to home.
pub const BACK_HOME: &str = "Enter でホームへ戻る";

/// Footer hints, as (key, meaning) pairs.
pub const KEYS_HOME: &[(&str, &str)] = &[("↑↓", "選択"), ("Enter", "開始"), ("1-7", "すぐ開始"), ("?", "ヘルプ"), ("q", "終了")];
/// Footer: single-choice questions.
pub const KEYS_SINGLE: &[(&str, &str)] = &[("1-9", "選択"), ("Enter", "回答"), ("q", "戻る"), ("?", "ヘルプ")];
/// Footer: multiple-response questions.
pub const KEYS_MULTI: &[(&str, &str)] = &[("1-9/Space", "選択"), ("Enter", "回答"), ("q", "戻る"), ("?", "ヘルプ")];
/// Footer: ordering questions.
pub const KEYS_ORDER: &[(&str, &str)] = &[("1-9", "順に選ぶ"), ("BS", "1つ戻す"), ("Enter", "回答"), ("q", "戻る")];
/// Footer: matching questions.
pub const KEYS_MATCH: &[(&str, &str)] = &[("↑↓", "左"), ("1-9", "右を割当"), ("BS", "解除"), ("Enter", "回答"), ("q", "戻る")];
/// Footer: after answering.
pub const KEYS_FEEDBACK: &[(&str, &str)] = &[("Enter", "次へ"), ("w", "誤答の理由"), ("↑↓", "スクロール"), ("q", "戻る")];
/// Footer: the end of a quiz.
pub const KEYS_FINISHED: &[(&str, &str)] = &[("Enter", "ホームへ"), ("q", "戻る")];

/// Help: title.
pub const HELP_TITLE: &str = "ヘルプ(? または Esc で閉じる)";
/// Help: every key, as (key, meaning).
pub const HELP_KEYS: &[(&str, &str)] = &[
    ("↑↓ / j k", "移動・スクロール"),
    ("Enter", "決定・回答・次へ"),
    ("1-9", "選択肢を選ぶ(並べ替えは順に、対応付けは右の番号)"),
    ("Space", "カーソルの選択肢を選ぶ・外す"),
    ("Backspace", "並べ替え・対応付けを1つ戻す"),
    ("w", "回答後: 選ばなかった誤答の理由も表示"),
    ("PgUp / PgDn", "ページ単位でスクロール"),
    ("クリック", "選択肢を選ぶ"),
    ("q / Esc", "戻る(ホームでは終了)"),
    ("Ctrl-C", "すぐに終了"),
];
