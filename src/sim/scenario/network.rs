//! Document tree → [`NetworkScenario`]: the flow, the target and peer ENIs, security groups and
//! network ACLs, with every problem reported at its span.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::build::Cx;
use crate::sim::ip::{Cidr, parse_ip};
use crate::sim::network::{
    Direction, Endpoint, Flow, Nacl, NaclRule, NetworkScenario, Ports, Protocol, SecurityGroup,
    SgPeer, SgRule,
};
use crate::sim::tree::{Node, Value};

/// The client's port when the flow does not say.
pub const DEFAULT_EPHEMERAL_PORT: u16 = 49152;

pub(super) fn network(cx: &mut Cx<'_>, root: &Node) -> Option<NetworkScenario> {
    let direction = match cx.string(root, "direction", "シナリオ") {
        Some("inbound") => Some(Direction::Inbound),
        Some("outbound") => Some(Direction::Outbound),
        Some(other) => {
            let span = root
                .get("direction")
                .map_or(root.span.clone(), |n| n.span.clone());
            cx.err(&span, format!("direction `{other}` はありません"), Some("\"inbound\"(クライアントがターゲットに接続)か \"outbound\"(ターゲットが接続を始める)です".into()));
            None
        }
        None => None,
    };
    let groups = security_groups(cx, root.get("security_groups"));
    let flow = match root.get("flow") {
        Some(n) => flow(cx, n),
        None => {
            cx.err(&root.span, "[flow] がありません", None);
            None
        }
    };
    let target = match root.get("target") {
        Some(n) => endpoint(
            cx,
            n,
            "[target]",
            "subnet_nacl_absent",
            root.get("target_subnet_nacl"),
        ),
        None => {
            cx.err(&root.span, "[target] がありません", None);
            None
        }
    };
    let peer = match root.get("peer") {
        Some(n) => Some(endpoint(cx, n, "[peer]", "subnet_nacl", None)?),
        None => None,
    };
    let groups = groups?;
    for (ep, node) in [
        (target.as_ref(), root.get("target")),
        (peer.as_ref(), root.get("peer")),
    ] {
        if let (Some(ep), Some(node)) = (ep, node) {
            for id in &ep.security_groups {
                if !groups.contains_key(id) {
                    let span = node
                        .get("security_groups")
                        .map_or(node.span.clone(), |n| n.span.clone());
                    cx.err(
                        &span,
                        format!(
                            "セキュリティグループ `{id}` が [security_groups] に定義されていません"
                        ),
                        Some(format!(
                            "[security_groups.{id}] に ingress / egress を書きます"
                        )),
                    );
                }
            }
        }
    }
    let (direction, flow, target) = (direction?, flow?, target?);
    let (own_ip, own_key) = match direction {
        Direction::Inbound => (flow.dst_ip, "dst_ip"),
        Direction::Outbound => (flow.src_ip, "src_ip"),
    };
    if own_ip != target.ip {
        let span = root
            .get("flow")
            .and_then(|f| f.get(own_key))
            .map_or(root.span.clone(), |n| n.span.clone());
        cx.err(
            &span,
            format!(
                "flow.{own_key}({own_ip})がターゲットの ip({})と違います",
                target.ip
            ),
            Some(
                "inbound ではターゲットが宛先(dst_ip)、outbound ではターゲットが送信元(src_ip)です"
                    .into(),
            ),
        );
        return None;
    }
    Some(NetworkScenario {
        direction,
        flow,
        target,
        peer,
        security_groups: groups,
    })
}

fn protocol(cx: &mut Cx<'_>, node: &Node, place: &str) -> Option<Protocol> {
    let text = match &node.value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        _ => {
            cx.err(
                &node.span,
                format!(
                    "{place}の protocol は \"tcp\" \"udp\" \"icmp\" \"-1\" などの文字列で書きます"
                ),
                None,
            );
            return None;
        }
    };
    let p = Protocol::parse(&text);
    if p.is_none() {
        cx.err(
            &node.span,
            format!("protocol `{text}` はありません"),
            Some(
                "\"tcp\"、\"udp\"、\"icmp\"、\"icmpv6\"、\"-1\"(すべて)かプロトコル番号です".into(),
            ),
        );
    }
    p
}

