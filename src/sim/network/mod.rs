//! Network reachability: security groups (stateful, allow-only, the rules of every group on the
//! ENI unioned, `source_sg` resolved through the peer ENI) and network ACLs (stateless, lowest
//! rule number first, an implicit final deny, so the return traffic to the client's ephemeral
//! port is checked in the other direction). The result names the first check that blocks.

pub mod explain;

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use crate::sim::ip::Cidr;

pub use explain::{HopTrace, NetworkOutcome, explain};

/// Which end starts the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A client reaches the target ENI.
    Inbound,
    /// The target starts the connection.
    Outbound,
}

/// An IP protocol: `-1` (all) or a protocol number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `"-1"`: every protocol.
    All,
    /// A protocol number (6 = tcp, 17 = udp, 1 = icmp, 58 = icmpv6).
    Number(u8),
}

impl Protocol {
    /// Reads `"tcp"`, `"udp"`, `"icmp"`, `"icmpv6"`, `"-1"`, `"all"` or a number.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_lowercase().as_str() {
            "-1" | "all" => Self::All,
            "tcp" => Self::Number(6),
            "udp" => Self::Number(17),
            "icmp" => Self::Number(1),
            "icmpv6" => Self::Number(58),
            n => Self::Number(n.parse().ok()?),
        })
    }

    /// Ports only mean something for TCP and UDP.
    pub fn has_ports(self) -> bool {
        matches!(self, Self::Number(6 | 17))
    }

    fn covers(self, flow: Protocol) -> bool {
        self == Self::All || self == flow
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("すべて(-1)"),
            Self::Number(6) => f.write_str("tcp"),
            Self::Number(17) => f.write_str("udp"),
            Self::Number(1) => f.write_str("icmp"),
            Self::Number(58) => f.write_str("icmpv6"),
            Self::Number(n) => write!(f, "プロトコル {n}"),
        }
    }
}

/// A port range; `None` in rules means every port.
pub type Ports = Option<(u16, u16)>;

fn show_ports(ports: Ports) -> String {
    match ports {
        None => "全ポート".into(),
        Some((a, b)) if a == b => format!("ポート {a}"),
        Some((a, b)) => format!("ポート {a}-{b}"),
    }
}

/// Where a security group rule lets traffic come from (ingress) or go to (egress).
#[derive(Debug, Clone, PartialEq)]
pub enum SgPeer {
    /// A CIDR block.
    Cidr(Cidr),
    /// The ENIs that carry this security group.
    Group(String),
}

/// One allow rule of a security group.
#[derive(Debug, Clone, PartialEq)]
pub struct SgRule {
    /// The protocol.
    pub protocol: Protocol,
    /// The ports.
    pub ports: Ports,
    /// The source (ingress) or destination (egress).
    pub peer: SgPeer,
}

impl fmt::Display for SgRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let peer = match &self.peer {
            SgPeer::Cidr(c) => c.to_string(),
            SgPeer::Group(g) => format!("SG {g}"),
        };
        if self.protocol.has_ports() {
            write!(f, "{} {} {peer}", self.protocol, show_ports(self.ports))
        } else {
            write!(f, "{} {peer}", self.protocol)
        }
    }
}

/// A security group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecurityGroup {
    /// Inbound allow rules.
    pub ingress: Vec<SgRule>,
    /// Outbound allow rules.
    pub egress: Vec<SgRule>,
}

/// One numbered rule of a network ACL.
#[derive(Debug, Clone, PartialEq)]
pub struct NaclRule {
    /// The rule number (lowest first).
    pub number: u32,
    /// The protocol.
    pub protocol: Protocol,
    /// The destination ports.
    pub ports: Ports,
    /// The source (inbound) or destination (outbound) block.
    pub cidr: Cidr,
    /// Allow or deny.
    pub allow: bool,
}

impl fmt::Display for NaclRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = if self.allow { "allow" } else { "deny" };
        if self.protocol.has_ports() {
            write!(
                f,
                "ルール {}({} {} {} {action})",
                self.number,
                self.protocol,
                show_ports(self.ports),
                self.cidr
            )
        } else {
            write!(
                f,
                "ルール {}({} {} {action})",
                self.number, self.protocol, self.cidr
            )
        }
    }
}

/// A network ACL; rules are kept sorted by number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Nacl {
    /// Inbound rules.
    pub ingress: Vec<NaclRule>,
    /// Outbound rules.
    pub egress: Vec<NaclRule>,
}

/// An ENI: its address, subnet, groups and the subnet's network ACL.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The ENI id.
    pub eni: String,
    /// Its private address.
    pub ip: IpAddr,
    /// Its subnet.
    pub subnet: Cidr,
    /// The security groups on the ENI.
    pub security_groups: Vec<String>,
    /// The subnet's network ACL; `None` is the default ACL that allows everything.
    pub nacl: Option<Nacl>,
}

