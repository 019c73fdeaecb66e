//! Every text the UI shows, in one place: the screens (`ui`) and the state machine (`app`) both
//! take their words from here.

/// The app's name in the title bar.
pub const APP_TITLE: &str = "資格 shikaku";
/// Home: the prompt above the domain list.
pub const HOME_PICK_DOMAIN: &str = "分野を選んで演習を始める";
/// Home: the row for every domain together.
pub const ALL_DOMAINS: &str = "すべての分野";
/// Home: no content at all.
pub const HOME_EMPTY: &str =
    "問題がありません。--content でコンテンツのディレクトリを指定してください";
/// Home: problems with extra content files or the config file.
pub const HOME_CONTENT_PROBLEMS: &str =
    "追加コンテンツか設定ファイルに問題があります(! で一覧、shikaku lint で確認)";
/// Notice: an answer could not be saved yet; it is kept and retried.
pub const SAVE_PENDING: &str = "回答をまだ保存できていません。自動で再試行します";
/// Notice: the answers that were waiting have been saved.
pub const SAVED_AFTER_RETRY: &str = "保存できていなかった回答を保存しました";
/// Notice: an item id went to the clipboard.
pub const COPIED_ID: &str = "ID をコピーしました";
/// The id line under a card or question (`shikaku card ID` takes it).
pub const ITEM_ID: &str = "ID";
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
pub const SHOW_ALL_WHY: &str = "{key:why} キーで、選ばなかった誤答の理由も表示";
/// Feedback: sources.
pub const SOURCES: &str = "出典";
/// Quiz: finished.
pub const FINISHED: &str = "演習が終わりました";
/// Quiz: the score line; `{0}` answered, `{1}` correct.
pub const SCORE: &str = "{0}問中 {1}問正解";
/// Quiz: back to home.
pub const BACK_HOME: &str = "Enter でホームへ戻る";

/// Home: the menu rows (label, description).
pub const HOME_MENU: [(&str, &str); 6] = [
    ("学習", "今日の間隔反復キュー"),
    ("演習", "分野・タグ・間違えた問題から"),
    ("模擬試験", "本番と同じ形式で時間を計って解く"),
    ("検索", "カード・問題・誤解をあいまい検索 (/)"),
    ("シミュレータ", "ポリシー評価と到達性を試す (s)"),
    ("統計", "履歴・予測・正答率・リーチ"),
];
/// Home: today's counts.
pub const HOME_DUE: &str = "今日: 学習中 {learning}  復習 {review}  新規 {new}   回答済み {done}";
/// Home: the mastery heading.
pub const HOME_MASTERY: &str = "分野別の習得度";
/// Home: the last exam.
pub const HOME_LAST_EXAM: &str = "前回の模擬試験";
/// Home: no exam yet.
pub const HOME_NO_EXAM: &str = "模擬試験はまだ受けていません";
/// Pass.
pub const PASS: &str = "合格";
/// Fail.
pub const FAIL: &str = "不合格";
/// Practice: the menu heading.
pub const PRACTICE_HEADING: &str = "演習する範囲を選ぶ";
/// Practice: questions answered wrong last time.
pub const MISSED: &str = "間違えた問題";
/// Practice: flagged questions.
pub const FLAGGED_FILTER: &str = "フラグ付きの問題";
/// Nothing matches a filter.
pub const NOTHING_TO_PRACTICE: &str = "該当する問題がありません";
/// Study: the quiz title for a question in the queue.
pub const STUDY_TITLE: &str = "学習";
/// Study: the queue is empty.
pub const STUDY_DONE: &str = "今日の学習は終わりました。おつかれさまでした";
/// Study: the "study more" heading.
pub const MORE_HEADING: &str = "さらに学ぶ(番号で選ぶ、← → で件数 {count})";
/// Study: the "study more" options, (label, how it is recorded).
pub const MORE_OPTIONS: [(&str, &str); 3] = [
    (
        "新しい項目をあと {count} 件",
        "今日の上限を超えて、いつもの順で先へ進む。ふつうの新規として記録(明日の上限は減らない)",
    ),
    (
        "先取り復習: 期日が近い順に {count} 件",
        "期日前の復習として記録。FSRS は経過日数が短い分だけ次の間隔の伸びを小さく見積もる",
    ),
    (
        "苦手な項目から: 難易度が高い順に {count} 件",
        "ふつうの復習として記録(期日前なら先取り復習と同じ扱い)",
    ),
];
/// Study: the title while studying more.
pub const MORE_TITLES: [&str; 3] = [
    "学習(追加: 新しい項目)",
    "学習(追加: 先取り復習)",
    "学習(追加: 苦手な項目)",
];
/// Study: nothing to study more of.
pub const MORE_NOTHING: &str = "対象の項目がありません";
/// Study: a card's front hint.
pub const STUDY_REVEAL: &str = "Space / Enter で裏面を表示";
/// Study: the front of a misconception card.
pub const MISCONCEPTION_FRONT: &str = "この考えは正しい?";
/// Study: the content changed since it was studied.
pub const CONTENT_CHANGED: &str = "内容が更新されました";
/// Study: remaining and answered.
pub const STUDY_COUNTS: &str = "残り {remaining}  回答 {answered}";
/// Study: the rating keys after answering a question right.
pub const RERATE_HINT: &str = "{pick:2} 難しい / {pick:3} 正解 / {pick:4} 簡単 で評価を変えられる";
/// Study: flagged.
pub const FLAGGED: &str = "フラグ付き";
/// Card screen: suspended.
pub const SUSPENDED: &str = "停止中";
/// Undo done.
pub const UNDONE: &str = "直前の回答を取り消しました";
/// Notice: `u` took back a suspension made with `x`.
pub const SUSPEND_UNDONE: &str = "停止を取り消しました";
/// No topic linked.
pub const NO_TOPIC: &str = "この項目にはトピックカードがありません";
/// No scenario linked.
pub const NO_SCENARIO: &str = "この項目にはシミュレータのシナリオがありません";
/// Content reloaded.
pub const RELOADED: &str = "コンテンツを読み込み直しました";
/// Reload failed.
pub const RELOAD_FAILED: &str = "読み込みに問題があり、前のコンテンツを使い続けます(! で詳細)";
/// The problems panel title.
pub const PROBLEMS_TITLE: &str = "コンテンツの問題(Esc で閉じる)";
/// Search: title of a question opened from search.
pub const SEARCH_TITLE: &str = "検索から";
/// Search: the prompt.
pub const SEARCH_PROMPT: &str = "検索: ";
/// Search: nothing found.
pub const SEARCH_NONE: &str = "見つかりません";
/// Search: hint under the field.
pub const SEARCH_HINT: &str =
    "ひらがな・カタカナ・ローマ字で検索。スペース区切りはすべてを含むもの";