fn port_number(cx: &mut Cx<'_>, node: &Node, what: &str) -> Option<u16> {
    match node.value {
        Value::Int(i) if (0..=65535).contains(&i) => Some(i as u16),
        _ => {
            cx.err(
                &node.span,
                format!("{what}は 0〜65535 の整数で書きます"),
                None,
            );
            None
        }
    }
}

/// `ports = [from, to]`, a single port, or absent / null for every port.
fn ports(cx: &mut Cx<'_>, rule: &Node) -> Option<Ports> {
    let Some(n) = rule.get("ports") else {
        return Some(None);
    };
    match &n.value {
        Value::Null => Some(None),
        Value::Int(_) => port_number(cx, n, "ポート").map(|p| Some((p, p))),
        Value::Array(items) if items.len() == 2 => {
            let (a, b) = (
                port_number(cx, &items[0], "ポート")?,
                port_number(cx, &items[1], "ポート")?,
            );
            if a > b {
                cx.err(
                    &n.span,
                    format!("ポート範囲 [{a}, {b}] の始まりが終わりより大きくなっています"),
                    None,
                );
                return None;
            }
            Some(Some((a, b)))
        }
        _ => {
            cx.err(
                &n.span,
                "ports は [開始, 終了] で書きます(すべてのポートなら書きません)",
                Some("例: ports = [443, 443]、ports = [1024, 65535]".into()),
            );
            None
        }
    }
}

fn cidr(cx: &mut Cx<'_>, node: &Node) -> Option<Cidr> {
    match node.as_str().map(Cidr::parse) {
        Some(Ok(c)) => Some(c),
        Some(Err(m)) => {
            cx.err(
                &node.span,
                m,
                Some("例: \"0.0.0.0/0\"、\"10.0.1.0/24\"、\"::/0\"".into()),
            );
            None
        }
        None => {
            cx.err(&node.span, "CIDR は文字列で書きます", None);
            None
        }
    }
}

fn ip(cx: &mut Cx<'_>, parent: &Node, key: &str, place: &str) -> Option<IpAddr> {
    let text = cx.string(parent, key, place)?;
    match parse_ip(text) {
        Ok(ip) => Some(ip),
        Err(m) => {
            let span = parent
                .get(key)
                .map_or(parent.span.clone(), |n| n.span.clone());
            cx.err(&span, m, None);
            None
        }
    }
}

fn flow(cx: &mut Cx<'_>, node: &Node) -> Option<Flow> {
    let place = "[flow]";
    let node = cx.table(node, place)?;
    cx.keys(
        node,
        &["protocol", "src_ip", "src_port", "dst_ip", "dst_port"],
        place,
    );
    let protocol = match node.get("protocol") {
        Some(p) => protocol(cx, p, place),
        None => {
            cx.err(&node.span, "[flow] に protocol がありません", None);
            None
        }
    };
    let src_ip = ip(cx, node, "src_ip", place);
    let dst_ip = ip(cx, node, "dst_ip", place);
    let src_port = match node.get("src_port") {
        Some(n) => port_number(cx, n, "src_port"),
        None => Some(DEFAULT_EPHEMERAL_PORT),
    };
    let dst_port = match node.get("dst_port") {
        Some(n) => port_number(cx, n, "dst_port").map(Some),
        None => Some(None),
    };
    let protocol = protocol?;
    if protocol.has_ports() && dst_port == Some(None) {
        cx.err(
            &node.span,
            "tcp / udp の flow には dst_port が必要です",
            None,
        );
        return None;
    }
    if protocol == Protocol::All {
        cx.err(
            &node.span,
            "flow の protocol には実際のプロトコル(tcp、udp、icmp など)を書きます",
            None,
        );
        return None;
    }
    Some(Flow {
        protocol,
        src_ip: src_ip?,
        src_port: src_port?,
        dst_ip: dst_ip?,
        dst_port: dst_port?,
    })
}

