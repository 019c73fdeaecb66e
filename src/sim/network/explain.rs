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
        Hop::NaclIngress => "ターゲットのサブネットのネットワーク ACL(インバウンド)",
        Hop::NaclEgress => "ターゲットのサブネットのネットワーク ACL(アウトバウンド)",
        Hop::NaclEgressReturn => {
            "ターゲットのサブネットのネットワーク ACL(アウトバウンド・戻りの通信)"
        }
        Hop::NaclIngressReturn => {
            "ターゲットのサブネットのネットワーク ACL(インバウンド・戻りの通信)"
        }
        Hop::PeerSgIngress => "相手側のセキュリティグループ(インバウンド)",
        Hop::PeerSgEgress => "相手側のセキュリティグループ(アウトバウンド)",
        Hop::PeerNaclIngress => "相手側のサブネットのネットワーク ACL(インバウンド)",
        Hop::PeerNaclEgress => "相手側のサブネットのネットワーク ACL(アウトバウンド)",
        Hop::PeerNaclEgressReturn => {
            "相手側のサブネットのネットワーク ACL(アウトバウンド・戻りの通信)"
        }
        Hop::PeerNaclIngressReturn => {
            "相手側のサブネットのネットワーク ACL(インバウンド・戻りの通信)"
        }
        Hop::Route => "ターゲットのサブネットのルートテーブル",
        Hop::RouteReturn => "ターゲットのサブネットのルートテーブル(戻りの通信)",
        Hop::PeerRoute => "相手側のサブネットのルートテーブル",
        Hop::PeerRouteReturn => "相手側のサブネットのルートテーブル(戻りの通信)",
        Hop::NoRoute
        | Hop::Blackhole
        | Hop::NoPublicIp
        | Hop::NatNoRoute
        | Hop::EgressOnly
        | Hop::PeeringNotTransitive => "ルートテーブル",
    }
}

/// Where a check happened: the routing position for a routing cause.
fn place(c: &Check) -> &'static str {
    where_label(c.at.unwrap_or(c.hop))
}

/// Why a routing cause blocks, in Japanese.
fn route_cause(hop: Hop) -> &'static str {
    match hop {
        Hop::NoRoute => {
            "宛先に一致するルートがないため、パケットは転送されません(ルートテーブルは宛先に一致するルートのうち最も長いプレフィックスのものを使います)"
        }
        Hop::Blackhole => {
            "一致したルートはブラックホール(ターゲットが削除されたルート)で、パケットは破棄されます"
        }
        Hop::NoPublicIp => {
            "インターネットゲートウェイへのルートはありますが、ENI にパブリック IPv4 アドレス(Elastic IP)がありません。インターネットゲートウェイはパブリック IPv4 アドレスを持つ ENI の通信だけを変換するので、インターネットとは通信できません"
        }
        Hop::NatNoRoute => {
            "NAT ゲートウェイの置かれたサブネットのルートテーブルにインターネットゲートウェイへのルートがありません。パブリック NAT ゲートウェイはパブリックサブネットに置き、そのサブネットの 0.0.0.0/0 をインターネットゲートウェイへ向けます"
        }
        Hop::EgressOnly => {
            "NAT ゲートウェイと Egress-Only インターネットゲートウェイは、VPC 内から始めた接続とその戻りだけを通し、外から始まる接続は届けません"
        }
        Hop::PeeringNotTransitive => {
            "VPC ピアリング接続は、直接つないだ 2 つの VPC の間の通信だけを運びます。別のピアリング接続への中継(推移的ピアリング)や、ピア VPC のインターネットゲートウェイ・NAT ゲートウェイ・VPN 接続などを経由する通信(エッジ間ルーティング)はできません。Transit Gateway を使うか、VPC どうしを直接ピアリングします"
        }
        _ => "",
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
    if c.at.is_some() {
        let rule = c.rule.clone().unwrap_or_default();
        return if c.passed && c.arrival {
            format!("{rule}(送信元 {})", c.packet.remote)
        } else if c.passed {
            format!("{rule} で転送されます(宛先 {})", c.packet.remote)
        } else {
            format!("{rule}。{}", route_cause(c.hop))
        };
    }
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
                "{kind}は到達できます。セキュリティグループはステートフルなので戻りの通信は自動で許可され、ネットワーク ACL は往路と戻り{back}の両方を許可しています{}",
                if all.iter().any(|c| c.at.is_some()) {
                    "。ルートテーブルにも往路と戻りの経路があります"
                } else {
                    ""
                }
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
                                place(c)
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
    if c.at.is_some() {
        return format!(
            "{}で止まります: {}。{}",
            place(c),
            c.rule.clone().unwrap_or_default(),
            route_cause(c.hop)
        );
    }
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
            "{place}で、{rule} が最初に一致して拒否しています({packet})。ネットワーク ACL は番号の小さいルールから順に評価し、最初に一致したルールで決まります"
        )
    };
    if is_return(c.hop) && c.packet.protocol.has_ports() {
        format!(
            "{first}。ネットワーク ACL はステートレスなので、戻りの通信(クライアントのエフェメラルポート宛て、例: 1024-65535)も明示的に許可する必要があります"
        )
    } else if is_return(c.hop) {
        format!(
            "{first}。ネットワーク ACL はステートレスなので、戻りの通信も明示的に許可する必要があります"
        )
    } else {
        first
    }
}