/// Kind labels.
pub const KIND_CARD: &str = "カード";
/// Kind labels.
pub const KIND_QUESTION: &str = "問題";
/// Kind labels.
pub const KIND_MISCONCEPTION: &str = "誤解";
/// Card screen: facts heading.
pub const FACTS: &str = "要点";
/// Card screen: related cards.
pub const RELATED: &str = "関連";
/// Card screen: the correction of a misconception.
pub const CORRECTION: &str = "正しくは";
/// Exam: no blueprint.
pub const NO_BLUEPRINT: &str = "試験のブループリントがありません";
/// Exam: resume failed.
pub const RESUME_FAILED: &str = "中断した模擬試験を再開できませんでした";
/// Exam: review title.
pub const EXAM_REVIEW: &str = "模擬試験の復習";
/// Exam: lobby heading.
pub const EXAM_LOBBY: &str = "模擬試験";
/// Exam: start.
pub const EXAM_START: &str = "Enter で開始";
/// Exam: resume offer.
pub const EXAM_RESUME: &str =
    "中断した模擬試験があります(残り {minutes}分)。Enter で再開 / {key:next} で新しく始める";
/// Exam: the lobby's start row when nothing is suspended.
pub const EXAM_START_NEW: &str = "Enter で開始({key:next} でも開始)";
/// Exam: asking before a new exam closes the suspended one.
pub const EXAM_CONFIRM_NEW: &str = "中断中の模擬試験(残り {left})は終了し、「中止」として記録されます(再開できなくなります)。新しく始めますか?   Enter: 始める  Esc: やめる";
/// Exam: `q` mid-exam saved the attempt.
pub const EXAM_SAVED: &str =
    "模擬試験を保存しました(残り {left})。模擬試験を開いて Enter で再開できます";
