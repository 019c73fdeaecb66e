//! Document tree → [`NetworkScenario`]: the flow, the target and peer ENIs, security groups and
//! network ACLs, with every problem reported at its span.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::build::Cx;
use super::keys;
use crate::sim::ip::{Cidr, parse_ip};
use crate::sim::network::{
    Destination, Direction, Endpoint, Flow, IcmpMatch, Nacl, NaclRule, NetworkScenario, Ports,
    Protocol, Route, RouteTable, RouteTarget, Routing, SecurityGroup, SgPeer, SgRule,
};
use crate::sim::scenario::ScenarioErrorKind as K;
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
            cx.err(K::InvalidValue, &span, format!("direction `{other}` はありません"), Some("\"inbound\"(クライアントがターゲットに接続)か \"outbound\"(ターゲットが接続を始める)です".into()));
            None
        }
        None => None,
    };
    let groups = security_groups(cx, root.get("security_groups"));
    let flow = match root.get("flow") {
        Some(n) => flow(cx, n),
        None => {
            cx.err(K::MissingKey, &root.span, "[flow] がありません", None);
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
            cx.err(K::MissingKey, &root.span, "[target] がありません", None);
            None
        }
    };
    let peer = match root.get("peer") {
        Some(n) => Some(endpoint(cx, n, "[peer]", "subnet_nacl", None)?),
        None => None,
    };
    let mut groups = groups?;
    resolve_prefix_lists(cx, root, &mut groups, [target.as_ref(), peer.as_ref()]);
    cross_region_references(cx, root, &groups, target.as_ref(), peer.as_ref());
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
                        K::UnknownReference,
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
    if !target.owns(own_ip) {
        let span = root
            .get("flow")
            .and_then(|f| f.get(own_key))
            .map_or(root.span.clone(), |n| n.span.clone());
        cx.err(K::Conflict,
            &span,
            format!(
                "flow.{own_key}({own_ip})がターゲットの ip({})と違います",
                target.ip
            ),
            Some(
                "inbound ではターゲットが宛先(dst_ip)、outbound ではターゲットが送信元(src_ip)です(ip、ipv6、public_ip のどれか)"
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
                K::WrongType,
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
            K::InvalidValue,
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
                K::WrongType,
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
                    K::InvalidValue,
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
                K::InvalidValue,
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
                K::InvalidValue,
                &node.span,
                m,
                Some("例: \"0.0.0.0/0\"、\"10.0.1.0/24\"、\"::/0\"".into()),
            );
            None
        }
        None => {
            cx.err(K::WrongType, &node.span, "CIDR は文字列で書きます", None);
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
            cx.err(K::InvalidValue, &span, m, None);
            None
        }
    }
}