fn endpoint(
    cx: &mut Cx<'_>,
    node: &Node,
    place: &str,
    nacl_key: &str,
    outer_nacl: Option<&Node>,
) -> Option<Endpoint> {
    let node = cx.table(node, place)?;
    let mut allowed = vec!["eni", "ip", "subnet_cidr", "security_groups"];
    if nacl_key == "subnet_nacl" {
        allowed.push("subnet_nacl");
    }
    cx.keys(node, &allowed, place);
    let eni = cx.opt_string(node, "eni", place).unwrap_or("").to_string();
    let addr = ip(cx, node, "ip", place);
    let subnet = match node.get("subnet_cidr") {
        Some(n) => cidr(cx, n),
        None => {
            cx.err(
                &node.span,
                format!("{place}に subnet_cidr がありません"),
                None,
            );
            None
        }
    };
    let groups = match node.get("security_groups") {
        None => Some(Vec::new()),
        Some(n) => match n.as_array().map(|a| {
            a.iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        }) {
            Some(Some(v)) => Some(v),
            _ => {
                cx.err(
                    &n.span,
                    "security_groups は SG の id の配列で書きます",
                    None,
                );
                None
            }
        },
    };
    let nacl_node = if nacl_key == "subnet_nacl" {
        node.get("subnet_nacl")
    } else {
        outer_nacl
    };
    let nacl = match nacl_node {
        Some(n) => Some(nacl(cx, n)?),
        None => None,
    };
    let (addr, subnet) = (addr?, subnet?);
    if !subnet.contains(addr) {
        let span = node.get("ip").map_or(node.span.clone(), |n| n.span.clone());
        cx.err(
            &span,
            format!("{place}の ip {addr} が subnet_cidr {subnet} に入っていません"),
            None,
        );
    }
    Some(Endpoint {
        eni,
        ip: addr,
        subnet,
        security_groups: groups?,
        nacl,
    })
}

fn security_groups(
    cx: &mut Cx<'_>,
    node: Option<&Node>,
) -> Option<BTreeMap<String, SecurityGroup>> {
    let mut out = BTreeMap::new();
    let Some(node) = node else { return Some(out) };
    let node = cx.table(node, "[security_groups]")?;
    let mut ok = true;
    for e in node.entries().unwrap_or(&[]) {
        let place = format!("[security_groups.{}]", e.key);
        let Some(g) = cx.table(&e.node, &place) else {
            ok = false;
            continue;
        };
        cx.keys(g, &["ingress", "egress", "description"], &place);
        let mut group = SecurityGroup::default();
        for (key, rules) in [
            ("ingress", &mut group.ingress),
            ("egress", &mut group.egress),
        ] {
            let Some(list) = g.get(key) else { continue };
            let Some(items) = list.as_array() else {
                cx.err(
                    &list.span,
                    format!("{place} の {key} はルールの配列で書きます"),
                    None,
                );
                ok = false;
                continue;
            };
            for r in items {
                match sg_rule(cx, r, &place) {
                    Some(rule) => rules.push(rule),
                    None => ok = false,
                }
            }
        }
        out.insert(e.key.clone(), group);
    }
    ok.then_some(out)
}