/// The id line's copy offer.
pub const COPY_ID: &str = "({key:copy} でコピー)";
/// Exam: an attempt without a result was chosen in これまでの結果.
pub const EXAM_NO_RESULT: &str = "この試験は採点されていないので、結果はありません";
/// Exam: abandoned label in これまでの結果.
pub const EXAM_ABANDONED: &str = "中止";
/// Exam: the history hint.
pub const EXAM_HISTORY_HINT: &str = "↑↓ で選んで Enter で結果と復習を開く";
/// Exam review: the question was not answered.
pub const UNANSWERED: &str = "− 未回答(採点では不正解。学習記録には入りません)";
/// Exam review: the question heading.
pub const QUESTION: &str = "問題";
/// Exam result: how the answers were recorded.
pub const EXAM_RECORDED: &str =
    "回答した{answered}問を学習記録に入れました(誤答は「もう一度」、正解は「正解」)";
/// Home: the exam date.
pub const HOME_EXAM_DATE: &str = "試験日 {date}(あと {days}日)";
/// Home: the exam date has passed or is today.
pub const HOME_EXAM_TODAY: &str = "試験日 {date}(今日)";
/// Home: no exam date.
pub const HOME_NO_EXAM_DATE: &str = "試験日は未設定({key:exam_date} で設定できます)";
/// The exam date input: its prompt.
pub const EXAM_DATE_PROMPT: &str = "試験日を入力してください(YYYY-MM-DD): ";
/// The exam date input: how to use it.
pub const EXAM_DATE_INPUT_HINT: &str = "Enter 決定 / 空のまま Enter で試験日を消す / Esc やめる";
/// The exam date input: the text is not a date.
pub const EXAM_DATE_NOT_A_DATE: &str =
    "「{text}」は日付として読めません。2027-01-15 のように 年-月-日 で入力してください";
/// The exam date input: the date has passed.
pub const EXAM_DATE_PAST: &str = "{date} は過ぎた日付です。今日以降の日付を入力してください";
/// The exam date input: a key that is not part of a date.
pub const EXAM_DATE_TYPE_HINT: &str = "数字と - だけを入力できます(例: 2027-01-15)";
/// Notice: the exam date was saved.
pub const EXAM_DATE_SAVED: &str = "試験日を {date} にしました({path} に保存しました)";
/// Notice: the exam date was removed.
pub const EXAM_DATE_CLEARED: &str = "試験日の設定を消しました({path} から削除しました)";
/// Notice: no config file is known to write to.
pub const EXAM_DATE_NO_CONFIG: &str = "設定ファイルの場所が分からないため保存できませんでした";
/// Notice, after a write failure: the date still holds for this run.
pub const EXAM_DATE_THIS_RUN: &str = "。試験日はこの実行の間だけ使います";
/// Home: the forecast.
pub const HOME_FORECAST: &str = "予測 {predicted}点({low}〜{high}) 合格可能性 {pass}%";
/// Home: what the forecast is for.
pub const HOME_FORECAST_FOR_EXAM: &str = "(試験日)";
/// Home: what the forecast is for.
pub const HOME_FORECAST_FOR_TODAY: &str = "(今日受けたら)";
/// Home: the weakest tasks.
pub const HOME_WEAK_TASKS: &str = "弱いタスク({pick:7} {pick:8} {pick:9} で演習)";
/// Home: a suspended exam.
pub const HOME_SUSPENDED: &str = "中断中の模擬試験: 残り {left}({pick:3} → Enter で再開)";
/// Exam: past attempts.
pub const EXAM_HISTORY: &str = "これまでの結果";
/// Exam: in progress label.
pub const EXAM_IN_PROGRESS: &str = "中断中";
/// Exam: confirm submit.
pub const EXAM_CONFIRM: &str =
    "提出しますか?  未回答 {unanswered}問 / フラグ {flagged}問   Enter: 提出  Esc: 戻る";