/// The connection being checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The protocol.
    pub protocol: Protocol,
    /// The client's address.
    pub src_ip: IpAddr,
    /// The client's ephemeral port.
    pub src_port: u16,
    /// The server's address.
    pub dst_ip: IpAddr,
    /// The server's port (TCP and UDP).
    pub dst_port: Option<u16>,
}

/// A network scenario after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkScenario {
    /// Who starts the connection.
    pub direction: Direction,
    /// The connection.
    pub flow: Flow,
    /// The ENI under study.
    pub target: Endpoint,
    /// The other end, when it is an ENI too.
    pub peer: Option<Endpoint>,
    /// Every security group by id.
    pub security_groups: BTreeMap<String, SecurityGroup>,
}

/// A check on the way of a connection; the names are those of `blocked_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hop {
    /// The target's security groups, inbound.
    SgIngress,
    /// The target's security groups, outbound.
    SgEgress,
    /// The target subnet's network ACL, inbound.
    NaclIngress,
    /// The target subnet's network ACL, outbound.
    NaclEgress,
    /// The target subnet's network ACL, outbound, for the response to an inbound connection.
    NaclEgressReturn,
    /// The target subnet's network ACL, inbound, for the response to an outbound connection.
    NaclIngressReturn,
    /// The peer's security groups, inbound.
    PeerSgIngress,
    /// The peer's security groups, outbound.
    PeerSgEgress,
    /// The peer subnet's network ACL, inbound.
    PeerNaclIngress,
    /// The peer subnet's network ACL, outbound.
    PeerNaclEgress,
    /// The peer subnet's network ACL, outbound, for a response.
    PeerNaclEgressReturn,
    /// The peer subnet's network ACL, inbound, for a response.
    PeerNaclIngressReturn,
}

impl Hop {
    /// Every hop name.
    pub const ALL: [Hop; 12] = [
        Hop::SgIngress,
        Hop::SgEgress,
        Hop::NaclIngress,
        Hop::NaclEgress,
        Hop::NaclEgressReturn,
        Hop::NaclIngressReturn,
        Hop::PeerSgIngress,
        Hop::PeerSgEgress,
        Hop::PeerNaclIngress,
        Hop::PeerNaclEgress,
        Hop::PeerNaclEgressReturn,
        Hop::PeerNaclIngressReturn,
    ];

    /// The name in scenario files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SgIngress => "sg-ingress",
            Self::SgEgress => "sg-egress",
            Self::NaclIngress => "nacl-ingress",
            Self::NaclEgress => "nacl-egress",
            Self::NaclEgressReturn => "nacl-egress-return",
            Self::NaclIngressReturn => "nacl-ingress-return",
            Self::PeerSgIngress => "peer-sg-ingress",
            Self::PeerSgEgress => "peer-sg-egress",
            Self::PeerNaclIngress => "peer-nacl-ingress",
            Self::PeerNaclEgress => "peer-nacl-egress",
            Self::PeerNaclEgressReturn => "peer-nacl-egress-return",
            Self::PeerNaclIngressReturn => "peer-nacl-ingress-return",
        }
    }

    /// Reads a hop name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|h| h.as_str() == name)
    }
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Which check.
    pub hop: Hop,
    /// It let the packet through.
    pub passed: bool,
    /// The rule that decided (an SG rule with its group, a NACL rule), if any.
    pub rule: Option<String>,
    /// The checked packet, for explanations.
    pub packet: Packet,
    /// The NACL was skipped because both ends share the subnet, or is the default ACL.
    pub note: Option<&'static str>,
}

/// A packet as a check sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Packet {
    /// The protocol.
    pub protocol: Protocol,
    /// The other end's address (source for inbound checks, destination for outbound ones).
    pub remote: IpAddr,
    /// The destination port.
    pub port: Option<u16>,
}

