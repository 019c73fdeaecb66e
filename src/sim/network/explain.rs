//! Japanese explanations of network checks: what each check saw, which rule decided, and one
//! sentence on why the connection is (un)reachable.

use super::{Check, Direction, Hop, NetworkScenario, checks};

/// One check in the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct HopTrace {
    /// Which check.
    pub hop: Hop,
    /// It let the packet through.
    pub passed: bool,
    /// The packet got this far (false for every check after the one that blocks: they are
    /// neither passed nor failed).
    pub reached: bool,
    /// The rule that decided, if any.
    pub rule: Option<String>,
    /// Why, in Japanese.
    pub reason: String,
}

/// The explained result of a network scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkOutcome {
    /// The connection works (request and response).
    pub reachable: bool,
    /// The first check that blocks.
    pub blocked_at: Option<Hop>,
    /// The sentence naming the decisive rule.
    pub explanation: String,
    /// Every check, in the order packets meet them.
    pub trace: Vec<HopTrace>,
}

fn where_label(hop: Hop) -> &'static str {
    match hop {
        Hop::SgIngress => "ターゲットのセキュリティグループ(インバウンド)",
        Hop::SgEgress => "ターゲットのセキュリティグループ(アウトバウンド)",
        Hop::NaclIngress => "ターゲットのサブネットのネットワークACL(インバウンド)",
        Hop::NaclEgress => "ターゲットのサブネットのネットワークACL(アウトバウンド)",
        Hop::NaclEgressReturn => {
            "ターゲットのサブネットのネットワークACL(アウトバウンド・戻りの通信)"
        }
        Hop::NaclIngressReturn => {
            "ターゲットのサブネットのネットワークACL(インバウンド・戻りの通信)"
        }
        Hop::PeerSgIngress => "相手側のセキュリティグループ(インバウンド)",
        Hop::PeerSgEgress => "相手側のセキュリティグループ(アウトバウンド)",
        Hop::PeerNaclIngress => "相手側のサブネットのネットワークACL(インバウンド)",
        Hop::PeerNaclEgress => "相手側のサブネットのネットワークACL(アウトバウンド)",
        Hop::PeerNaclEgressReturn => {
            "相手側のサブネットのネットワークACL(アウトバウンド・戻りの通信)"
        }
        Hop::PeerNaclIngressReturn => {
            "相手側のサブネットのネットワークACL(インバウンド・戻りの通信)"
        }
    }
}

fn is_sg(hop: Hop) -> bool {
    matches!(
        hop,
        Hop::SgIngress | Hop::SgEgress | Hop::PeerSgIngress | Hop::PeerSgEgress
    )
}

fn is_return(hop: Hop) -> bool {
    matches!(
        hop,
        Hop::NaclEgressReturn
            | Hop::NaclIngressReturn
            | Hop::PeerNaclEgressReturn
            | Hop::PeerNaclIngressReturn
    )
}

fn is_ingress(hop: Hop) -> bool {
    matches!(
        hop,
        Hop::SgIngress
            | Hop::NaclIngress
            | Hop::NaclIngressReturn
            | Hop::PeerSgIngress
            | Hop::PeerNaclIngress
            | Hop::PeerNaclIngressReturn
    )
}

fn packet_text(c: &Check) -> String {
    let side = if is_ingress(c.hop) {
        "送信元"
    } else {
        "宛先"
    };
    let port = match c.packet.port {
        Some(p) if c.packet.protocol.has_ports() => format!("、宛先ポート {p}"),
        _ => String::new(),
    };
    format!("{}、{side} {}{port}", c.packet.protocol, c.packet.remote)
}

fn reason(c: &Check) -> String {
    let packet = packet_text(c);
    if let Some(note) = c.note {
        return format!("{note}({packet})");
    }
    match (c.passed, &c.rule, is_sg(c.hop)) {
        (true, Some(rule), _) => format!("{rule} が許可しました({packet})"),
        (false, None, true) => {
            format!("この通信({packet})を許可するルールがどのセキュリティグループにもありません")
        }
        (false, Some(rule), _) => format!("{rule} に一致して拒否されました({packet})"),
        (true, None, _) | (false, None, false) => format!("({packet})"),
    }
}

/// Runs the checks and explains them.
pub fn explain(sc: &NetworkScenario) -> NetworkOutcome {
    let all = checks(sc);
    let blocked = all.iter().find(|c| !c.passed);
    let explanation = match blocked {
        None => {
            let kind = match sc.direction {
                Direction::Inbound => "クライアントからターゲットへの接続",
                Direction::Outbound => "ターゲットから相手への接続",
            };
            let back = if sc.flow.protocol.has_ports() {
                format!("(ポート {})", sc.flow.src_port)
            } else {
                String::new()
            };
            format!(
                "{kind}は到達できます。セキュリティグループはステートフルなので戻りの通信は自動で許可され、ネットワークACLは往路と戻り{back}の両方を許可しています"
            )
        }
        Some(c) => blocked_sentence(c),
    };
    NetworkOutcome {
        reachable: blocked.is_none(),
        blocked_at: blocked.map(|c| c.hop),
        explanation,
        trace: {
            let mut reached = true;
            all.iter()
                .map(|c| {
                    let t = if reached {
                        HopTrace {
                            hop: c.hop,
                            passed: c.passed,
                            reached: true,
                            rule: c.rule.clone(),
                            reason: reason(c),
                        }
                    } else {
                        HopTrace {
                            hop: c.hop,
                            passed: false,
                            reached: false,
                            rule: None,
                            reason: format!(
                                "手前のチェックで遮断されたため、パケットはここ({})に届きません",
                                where_label(c.hop)
                            ),
                        }
                    };
                    reached &= c.passed;
                    t
                })
                .collect()
        },
    }
}

fn blocked_sentence(c: &Check) -> String {
    let place = where_label(c.hop);
    let packet = packet_text(c);
    if is_sg(c.hop) {
        return format!(
            "{place}に、この通信({packet})を許可するルールがありません。セキュリティグループには許可ルールしか書けず、どのルールにも一致しない通信は拒否されます"
        );
    }
    let rule = c.rule.clone().unwrap_or_default();
    let first = if rule.starts_with("ルール *") {
        format!(
            "{place}で、どの番号付きルールにも一致せず、最後の * ルールで拒否されます({packet})"
        )
    } else {
        format!(
            "{place}で、{rule} が最初に一致して拒否しています({packet})。NACLは番号の小さいルールから順に評価し、最初に一致したルールで決まります"
        )
    };
    if is_return(c.hop) && c.packet.protocol.has_ports() {
        format!(
            "{first}。NACLはステートレスなので、戻りの通信(クライアントのエフェメラルポート宛て、例: 1024-65535)も明示的に許可する必要があります"
        )
    } else if is_return(c.hop) {
        format!("{first}。NACLはステートレスなので、戻りの通信も明示的に許可する必要があります")
    } else {
        first
    }
}