/// Exam: the navigator title.
pub const EXAM_NAVIGATOR: &str = "問題一覧(Enter で移動、最後の「提出」で提出)";
/// Exam: submit row in the navigator.
pub const EXAM_SUBMIT: &str = "提出";
/// Exam: result heading.
pub const EXAM_RESULT: &str = "結果";
/// Exam: timed out.
pub const EXAM_TIMED_OUT: &str = "時間切れで自動提出しました";
/// Exam: mistakes heading.
pub const EXAM_MISTAKES: &str = "問題ごとの結果(Enter で解説、✘ 不正解 − 未回答)";
/// Exam: flagged marker.
pub const EXAM_FLAG: &str = "フラグ";
/// Simulator: list heading.
pub const SIM_LIST: &str = "シナリオを選ぶ";
/// Simulator: request heading.
pub const SIM_REQUEST: &str = "リクエスト";
/// Simulator: decision heading.
pub const SIM_DECISION: &str = "判定";
/// Simulator: knobs heading.
pub const SIM_KNOBS: &str = "ノブ(番号キーで切り替え)";
/// Simulator: statements heading.
pub const SIM_STATEMENTS: &str = "ステートメント(Tab で移動、Space でオン/オフ)";
/// Simulator: a statement switched off.
pub const SIM_OFF: &str = "オフ";
/// Simulator: the path heading for networks.
pub const SIM_PATH: &str = "経路";
/// Simulator: edit errors.
pub const SIM_EDIT_ERRORS: &str = "編集した内容に問題があります(前の内容のまま)";
/// Simulator: as written.
pub const SIM_AS_WRITTEN: &str = "(記述どおり)";
/// Simulator: the decision table's title ({n}: the number of combinations).
pub const SIM_TABLE: &str = "決定表: ノブの値の全組み合わせ({n} 通り)";
/// Simulator: the result column of the decision table.
pub const SIM_TABLE_RESULT: &str = "結果";
/// Simulator: a combination that does not make a valid scenario.
pub const SIM_TABLE_INVALID: &str = "無効な組み合わせ";
/// Stats: heading.
pub const STATS_TITLE: &str = "統計";
/// Stats: the heatmap heading.
pub const STATS_HEATMAP: &str = "直近6か月の回答数";
/// Stats: the forecast heading.
pub const STATS_FORECAST: &str = "今後30日の予定";
/// Stats: retention.
pub const STATS_RETENTION: &str = "正答率(真の保持率)";
/// Stats: domain accuracy.
pub const STATS_DOMAINS: &str = "分野別の正答率";
/// Stats: leeches.
pub const STATS_LEECHES: &str = "リーチ(何度も忘れる項目)";
/// Stats: calibration heading.
pub const STATS_CALIBRATION: &str = "模擬試験: 開始時の予測と結果";
/// Stats: one past exam.
pub const STATS_CALIBRATION_ROW: &str =
    "  {date}  予測 {predicted}({low}〜{high})  結果 {score}  {mark}";
/// Stats: the score fell in the band.
pub const STATS_INSIDE: &str = "範囲内";
/// Stats: the score fell outside the band.
pub const STATS_OUTSIDE: &str = "範囲外";
/// Stats: the summary.
pub const STATS_CALIBRATION_SUMMARY: &str =
    "  80%の範囲に入った回: {inside}/{total}(予測が正しければ約8割)";
/// Stats: none.
pub const NONE: &str = "なし";

/// Help: title.
pub const HELP_TITLE: &str = "ヘルプ({key:help} または Esc で閉じる)";
/// Help: the bottom line when the keys do not fit; `{from}`–`{to}` of `{total}` show.
pub const HELP_SCROLL: &str = "↑↓ PgUp PgDn {from}-{to}/{total}";

