//! Generated content for benchmarks: many realistic Japanese cards and questions.

#![allow(dead_code)]

use shikaku::content::{
    Blueprint, Card, Choice, Domain, Library, Misconception, Question, QuestionType,
};

const WORDS: &[&str] = &[
    "セキュリティグループ",
    "ネットワークACL",
    "IAMロール",
    "アクセス許可境界",
    "SCP",
    "KMSキー",
    "バケットポリシー",
    "VPCエンドポイント",
    "GuardDuty",
    "CloudTrail",
    "暗号化",
    "監査ログ",
    "クロスアカウント",
    "一時的な認証情報",
    "多要素認証",
    "Organizations",
    "Security Hub",
    "Macie",
    "Secrets Manager",
    "インシデント対応",
    "フォレンジック",
    "隔離",
    "自動修復",
    "EventBridge",
];

fn sentence(seed: usize, words: usize) -> String {
    (0..words)
        .map(|k| WORDS[(seed * 7 + k * 13 + k * k) % WORDS.len()])
        .collect::<Vec<_>>()
        .join("を使って")
        + "。要件を満たす最も運用負荷が低い方法はどれか。"
}

fn blueprint() -> Blueprint {
    let domains = [
        ("detection", "検出", 16),
        ("incident-response", "インシデント対応", 14),
        ("infrastructure", "インフラストラクチャのセキュリティ", 18),
        ("iam", "アイデンティティとアクセス管理", 20),
        ("data-protection", "データ保護", 18),
        ("governance", "セキュリティの基盤とガバナンス", 14),
    ];
    Blueprint {
        id: "SCS-C03".into(),
        name: "AWS Certified Security – Specialty (SCS-C03)".into(),
        questions: 65,
        scored: 50,
        minutes: 170,
        passing_score: 750,
        scale: [100, 1000],
        domains: domains
            .iter()
            .map(|(key, name, weight)| Domain {
                key: (*key).into(),
                name: (*name).into(),
                weight: *weight,
            })
            .collect(),
        tasks: vec![],
    }
}

/// A library of `n` questions, n/10 cards and n/20 misconceptions.
pub fn library(n: usize) -> Library {
    let keys = [
        "detection",
        "incident-response",
        "infrastructure",
        "iam",
        "data-protection",
        "governance",
    ];
    let cards: Vec<Card> = (0..n / 10)
        .map(|i| Card {
            id: format!("card-{i}"),
            title: format!("{}の基本 {i}", WORDS[i % WORDS.len()]),
            domain: keys[i % keys.len()].into(),
            tags: vec![],
            facts: (0..4).map(|k| sentence(i + k, 3)).collect(),
            body: None,
            related: vec![],
            sources: vec![],
        })
        .collect();
    let misconceptions: Vec<Misconception> = (0..n / 20)
        .map(|i| Misconception {
            id: format!("m-{i}"),
            belief: sentence(i, 2),
            correction: sentence(i + 1, 3),
            topics: vec![],
        })
        .collect();
    let questions: Vec<Question> = (0..n)
        .map(|i| Question {
            id: format!("q-{i}"),
            kind: QuestionType::Single,
            domain: keys[i % keys.len()].into(),
            // The embedded SCS-C03 blueprint lists tasks: each domain's first (`keys` is in the
            // guide's order), so the questions are valid and none is reported or dropped.
            task: Some(format!("{}.1", i % keys.len() + 1)),
            skills: vec![],
            topics: vec![format!("card-{}", i % (n / 10).max(1))],
            tags: vec![],
            scenario: None,
            no_scenario: Some("生成した問題".into()),
            prompt: sentence(i, 5),
            explanation: sentence(i + 3, 4),
            pick: None,
            choices: (0..4)
                .map(|k| Choice {
                    id: ["a", "b", "c", "d"][k].into(),
                    text: sentence(i + k, 2),
                    correct: k == 0,
                    why: (k != 0).then(|| sentence(i + k + 1, 2)),
                    misconception: None,
                })
                .collect(),
            items: vec![],
            pairs: vec![],
            sources: vec![],
            lint_allow: vec![],
        })
        .collect();
    Library::new(cards, questions, misconceptions, vec![blueprint()], vec![])
}