/// Runs every check in the order the packets meet them: the request from the client, then
/// the response back to the client's ephemeral port.
pub fn checks(sc: &NetworkScenario) -> Vec<Check> {
    let f = &sc.flow;
    let (client_ip, server_ip) = (f.src_ip, f.dst_ip);
    let other_ip = match sc.direction {
        Direction::Inbound => client_ip,
        Direction::Outbound => server_ip,
    };
    let peer = sc.peer.as_ref().filter(|p| p.ip == other_ip);
    let peer_groups: Vec<String> = peer.map(|p| p.security_groups.clone()).unwrap_or_default();
    let target_groups = sc.target.security_groups.clone();
    let request = |remote: IpAddr| Packet {
        protocol: f.protocol,
        remote,
        port: f.dst_port,
    };
    let response = |remote: IpAddr| Packet {
        protocol: f.protocol,
        remote,
        port: Some(f.src_port),
    };
    let mut out = Vec::new();
    let sg = |hop, ep: &Endpoint, ingress: bool, packet: Packet, remote_groups: &[String]| {
        sg_check(
            hop,
            &sc.security_groups,
            &ep.security_groups,
            ingress,
            packet,
            remote_groups,
        )
    };
    match sc.direction {
        Direction::Inbound => {
            if let Some(p) = peer {
                out.push(sg(
                    Hop::PeerSgEgress,
                    p,
                    false,
                    request(server_ip),
                    &target_groups,
                ));
                out.push(nacl_check(
                    Hop::PeerNaclEgress,
                    p,
                    false,
                    request(server_ip),
                ));
            }
            out.push(nacl_check(
                Hop::NaclIngress,
                &sc.target,
                true,
                request(client_ip),
            ));
            out.push(sg(
                Hop::SgIngress,
                &sc.target,
                true,
                request(client_ip),
                &peer_groups,
            ));
            out.push(nacl_check(
                Hop::NaclEgressReturn,
                &sc.target,
                false,
                response(client_ip),
            ));
            if let Some(p) = peer {
                out.push(nacl_check(
                    Hop::PeerNaclIngressReturn,
                    p,
                    true,
                    response(server_ip),
                ));
            }
        }
        Direction::Outbound => {
            out.push(sg(
                Hop::SgEgress,
                &sc.target,
                false,
                request(server_ip),
                &peer_groups,
            ));
            out.push(nacl_check(
                Hop::NaclEgress,
                &sc.target,
                false,
                request(server_ip),
            ));
            if let Some(p) = peer {
                out.push(nacl_check(
                    Hop::PeerNaclIngress,
                    p,
                    true,
                    request(client_ip),
                ));
                out.push(sg(
                    Hop::PeerSgIngress,
                    p,
                    true,
                    request(client_ip),
                    &target_groups,
                ));
                out.push(nacl_check(
                    Hop::PeerNaclEgressReturn,
                    p,
                    false,
                    response(client_ip),
                ));
            }
            out.push(nacl_check(
                Hop::NaclIngressReturn,
                &sc.target,
                true,
                response(server_ip),
            ));
        }
    }
    out
}

/// Reachable, or the first check that blocks.
pub fn decide(sc: &NetworkScenario) -> Option<Hop> {
    checks(sc).into_iter().find(|c| !c.passed).map(|c| c.hop)
}

/// Whether a rule's port range covers the packet; protocol "-1" means all traffic, ports ignored.
fn ports_cover(
    rule_protocol: Protocol,
    protocol: Protocol,
    rule: Ports,
    port: Option<u16>,
) -> bool {
    if rule_protocol == Protocol::All || !protocol.has_ports() {
        return true;
    }
    match (rule, port) {
        (None, _) => true,
        (Some((a, b)), Some(p)) => a <= p && p <= b,
        (Some(_), None) => false,
    }
}

fn sg_check(
    hop: Hop,
    groups: &BTreeMap<String, SecurityGroup>,
    on_eni: &[String],
    ingress: bool,
    packet: Packet,
    remote_groups: &[String],
) -> Check {
    for id in on_eni {
        let Some(group) = groups.get(id) else {
            continue;
        };
        let rules = if ingress {
            &group.ingress
        } else {
            &group.egress
        };
        for rule in rules {
            let peer_ok = match &rule.peer {
                SgPeer::Cidr(c) => c.contains(packet.remote),
                SgPeer::Group(g) => remote_groups.contains(g),
            };
            if rule.protocol.covers(packet.protocol)
                && ports_cover(rule.protocol, packet.protocol, rule.ports, packet.port)
                && peer_ok
            {
                let dir = if ingress {
                    "インバウンド"
                } else {
                    "アウトバウンド"
                };
                return Check {
                    hop,
                    passed: true,
                    rule: Some(format!("{id} の{dir}ルール {rule}")),
                    packet,
                    note: None,
                };
            }
        }
    }
    Check {
        hop,
        passed: false,
        rule: None,
        packet,
        note: None,
    }
}

fn nacl_check(hop: Hop, ep: &Endpoint, ingress: bool, packet: Packet) -> Check {
    if ep.subnet.contains(packet.remote) {
        return Check {
            hop,
            passed: true,
            rule: None,
            packet,
            note: Some("同じサブネット内の通信にはネットワークACLは適用されません"),
        };
    }
    let Some(nacl) = &ep.nacl else {
        return Check {
            hop,
            passed: true,
            rule: None,
            packet,
            note: Some("既定のネットワークACL(すべて許可)です"),
        };
    };
    let rules = if ingress { &nacl.ingress } else { &nacl.egress };
    for rule in rules {
        if rule.protocol.covers(packet.protocol)
            && ports_cover(rule.protocol, packet.protocol, rule.ports, packet.port)
            && rule.cidr.contains(packet.remote)
        {
            return Check {
                hop,
                passed: rule.allow,
                rule: Some(rule.to_string()),
                packet,
                note: None,
            };
        }
    }
    Check {
        hop,
        passed: false,
        rule: Some("ルール *(暗黙の拒否)".into()),
        packet,
        note: None,
    }
}