/// Key hints: (the footer's word, the help's sentence) for each row of a screen's key table
/// (`app::hints`). An empty word keeps a row out of the footer.
pub mod hints {
    /// A pair of texts.
    type Pair = (&'static str, &'static str);
    /// The exam date input: decide.
    pub const DATE_OK: Pair = ("決定", "試験日を決める(空のままなら試験日を消す)");
    /// Typing: erase a character.
    pub const ERASE_CHAR: Pair = ("1文字消す", "1文字消す");
    /// Leave without doing it.
    pub const CANCEL: Pair = ("やめる", "やめる");
    /// Every screen: move.
    pub const MOVE: Pair = ("", "移動・スクロール");
    /// Every screen: pages.
    pub const PAGE: Pair = ("", "ページ単位でスクロール");
    /// Every screen: back.
    pub const BACK_OR_QUIT: Pair = ("", "戻る(ホームでは終了)");
    /// Help.
    pub const HELP: Pair = ("ヘルプ", "ヘルプを開く・閉じる");
    /// Reload.
    pub const RELOAD: Pair = ("再読込", "コンテンツを読み込み直す");
    /// Copy the id.
    pub const COPY_ID: Pair = ("", "表示中の項目の ID をコピー(shikaku card ID で使える)");
    /// Ctrl-C.
    pub const FORCE_QUIT: Pair = ("", "すぐに終了(模擬試験は保存)");
    /// A click.
    pub const CLICK: Pair = ("", "選択肢・行を選ぶ");
    /// Select a row.
    pub const SELECT: Pair = ("選択", "行を選ぶ");
    /// Open the highlighted row.
    pub const OPEN: Pair = ("開く", "選んだ行を開く");
    /// Home: the menu by number.
    pub const MENU_PICK: Pair = ("", "メニューを番号で開く");
    /// Home: the weakest tasks.
    pub const WEAK_TASKS: Pair = ("", "予測で弱いタスク(1〜3番目)の問題を演習");
    /// Search.
    pub const SEARCH: Pair = ("検索", "検索");
    /// The simulator.
    pub const SIMULATOR: Pair = ("", "シミュレータ");
    /// Home: the exam date.
    pub const EXAM_DATE: Pair = (
        "試験日",
        "試験日を設定する(YYYY-MM-DD、空で解除。config.toml に保存)",
    );
    /// Home: content problems.
    pub const PROBLEMS: Pair = ("問題", "コンテンツの問題を表示");
    /// Undo.
    pub const UNDO: Pair = ("取消", "直前の回答を取り消す(再起動後も可)");
    /// Home: quit.
    pub const QUIT: Pair = ("終了", "終了");
    /// Start.
    pub const START: Pair = ("開始", "選んだ範囲で始める");
    /// Practice: a row by number.
    pub const ROW_PICK: Pair = ("", "行を番号で開く(10行以上は2桁)");
    /// Back.
    pub const BACK: Pair = ("戻る", "前の画面に戻る");
    /// The topic card.
    pub const TOPIC: Pair = ("カード", "トピックカードを開く");
    /// The linked scenario.
    pub const SIM_LINK: Pair = ("シミュ", "シミュレータでシナリオを開く");
    /// The end of a quiz.
    pub const TO_HOME: Pair = ("ホームへ", "演習を終えて戻る");
    /// Order: pick the next.
    pub const ORDER_PICK: Pair = ("順に選ぶ", "正しい順に番号で選ぶ");
    /// Order: take one back.
    pub const ORDER_ERASE: Pair = ("1つ戻す", "最後に選んだものを1つ戻す");
    /// Match: move on the left.
    pub const MATCH_LEFT: Pair = ("左", "左の項目を選ぶ");
    /// Match: assign a right.
    pub const MATCH_PICK: Pair = ("右を割当", "カーソルの左の項目に右の番号を割り当てる");
    /// Match: clear.
    pub const MATCH_ERASE: Pair = ("解除", "カーソルの左の項目の割り当てを外す");
    /// A choice by number.
    pub const CHOICE_PICK: Pair = ("選択", "選択肢を番号で選ぶ");
    /// The choice under the cursor.
    pub const CHOICE_TOGGLE: Pair = ("", "カーソルの選択肢を選ぶ・外す");
    /// Answer.
    pub const ANSWER: Pair = ("回答", "回答する");
    /// Bury.
    pub const BURY: Pair = ("延期", "明日まで延期(埋める)");
    /// Suspend.
    pub const SUSPEND: Pair = ("停止", "停止(キューから外す)");
    /// Flag.
    pub const FLAG: Pair = (
        "フラグ",
        "フラグを付ける・外す(演習の「フラグ付きの問題」で解ける)",
    );
    /// Review: the neighbouring questions.
    pub const REVIEW_MOVE: Pair = ("前後の問題", "前後の問題の解説へ");
    /// Scroll.
    pub const SCROLL: Pair = ("スクロール", "スクロール");
    /// Review: back to the list.
    pub const TO_LIST: Pair = ("一覧へ", "問題ごとの結果の一覧へ戻る");
    /// The next question.
    pub const NEXT: Pair = ("次へ", "次の問題へ");
    /// Re-rate a right answer.
    pub const RERATE: Pair = ("評価", "正解のあと: 難しい / 正解 / 簡単 で評価を変える");
    /// The reasons of every wrong choice.
    pub const WHY: Pair = ("誤答の理由", "選ばなかった誤答の理由も表示");
    /// Study more.
    pub const MORE: Pair = (
        "さらに学ぶ",
        "さらに学ぶ: 新しい項目 / 先取り復習 / 苦手な項目から",
    );
    /// Study more: how many.
    pub const MORE_COUNT: Pair = ("件数", "さらに学ぶ件数(5 / 10 / 20)");
    /// Rate a card.
    pub const RATE: Pair = ("評価", "もう一度 / 難しい / 正解 / 簡単");
    /// Rate a card Good.
    pub const RATE_GOOD: Pair = ("正解", "「正解」で評価");
    /// Show a card's back.
    pub const REVEAL: Pair = ("裏面", "カードの裏面を表示");
    /// Exam lobby: confirm a new exam.
    pub const START_NEW_OK: Pair = ("始める", "中断中の試験を「中止」にして新しく始める");
    /// Exam lobby: resume.
    pub const RESUME: Pair = ("再開", "中断した模擬試験を再開");
    /// Exam lobby: a past attempt.
    pub const PAST_RESULT: Pair = ("結果", "選んだ回の結果と全問の復習を開く");
    /// Exam lobby: an attempt without a result.
    pub const NO_RESULT: Pair = ("", "");
    /// Exam lobby: a new exam.
    pub const START_NEW: Pair = (
        "新しく始める",
        "新しく始める(中断中の試験は確認のうえ「中止」になる)",
    );
    /// Exam lobby: past attempts.
    pub const HISTORY: Pair = ("過去の結果", "これまでの結果から選ぶ");
    /// Exam: previous and next question.
    pub const EXAM_MOVE: Pair = ("前後", "前の問題 / 次の問題");
    /// Exam: the last question's Enter.
    pub const TO_SUBMIT: Pair = ("提出へ", "最後の問題: 提出の確認へ");
    /// Exam: the navigator.
    pub const NAVIGATOR: Pair = ("一覧・提出", "問題一覧(移動と提出)");
    /// Exam: leave and keep the attempt.
    pub const SUSPEND_EXAM: Pair = ("中断", "中断して保存(模擬試験の画面で Enter を押すと再開)");
    /// Navigator: move.
    pub const NAV_MOVE: Pair = ("移動", "問題を選ぶ(↑↓ で10問ずつ)");
    /// Submit.
    pub const SUBMIT: Pair = ("提出", "提出して採点する");
    /// Navigator: go to the question.
    pub const JUMP: Pair = ("その問題へ", "選んだ問題へ移動");
    /// Back to the question.
    pub const BACK_TO_QUESTION: Pair = ("問題へ戻る", "問題へ戻る");
    /// Exam result: open the explanation.
    pub const EXPLAIN: Pair = ("解説", "選んだ問題の解説を開く");
    /// Search: the name of typing.
    pub const TYPING_KEY: &str = "文字";
    /// Search: type the query.
    pub const TYPE: Pair = (
        "検索",
        "検索語を入力(ひらがな・カタカナ・ローマ字、Ctrl-U で消去)",
    );
    /// Search: to the results.
    pub const TO_RESULTS: Pair = ("結果へ", "入力と結果の切り替え");
    /// Search: to the field.
    pub const TO_FIELD: Pair = ("入力へ", "入力と結果の切り替え");
    /// Simulator: a knob by number.
    pub const KNOB_PICK: Pair = ("切替", "ノブの値を番号で切り替える");
    /// Simulator: a statement by number.
    pub const STATEMENT_PICK: Pair = ("オン/オフ", "ステートメントを番号でオン/オフ");
    /// Simulator: knobs or statements.
    pub const KNOBS_OR_STATEMENTS: Pair = ("ノブ/文", "ノブとステートメントの切り替え");
    /// Simulator: the highlighted one.
    pub const SIM_TOGGLE: Pair = ("", "カーソルの項目を切り替える");
    /// Simulator: edit.
    pub const EDIT: Pair = (
        "編集",
        "$EDITOR でシナリオのコピー(データディレクトリ)を編集し、戻ると再評価",
    );
    /// Simulator: reset.
    pub const RESET: Pair = ("元に戻す", "編集したコピーを捨てて元のシナリオに戻す");
    /// Simulator: the decision table.
    pub const TABLE: Pair = (
        "決定表",
        "決定表: ノブの値の全組み合わせと判定(Enter でその組み合わせに、{key:table}/Esc で閉じる)",
    );
    /// Decision table: apply the highlighted row.
    pub const TABLE_APPLY: Pair = ("この組み合わせにする", "カーソルの行の値をノブに反映する");
    /// Decision table: close.
    pub const TABLE_CLOSE: Pair = ("閉じる", "決定表を閉じる");
    /// Card: practise its questions.
    pub const PRACTICE_TOPIC: Pair = ("演習", "このトピックの問題を演習");
    /// Card: suspend or not.
    pub const SUSPEND_TOGGLE: Pair = ("停止", "停止する・停止を解除する");
}
/// Study and practice: before the intervals each re-rating key gives.
pub const RERATE_INTERVALS: &str = "次の間隔: ";