fn sg_rule(cx: &mut Cx<'_>, node: &Node, place: &str) -> Option<SgRule> {
    let node = cx.table(node, "セキュリティグループのルール")?;
    cx.keys(
        node,
        &["protocol", "ports", "cidr", "source_sg", "description"],
        "セキュリティグループのルール",
    );
    let protocol = match node.get("protocol") {
        Some(p) => protocol(cx, p, place),
        None => {
            cx.err(
                &node.span,
                "ルールに protocol がありません",
                Some("すべてのプロトコルなら protocol = \"-1\" と書きます".into()),
            );
            None
        }
    };
    let ports = ports(cx, node);
    let peer = match (node.get("cidr"), node.get("source_sg")) {
        (Some(c), None) => cidr(cx, c).map(SgPeer::Cidr),
        (None, Some(s)) => match s.as_str() {
            Some(id) => Some(SgPeer::Group(id.to_string())),
            None => {
                cx.err(&s.span, "source_sg は SG の id(文字列)で書きます", None);
                None
            }
        },
        (Some(_), Some(s)) => {
            cx.err(
                &s.span,
                "1 つのルールに cidr と source_sg の両方は書けません",
                Some("別々のルールに分けます".into()),
            );
            None
        }
        (None, None) => {
            cx.err(&node.span, "ルールに cidr か source_sg が必要です", None);
            None
        }
    };
    Some(SgRule {
        protocol: protocol?,
        ports: ports?,
        peer: peer?,
    })
}

fn nacl(cx: &mut Cx<'_>, node: &Node) -> Option<Nacl> {
    let place = "ネットワークACL";
    let node = cx.table(node, place)?;
    cx.keys(node, &["ingress", "egress"], place);
    let mut out = Nacl::default();
    let mut ok = true;
    for (key, rules) in [("ingress", &mut out.ingress), ("egress", &mut out.egress)] {
        let Some(list) = node.get(key) else { continue };
        let Some(items) = list.as_array() else {
            cx.err(
                &list.span,
                format!("ネットワークACLの {key} はルールの配列で書きます"),
                None,
            );
            ok = false;
            continue;
        };
        for r in items {
            match nacl_rule(cx, r) {
                Some(rule) => {
                    if rules.iter().any(|x: &NaclRule| x.number == rule.number) {
                        let span = r.get("rule").map_or(r.span.clone(), |n| n.span.clone());
                        cx.err(
                            &span,
                            format!("ルール番号 {} が {key} で重複しています", rule.number),
                            None,
                        );
                        ok = false;
                    }
                    rules.push(rule);
                }
                None => ok = false,
            }
        }
        rules.sort_by_key(|r| r.number);
    }
    ok.then_some(out)
}

fn nacl_rule(cx: &mut Cx<'_>, node: &Node) -> Option<NaclRule> {
    let place = "ネットワークACLのルール";
    let node = cx.table(node, place)?;
    cx.keys(
        node,
        &["rule", "protocol", "ports", "cidr", "action", "description"],
        place,
    );
    let number = match node.get("rule") {
        Some(Node {
            value: Value::Int(n),
            ..
        }) if (1..=32766).contains(n) => Some(*n as u32),
        Some(n) => {
            cx.err(&n.span, "rule は 1〜32766 の整数で書きます", None);
            None
        }
        None => {
            cx.err(
                &node.span,
                "ルールに rule(番号)がありません",
                Some("番号の小さいルールから評価されます(例: rule = 100)".into()),
            );
            None
        }
    };
    let protocol = match node.get("protocol") {
        Some(p) => protocol(cx, p, place),
        None => {
            cx.err(&node.span, "ルールに protocol がありません", None);
            None
        }
    };
    let ports = ports(cx, node);
    let cidr = match node.get("cidr") {
        Some(c) => cidr(cx, c),
        None => {
            cx.err(
                &node.span,
                "ネットワークACLのルールには cidr が必要です",
                Some("ネットワークACLはセキュリティグループを参照できません".into()),
            );
            None
        }
    };
    let allow = match cx.string(node, "action", place) {
        Some("allow") => Some(true),
        Some("deny") => Some(false),
        Some(other) => {
            let span = node
                .get("action")
                .map_or(node.span.clone(), |n| n.span.clone());
            cx.err(
                &span,
                format!("action `{other}` はありません"),
                Some("\"allow\" か \"deny\" です".into()),
            );
            None
        }
        None => None,
    };
    Some(NaclRule {
        number: number?,
        protocol: protocol?,
        ports: ports?,
        cidr: cidr?,
        allow: allow?,
    })
}