fn flow(cx: &mut Cx<'_>, node: &Node) -> Option<Flow> {
    let place = "[flow]";
    let node = cx.table(node, place)?;
    cx.keys(node, keys::FLOW, place);
    let protocol = match node.get("protocol") {
        Some(p) => protocol(cx, p, place),
        None => {
            cx.err(
                K::MissingKey,
                &node.span,
                "[flow] に protocol がありません",
                None,
            );
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
            K::MissingKey,
            &node.span,
            "tcp / udp の flow には dst_port が必要です",
            None,
        );
        return None;
    }
    if protocol == Protocol::All {
        cx.err(
            K::InvalidValue,
            &node.span,
            "flow の protocol には実際のプロトコル(tcp、udp、icmp など)を書きます",
            None,
        );
        return None;
    }
    let icmp = if protocol.is_icmp() {
        // A packet has one type and one code; -1 ("every") belongs to rules only.
        let m = icmp_match(cx, node, Every::Rejected)?;
        let default_type = if protocol == Protocol::Number(58) {
            128
        } else {
            8
        };
        Some((m.icmp_type.unwrap_or(default_type), m.code.unwrap_or(0)))
    } else {
        for key in ["icmp_type", "icmp_code"] {
            if let Some(n) = node.get(key) {
                cx.err(
                    K::Conflict,
                    &n.span,
                    format!("{key} は icmp / icmpv6 の flow だけに書きます"),
                    None,
                );
                return None;
            }
        }
        None
    };
    let (src_ip, dst_ip) = (src_ip?, dst_ip?);
    Some(Flow {
        protocol,
        src_ip,
        src_port: src_port?,
        dst_ip,
        dst_port: dst_port?,
        icmp,
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
    let mut allowed = keys::ENDPOINT.to_vec();
    if nacl_key == "subnet_nacl" {
        allowed.extend(keys::PEER_EXTRA);
    }
    cx.keys(node, &allowed, place);
    let eni = cx.opt_string(node, "eni", place).unwrap_or("").to_string();
    let addr = ip(cx, node, "ip", place);
    let subnet = match node.get("subnet_cidr") {
        Some(n) => cidr(cx, n),
        None => {
            cx.err(
                K::MissingKey,
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
                    K::WrongType,
                    &n.span,
                    "security_groups はセキュリティグループの id の配列で書きます",
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
    let ipv6 = opt_ip(cx, node, "ipv6", place);
    let subnet_ipv6 = match node.get("subnet_ipv6_cidr") {
        Some(n) => cidr(cx, n).map(Some),
        None => Some(None),
    };
    let public_ip = opt_ip(cx, node, "public_ip", place);
    let routing = match node.get("vpc") {
        Some(v) => Some(routing(cx, node, v, place)?),
        None => {
            if let Some(n) = node.get("route_table") {
                cx.err(K::MissingKey, &n.span, format!("route_table を書くときは {place}.vpc(VPC の cidr と route_tables)も書きます"), None);
            }
            None
        }
    };
    let (addr, subnet, ipv6, subnet_ipv6, public_ip) =
        (addr?, subnet?, ipv6?, subnet_ipv6?, public_ip?);
    if let Some(v6) = ipv6 {
        match subnet_ipv6 {
            Some(c) if c.contains(v6) => {}
            Some(c) => {
                let span = node
                    .get("ipv6")
                    .map_or(node.span.clone(), |n| n.span.clone());
                cx.err(
                    K::Conflict,
                    &span,
                    format!("{place}の ipv6 {v6} が subnet_ipv6_cidr {c} に入っていません"),
                    None,
                );
            }
            None => {
                let span = node
                    .get("ipv6")
                    .map_or(node.span.clone(), |n| n.span.clone());
                cx.err(K::MissingKey, &span, format!("{place}に ipv6 を書くときは subnet_ipv6_cidr(デュアルスタックのサブネットの IPv6 CIDR)も書きます"), None);
            }
        }
    }
    if let Some(r) = &routing {
        for (a, what) in [(Some(addr), "ip"), (ipv6, "ipv6")] {
            if let Some(a) = a
                && !r.cidrs.iter().any(|c| c.contains(a))
            {
                cx.err(
                    K::Conflict,
                    &node.span,
                    format!("{place}の {what} {a} が VPC の CIDR に入っていません"),
                    None,
                );
            }
        }
    }
    if !subnet.contains(addr) {
        let span = node.get("ip").map_or(node.span.clone(), |n| n.span.clone());
        cx.err(
            K::Conflict,
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
        ipv6,
        subnet_ipv6,
        public_ip,
        routing,
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
        cx.keys(g, keys::SECURITY_GROUP, &place);
        let mut group = SecurityGroup::default();
        for (key, rules) in [
            ("ingress", &mut group.ingress),
            ("egress", &mut group.egress),
        ] {
            let Some(list) = g.get(key) else { continue };
            let Some(items) = list.as_array() else {
                cx.err(
                    K::WrongType,
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
    cx.keys(node, keys::SG_RULE, "セキュリティグループのルール");
    let protocol = match node.get("protocol") {
        Some(p) => protocol(cx, p, place),
        None => {
            cx.err(
                K::MissingKey,
                &node.span,
                "ルールに protocol がありません",
                Some("すべてのプロトコルなら protocol = \"-1\" と書きます".into()),
            );
            None
        }
    };
    let ports = ports(cx, node);
    let icmp = rule_icmp(cx, node, protocol);
    let written = ["cidr", "source_sg", "prefix_list"]
        .iter()
        .filter(|k| node.get(k).is_some())
        .count();
    let peer = match (node.get("cidr"), node.get("source_sg")) {
        (Some(_), Some(s)) => {
            cx.err(
                K::Conflict,
                &s.span,
                "1 つのルールに cidr と source_sg の両方は書けません",
                Some("別々のルールに分けます".into()),
            );
            None
        }
        _ if written > 1 => {
            cx.err(K::Conflict,
                &node.span,
                "1 つのルールに書ける送信元 / 送信先は cidr、source_sg、prefix_list のどれか 1 つです",
                Some("別々のルールに分けます".into()),
            );
            None
        }
        (None, None) if node.get("prefix_list").is_some() => {
            match node.get("prefix_list").and_then(Node::as_str) {
                Some(id) if id.starts_with("pl-") => Some(SgPeer::PrefixList {
                    id: id.to_string(),
                    cidrs: Vec::new(),
                }),
                _ => {
                    let n = node.get("prefix_list")?;
                    cx.err(
                        K::InvalidValue,
                        &n.span,
                        "prefix_list はプレフィックスリストの id(\"pl-…\")で書きます",
                        None,
                    );
                    None
                }
            }
        }
        (Some(c), None) => cidr(cx, c).map(SgPeer::Cidr),
        (None, Some(s)) => match s.as_str() {
            Some(id) => Some(SgPeer::Group(id.to_string())),
            None => {
                cx.err(
                    K::InvalidValue,
                    &s.span,
                    "source_sg はセキュリティグループの id(文字列)で書きます",
                    None,
                );
                None
            }
        },
        (None, None) => {
            cx.err(
                K::MissingKey,
                &node.span,
                "ルールに cidr、source_sg、prefix_list のどれかが必要です",
                None,
            );
            None
        }
    };
    Some(SgRule {
        protocol: protocol?,
        ports: ports?,
        peer: peer?,
        icmp: icmp?,
    })
}

fn nacl(cx: &mut Cx<'_>, node: &Node) -> Option<Nacl> {
    let place = "ネットワーク ACL";
    let node = cx.table(node, place)?;
    cx.keys(node, keys::NACL, place);
    let mut out = Nacl::default();
    let mut ok = true;
    for (key, rules) in [("ingress", &mut out.ingress), ("egress", &mut out.egress)] {
        let Some(list) = node.get(key) else { continue };
        let Some(items) = list.as_array() else {
            cx.err(
                K::WrongType,
                &list.span,
                format!("ネットワーク ACLの {key} はルールの配列で書きます"),
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
                            K::Duplicate,
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
    let place = "ネットワーク ACLのルール";
    let node = cx.table(node, place)?;
    cx.keys(node, keys::NACL_RULE, place);
    let number = match node.get("rule") {
        Some(Node {
            value: Value::Int(n),
            ..
        }) if (1..=32766).contains(n) => Some(*n as u32),
        Some(n) => {
            cx.err(
                K::WrongType,
                &n.span,
                "rule は 1〜32766 の整数で書きます",
                None,
            );
            None
        }
        None => {
            cx.err(
                K::MissingKey,
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
            cx.err(
                K::MissingKey,
                &node.span,
                "ルールに protocol がありません",
                None,
            );
            None
        }
    };
    let ports = ports(cx, node);
    let icmp = rule_icmp(cx, node, protocol);
    let cidr = match node.get("cidr") {
        Some(c) => cidr(cx, c),
        None => {
            cx.err(
                K::MissingKey,
                &node.span,
                "ネットワーク ACLのルールには cidr が必要です",
                Some("ネットワーク ACLはセキュリティグループを参照できません".into()),
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
                K::InvalidValue,
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
        icmp: icmp?,
    })
}

/// Whether `icmp_type` / `icmp_code` may be -1 ("every"): in rules, not in a flow's packet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Every {
    Allowed,
    Rejected,
}

/// `icmp_type` / `icmp_code`: 0 to 255, or -1 (every type / code) where `every` allows it;
/// absent = every.
fn icmp_match(cx: &mut Cx<'_>, node: &Node, every: Every) -> Option<IcmpMatch> {
    let mut one = |key: &str| -> Option<Option<u8>> {
        match node.get(key) {
            None => Some(None),
            Some(Node {
                value: Value::Int(-1),
                ..
            }) if every == Every::Allowed => Some(None),
            Some(
                n @ Node {
                    value: Value::Int(-1),
                    ..
                },
            ) => {
                cx.err(
                    K::InvalidValue,
                    &n.span,
                    format!("flow の {key} は 1 つの値(0〜255)で書きます。-1(すべて)はルールにだけ書けます"),
                    Some("例: エコー要求は icmp_type = 8、icmp_code = 0".into()),
                );
                None
            }
            Some(Node {
                value: Value::Int(i),
                ..
            }) if (0..=255).contains(i) => Some(Some(*i as u8)),
            Some(n) => {
                cx.err(
                    K::InvalidValue,
                    &n.span,
                    format!("{key} は 0〜255 の整数か -1(すべて)で書きます"),
                    Some("例: エコー要求は icmp_type = 8、エコー応答は icmp_type = 0".into()),
                );
                None
            }
        }
    };
    let (t, c) = (one("icmp_type"), one("icmp_code"));
    let (icmp_type, code) = (t?, c?);
    if icmp_type.is_none() && code.is_some() {
        let n = node.get("icmp_code")?;
        cx.err(
            K::MissingKey,
            &n.span,
            "icmp_code を書くときは icmp_type も書きます",
            None,
        );
        return None;
    }
    Some(IcmpMatch { icmp_type, code })
}

/// ICMP fields of a rule: only on icmp / icmpv6 rules.
fn rule_icmp(
    cx: &mut Cx<'_>,
    node: &Node,
    protocol: Option<Protocol>,
) -> Option<Option<IcmpMatch>> {
    let written = node.get("icmp_type").is_some() || node.get("icmp_code").is_some();
    match protocol {
        Some(p) if p.is_icmp() => {
            let m = icmp_match(cx, node, Every::Allowed)?;
            Some((m != IcmpMatch::default()).then_some(m))
        }
        _ if written => {
            let n = node.get("icmp_type").or(node.get("icmp_code"))?;
            cx.err(
                K::Conflict,
                &n.span,
                "icmp_type / icmp_code は protocol が icmp / icmpv6 のルールだけに書きます",
                None,
            );
            None
        }
        _ => Some(None),
    }
}

fn opt_ip(cx: &mut Cx<'_>, node: &Node, key: &str, place: &str) -> Option<Option<IpAddr>> {
    if node.get(key).is_none() {
        return Some(None);
    }
    ip(cx, node, key, place).map(Some)
}

fn cidr_list(cx: &mut Cx<'_>, node: &Node) -> Option<Vec<Cidr>> {
    match &node.value {
        Value::Str(_) => cidr(cx, node).map(|c| vec![c]),
        Value::Array(items) => items.iter().map(|n| cidr(cx, n)).collect(),
        _ => {
            cx.err(
                K::WrongType,
                &node.span,
                "CIDR は文字列か文字列の配列で書きます",
                None,
            );
            None
        }
    }
}

/// `[target.vpc]` / `[peer.vpc]`: the VPC's CIDR blocks, route tables, NAT gateways and prefix
/// lists, and the route table of the ENI's subnet (`route_table`, else the main one).
fn routing(cx: &mut Cx<'_>, ep: &Node, vpc: &Node, place: &str) -> Option<Routing> {
    let vplace = format!("{place}.vpc");
    let vpc = cx.table(vpc, &vplace)?;
    cx.keys(vpc, keys::VPC, &vplace);
    let id = cx
        .opt_string(vpc, "id", &vplace)
        .unwrap_or("VPC")
        .to_string();
    let region = cx.opt_string(vpc, "region", &vplace).map(str::to_string);
    let mut cidrs = match vpc.get("cidr") {
        Some(n) => cidr_list(cx, n)?,
        None => {
            cx.err(
                K::MissingKey,
                &vpc.span,
                format!("{vplace} に cidr(VPC の CIDR)がありません"),
                Some("例: cidr = \"10.0.0.0/16\"".into()),
            );
            return None;
        }
    };
    if let Some(n) = vpc.get("ipv6_cidr") {
        cidrs.extend(cidr_list(cx, n)?);
    }
    let mut prefix_lists: BTreeMap<String, Vec<Cidr>> = BTreeMap::new();
    if let Some(n) = vpc.get("prefix_lists") {
        let n = cx.table(n, "prefix_lists")?;
        for e in n.entries().unwrap_or(&[]) {
            if !e.key.starts_with("pl-") {
                cx.err(
                    K::InvalidValue,
                    &e.node.span,
                    format!("プレフィックスリストの id `{}` は pl- で始めます", e.key),
                    None,
                );
                continue;
            }
            if let Some(list) = cidr_list(cx, &e.node) {
                prefix_lists.insert(e.key.clone(), list);
            }
        }
    }
    let mut tables: BTreeMap<String, RouteTable> = BTreeMap::new();
    if let Some(n) = vpc.get("route_tables") {
        let n = cx.table(n, "route_tables")?;
        for e in n.entries().unwrap_or(&[]) {
            let tplace = format!("route_tables.{}", e.key);
            let Some(t) = cx.table(&e.node, &tplace) else {
                continue;
            };
            cx.keys(t, keys::ROUTE_TABLE, &tplace);
            let mut routes = Vec::new();
            let items = match t.get("routes") {
                Some(r) => match r.as_array() {
                    Some(items) => items,
                    None => {
                        cx.err(
                            K::WrongType,
                            &r.span,
                            format!("{tplace} の routes はルートの配列で書きます"),
                            None,
                        );
                        continue;
                    }
                },
                None => &[][..],
            };
            for r in items {
                if let Some(route) = route(cx, r, &prefix_lists) {
                    routes.push(route);
                }
            }
            tables.insert(
                e.key.clone(),
                RouteTable {
                    id: e.key.clone(),
                    main: false,
                    routes,
                },
            );
        }
    }
    let main = cx
        .opt_string(vpc, "main_route_table", &vplace)
        .map(str::to_string);
    if let Some(m) = &main {
        match tables.get_mut(m) {
            Some(t) => t.main = true,
            None => {
                let span = vpc
                    .get("main_route_table")
                    .map_or(vpc.span.clone(), |n| n.span.clone());
                cx.err(
                    K::UnknownReference,
                    &span,
                    format!("main_route_table `{m}` が route_tables にありません"),
                    None,
                );
                return None;
            }
        }
    }
    let table_of = |cx: &mut Cx<'_>,
                    name: Option<&str>,
                    span: &std::ops::Range<usize>|
     -> Option<RouteTable> {
        match name {
            Some(n) => match tables.get(n) {
                Some(t) => Some(t.clone()),
                None => {
                    cx.err(
                        K::UnknownReference,
                        span,
                        format!("ルートテーブル `{n}` が {vplace}.route_tables にありません"),
                        None,
                    );
                    None
                }
            },
            None => Some(match main.as_ref().and_then(|m| tables.get(m)) {
                Some(t) => t.clone(),
                // A VPC's main route table starts with the local route only.
                None => RouteTable {
                    id: "(local ルートのみ)".into(),
                    main: true,
                    routes: Vec::new(),
                },
            }),
        }
    };
    let mut nat_gateways = BTreeMap::new();
    if let Some(n) = vpc.get("nat_gateways") {
        let n = cx.table(n, "nat_gateways")?;
        for e in n.entries().unwrap_or(&[]) {
            let nplace = format!("nat_gateways.{}", e.key);
            let Some(g) = cx.table(&e.node, &nplace) else {
                continue;
            };
            cx.keys(g, keys::NAT_GATEWAY, &nplace);
            let Some(eip) = ip(cx, g, "elastic_ip", &nplace) else {
                continue;
            };
            let t = cx.opt_string(g, "route_table", &nplace).map(str::to_string);
            let span = g
                .get("route_table")
                .map_or(g.span.clone(), |n| n.span.clone());
            if let Some(table) = table_of(cx, t.as_deref(), &span) {
                nat_gateways.insert(
                    e.key.clone(),
                    crate::sim::network::NatGateway {
                        table,
                        elastic_ip: eip,
                    },
                );
            }
        }
    }
    let name = cx.opt_string(ep, "route_table", place).map(str::to_string);
    let span = ep
        .get("route_table")
        .map_or(ep.span.clone(), |n| n.span.clone());
    let table = table_of(cx, name.as_deref(), &span)?;
    // Every NAT gateway a route names must be described.
    for t in tables.values() {
        for r in &t.routes {
            if let RouteTarget::NatGateway(id) = &r.target
                && !nat_gateways.contains_key(id)
            {
                cx.err(K::UnknownReference, &vpc.span, format!("ルートテーブル {} のルートが NAT ゲートウェイ `{id}` を指していますが、{vplace}.nat_gateways にありません", t.id), Some(format!("[{vplace}.nat_gateways.{id}] に route_table(NAT ゲートウェイのサブネットのルートテーブル)と elastic_ip を書きます")));
            }
        }
    }
    Some(Routing {
        vpc: id,
        cidrs,
        region,
        table,
        nat_gateways,
    })
}

fn route(
    cx: &mut Cx<'_>,
    node: &Node,
    prefix_lists: &BTreeMap<String, Vec<Cidr>>,
) -> Option<Route> {
    let place = "ルート";
    let node = cx.table(node, place)?;
    cx.keys(node, keys::ROUTE, place);
    let dest_text = cx.string(node, "destination", place)?;
    let dnode = node.get("destination")?;
    let destination = if dest_text.starts_with("pl-") {
        match prefix_lists.get(dest_text) {
            Some(cidrs) => Destination::PrefixList {
                id: dest_text.to_string(),
                cidrs: cidrs.clone(),
            },
            None => {
                cx.err(
                    K::UnknownReference,
                    &dnode.span,
                    format!("プレフィックスリスト `{dest_text}` が prefix_lists にありません"),
                    Some("[target.vpc.prefix_lists] に \"pl-…\" = [\"CIDR\", …] を書きます".into()),
                );
                return None;
            }
        }
    } else {
        Destination::Cidr(cidr(cx, dnode)?)
    };
    let ttext = cx.string(node, "target", place)?;
    let tnode = node.get("target")?;
    let Some(mut target) = RouteTarget::parse(ttext) else {
        cx.err(K::InvalidValue, &tnode.span, format!("ルートのターゲット `{ttext}` の種類がわかりません"), Some("\"local\"、\"igw-…\"、\"eigw-…\"、\"nat-…\"、\"pcx-…\"、\"tgw-…\"、\"vpce-…\"、\"blackhole\" のどれかです".into()));
        return None;
    };
    match cx.opt_string(node, "state", place) {
        None | Some("active") => {}
        Some("blackhole") => target = RouteTarget::Blackhole,
        Some(other) => {
            let span = node
                .get("state")
                .map_or(node.span.clone(), |n| n.span.clone());
            cx.err(
                K::InvalidValue,
                &span,
                format!("state `{other}` はありません"),
                Some("\"active\" か \"blackhole\" です".into()),
            );
            return None;
        }
    }
    let v4 = match &destination {
        Destination::Cidr(c) => c.is_ipv4(),
        Destination::PrefixList { cidrs, .. } => cidrs.iter().all(|c| c.is_ipv4()),
    };
    let wrong = match &target {
        RouteTarget::NatGateway(_) if !v4 => Some(
            "NAT ゲートウェイへのルートの宛先は IPv4 です(IPv6 のアウトバウンド専用通信には Egress-Only インターネットゲートウェイを使います)",
        ),
        RouteTarget::EgressOnlyInternetGateway(_) if v4 => Some(
            "Egress-Only インターネットゲートウェイは IPv6 専用です(IPv4 には NAT ゲートウェイを使います)",
        ),
        RouteTarget::GatewayEndpoint(_) if matches!(destination, Destination::Cidr(_)) => {
            Some("ゲートウェイエンドポイントへのルートの宛先はプレフィックスリスト(pl-…)です")
        }
        RouteTarget::Local => {
            Some("local ルートは VPC の CIDR に自動で作られます(vpc.cidr に書きます)")
        }
        _ => None,
    };
    if let Some(m) = wrong {
        cx.err(K::InvalidValue, &node.span, m, None);
        return None;
    }
    Some(Route {
        destination,
        target,
    })
}

/// Fills the CIDR blocks of the prefix lists security group rules name, from the VPCs the
/// scenario describes.
fn resolve_prefix_lists(
    cx: &mut Cx<'_>,
    root: &Node,
    groups: &mut BTreeMap<String, SecurityGroup>,
    endpoints: [Option<&Endpoint>; 2],
) {
    let _ = endpoints;
    let mut lists: BTreeMap<String, Vec<Cidr>> = BTreeMap::new();
    for key in ["target", "peer"] {
        if let Some(pl) = root
            .get(key)
            .and_then(|n| n.get("vpc"))
            .and_then(|v| v.get("prefix_lists"))
        {
            for e in pl.entries().unwrap_or(&[]) {
                let values: Vec<Cidr> = match &e.node.value {
                    Value::Str(s) => Cidr::parse(s).ok().into_iter().collect(),
                    Value::Array(items) => items
                        .iter()
                        .filter_map(|n| n.as_str())
                        .filter_map(|s| Cidr::parse(s).ok())
                        .collect(),
                    _ => Vec::new(),
                };
                lists.entry(e.key.clone()).or_insert(values);
            }
        }
    }
    let span = root
        .get("security_groups")
        .map_or(root.span.clone(), |n| n.span.clone());
    for (gid, g) in groups.iter_mut() {
        for rule in g.ingress.iter_mut().chain(g.egress.iter_mut()) {
            if let SgPeer::PrefixList { id, cidrs } = &mut rule.peer {
                match lists.get(id.as_str()) {
                    Some(found) => *cidrs = found.clone(),
                    None => cx.err(K::UnknownReference,
                        &span,
                        format!("セキュリティグループ {gid} のルールのプレフィックスリスト `{id}` が定義されていません"),
                        Some(format!("[target.vpc.prefix_lists] に \"{id}\" = [\"CIDR\", …] を書きます")),
                    ),
                }
            }
        }
    }
}

/// Across a cross-Region VPC peering connection a security group rule cannot reference a
/// security group of the peer VPC (AWS: "You cannot reference the security group of a peer VPC
/// that's in a different Region").
fn cross_region_references(
    cx: &mut Cx<'_>,
    root: &Node,
    groups: &BTreeMap<String, SecurityGroup>,
    target: Option<&Endpoint>,
    peer: Option<&Endpoint>,
) {
    let (Some(t), Some(p)) = (target, peer) else {
        return;
    };
    let (Some(tr), Some(pr)) = (t.routing.as_ref(), p.routing.as_ref()) else {
        return;
    };
    let (Some(a), Some(b)) = (&tr.region, &pr.region) else {
        return;
    };
    if a == b {
        return;
    }
    let span = root
        .get("security_groups")
        .map_or(root.span.clone(), |n| n.span.clone());
    for (mine, theirs) in [(t, p), (p, t)] {
        for gid in &mine.security_groups {
            let Some(g) = groups.get(gid) else { continue };
            for rule in g.ingress.iter().chain(g.egress.iter()) {
                if let SgPeer::Group(other) = &rule.peer
                    && theirs.security_groups.contains(other)
                    && !mine.security_groups.contains(other)
                {
                    cx.err(K::Conflict,
                        &span,
                        format!("セキュリティグループ {gid} のルールが、別のリージョン({} と {})の VPC のセキュリティグループ {other} を参照しています。リージョン間の VPC ピアリングでは、ピア VPC のセキュリティグループを参照できません", a, b),
                        Some("ピア VPC の CIDR ブロック(またはプレフィックスリスト)を cidr に書きます".into()),
                    );
                }
            }
        }
    }
}
