//! Network reachability: security groups (stateful, allow-only, the rules of every group on the
//! ENI unioned, `source_sg` resolved through the peer ENI) and network ACLs (stateless, lowest
//! rule number first, an implicit final deny, so the return traffic to the client's ephemeral
//! port is checked in the other direction), ICMP type and code, prefix lists, and, when the
//! scenario describes the VPC, routing ([`route`]): the subnet's route table, public / Elastic
//! IPs and NAT translation. The result names the first check that blocks.

pub mod explain;
pub mod route;

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use crate::sim::ip::Cidr;

pub use explain::{HopTrace, NetworkOutcome, explain};
pub use route::{Chosen, Destination, NatGateway, Route, RouteTable, RouteTarget, Routing};

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

    /// ICMP (1) or ICMPv6 (58): rules may name a type and code.
    pub fn is_icmp(self) -> bool {
        matches!(self, Self::Number(1 | 58))
    }

    fn covers(self, flow: Protocol) -> bool {
        self == Self::All || self == flow
    }
}

/// The ICMP type and code a rule matches; `None` is every type (code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IcmpMatch {
    /// The ICMP type (`-1` in AWS: all).
    pub icmp_type: Option<u8>,
    /// The ICMP code (`-1` in AWS: all).
    pub code: Option<u8>,
}

impl IcmpMatch {
    fn covers(self, packet: Option<(u8, u8)>) -> bool {
        let Some((t, c)) = packet else { return true };
        self.icmp_type.is_none_or(|x| x == t) && self.code.is_none_or(|x| x == c)
    }
}

impl fmt::Display for IcmpMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.icmp_type, self.code) {
            (None, _) => f.write_str("全タイプ"),
            (Some(t), None) => write!(f, "タイプ {t}"),
            (Some(t), Some(c)) => write!(f, "タイプ {t} コード {c}"),
        }
    }
}

/// The reply to an ICMP message: echo request 8 → echo reply 0, ICMPv6 128 → 129; other
/// messages are checked as they are.
pub fn icmp_reply(protocol: Protocol, icmp: Option<(u8, u8)>) -> Option<(u8, u8)> {
    match (protocol, icmp) {
        (Protocol::Number(1), Some((8, c))) => Some((0, c)),
        (Protocol::Number(58), Some((128, c))) => Some((129, c)),
        (_, other) => other,
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
    /// A prefix list (`pl-…`) with its CIDR blocks.
    PrefixList {
        /// The prefix list id.
        id: String,
        /// Its entries.
        cidrs: Vec<Cidr>,
    },
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
    /// The ICMP type and code (ICMP rules only).
    pub icmp: Option<IcmpMatch>,
}

fn show_icmp(icmp: Option<IcmpMatch>) -> String {
    icmp.map_or(String::new(), |m| format!(" {m}"))
}

impl fmt::Display for SgRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let peer = match &self.peer {
            SgPeer::Cidr(c) => c.to_string(),
            SgPeer::Group(g) => format!("セキュリティグループ {g}"),
            SgPeer::PrefixList { id, .. } => format!("プレフィックスリスト {id}"),
        };
        if self.protocol.has_ports() {
            write!(f, "{} {} {peer}", self.protocol, show_ports(self.ports))
        } else {
            write!(f, "{}{} {peer}", self.protocol, show_icmp(self.icmp))
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
    /// The ICMP type and code (ICMP rules only).
    pub icmp: Option<IcmpMatch>,
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
                "ルール {}({}{} {} {action})",
                self.number,
                self.protocol,
                show_icmp(self.icmp),
                self.cidr
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
    /// The subnet's network ACL; `None` is the default ACL that allows everything (its rules
    /// 100 and, in a dual-stack subnet, 101 for IPv6).
    pub nacl: Option<Nacl>,
    /// Its IPv6 address (dual-stack subnets).
    pub ipv6: Option<IpAddr>,
    /// The subnet's IPv6 block (dual-stack subnets).
    pub subnet_ipv6: Option<Cidr>,
    /// Its public IPv4 or Elastic IP.
    pub public_ip: Option<IpAddr>,
    /// Its VPC and route table; `None`: routing is not modelled (every route assumed there).
    pub routing: Option<Routing>,
}

impl Endpoint {
    /// Whether `ip` is one of this ENI's addresses (private, IPv6 or public).
    pub fn owns(&self, ip: IpAddr) -> bool {
        self.ip == ip || self.ipv6 == Some(ip) || self.public_ip == Some(ip)
    }

    /// Whether `ip` is one of its private addresses (what a security group reference sees).
    pub fn private(&self, ip: IpAddr) -> bool {
        self.ip == ip || self.ipv6 == Some(ip)
    }

    /// Its own address of the family of `dst`.
    pub fn source_for(&self, dst: IpAddr) -> IpAddr {
        match self.ipv6 {
            Some(v6) if dst.is_ipv6() && !self.ip.is_ipv6() => v6,
            _ => self.ip,
        }
    }

    fn in_subnet(&self, ip: IpAddr) -> bool {
        self.subnet.contains(ip) || self.subnet_ipv6.is_some_and(|c| c.contains(ip))
    }
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
    /// The ICMP type and code (ICMP flows).
    pub icmp: Option<(u8, u8)>,
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
    /// The target subnet's route table for the packets the target sends (passed).
    Route,
    /// The target subnet's route table for the response (passed).
    RouteReturn,
    /// The peer subnet's route table for the packets the peer sends (passed).
    PeerRoute,
    /// The peer subnet's route table for the response (passed).
    PeerRouteReturn,
    /// Blocked: no route in the route table matches the destination.
    NoRoute,
    /// Blocked: the matching route is a blackhole (its target was deleted).
    Blackhole,
    /// Blocked: the route goes to an internet gateway but the ENI has no public IPv4 address.
    NoPublicIp,
    /// Blocked: the NAT gateway's own subnet has no route to an internet gateway.
    NatNoRoute,
    /// Blocked: a NAT gateway or egress-only internet gateway does not let connections started
    /// from outside in.
    EgressOnly,
    /// Blocked: a VPC peering connection carries traffic only between the two VPCs it joins (no
    /// transitive peering, no edge-to-edge routing through the peer's gateways).
    PeeringNotTransitive,
}

impl Hop {
    /// Every hop name.
    pub const ALL: [Hop; 22] = [
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
        Hop::Route,
        Hop::RouteReturn,
        Hop::PeerRoute,
        Hop::PeerRouteReturn,
        Hop::NoRoute,
        Hop::Blackhole,
        Hop::NoPublicIp,
        Hop::NatNoRoute,
        Hop::EgressOnly,
        Hop::PeeringNotTransitive,
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
            Self::Route => "route",
            Self::RouteReturn => "route-return",
            Self::PeerRoute => "peer-route",
            Self::PeerRouteReturn => "peer-route-return",
            Self::NoRoute => "no-route",
            Self::Blackhole => "blackhole",
            Self::NoPublicIp => "no-public-ip",
            Self::NatNoRoute => "nat-no-route",
            Self::EgressOnly => "egress-only",
            Self::PeeringNotTransitive => "peering-not-transitive",
        }
    }

    /// A routing check (passed or a routing cause).
    pub fn is_route(self) -> bool {
        matches!(
            self,
            Self::Route
                | Self::RouteReturn
                | Self::PeerRoute
                | Self::PeerRouteReturn
                | Self::NoRoute
                | Self::Blackhole
                | Self::NoPublicIp
                | Self::NatNoRoute
                | Self::EgressOnly
                | Self::PeeringNotTransitive
        )
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
    /// For a routing check, where it happened (`Route`, `RouteReturn`, `PeerRoute`,
    /// `PeerRouteReturn`) when `hop` names the cause.
    pub at: Option<Hop>,
    /// A routing check for a connection arriving from the internet: `rule` is a whole sentence
    /// and `packet.remote` is the source.
    pub arrival: bool,
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
    /// The ICMP type and code.
    pub icmp: Option<(u8, u8)>,
}

/// Runs every check in the order the packets meet them: the request from the client, then
/// the response back to the client's ephemeral port. Routing checks are added where an ENI's
/// VPC is described; the address the receiving side sees is the sender's after translation
/// (public IP, NAT gateway's Elastic IP).
pub fn checks(sc: &NetworkScenario) -> Vec<Check> {
    let f = &sc.flow;
    let (client_ip, server_ip) = (f.src_ip, f.dst_ip);
    let other_ip = match sc.direction {
        Direction::Inbound => client_ip,
        Direction::Outbound => server_ip,
    };
    let peer = sc.peer.as_ref().filter(|p| p.owns(other_ip));
    let no_groups: Vec<String> = Vec::new();
    let request = |remote: IpAddr| Packet {
        protocol: f.protocol,
        remote,
        port: f.dst_port,
        icmp: f.icmp,
    };
    let response = |remote: IpAddr| Packet {
        protocol: f.protocol,
        remote,
        port: Some(f.src_port),
        icmp: icmp_reply(f.protocol, f.icmp),
    };
    // A security group reference matches the private addresses of the ENIs in the group.
    fn groups_of<'a>(ep: Option<&'a Endpoint>, seen: IpAddr, none: &'a [String]) -> &'a [String] {
        match ep {
            Some(e) if e.private(seen) => &e.security_groups,
            _ => none,
        }
    }
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
            let mut seen = client_ip;
            let mut request_peering = None;
            if let Some(p) = peer {
                out.push(sg(
                    Hop::PeerSgEgress,
                    p,
                    false,
                    request(server_ip),
                    groups_of(Some(&sc.target), server_ip, &no_groups),
                ));
                out.push(nacl_check(
                    Hop::PeerNaclEgress,
                    p,
                    false,
                    request(server_ip),
                ));
                if let Some((c, s, via)) =
                    route_check(p, server_ip, true, Hop::PeerRoute, Some(&sc.target), None)
                {
                    out.push(c);
                    seen = s;
                    request_peering = via;
                }
            }
            if let Some(c) = entry_check(&sc.target, seen) {
                out.push(c);
            }
            out.push(nacl_check(
                Hop::NaclIngress,
                &sc.target,
                true,
                request(seen),
            ));
            out.push(sg(
                Hop::SgIngress,
                &sc.target,
                true,
                request(seen),
                groups_of(peer, seen, &no_groups),
            ));
            out.push(nacl_check(
                Hop::NaclEgressReturn,
                &sc.target,
                false,
                response(seen),
            ));
            if let Some((c, _, _)) = route_check(
                &sc.target,
                seen,
                false,
                Hop::RouteReturn,
                peer,
                request_peering.as_deref(),
            ) {
                out.push(c);
            }
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
                groups_of(peer, server_ip, &no_groups),
            ));
            out.push(nacl_check(
                Hop::NaclEgress,
                &sc.target,
                false,
                request(server_ip),
            ));
            let mut seen = client_ip;
            let mut request_peering = None;
            if let Some((c, s, via)) =
                route_check(&sc.target, server_ip, true, Hop::Route, peer, None)
            {
                out.push(c);
                seen = s;
                request_peering = via;
            }
            if let Some(p) = peer {
                out.push(nacl_check(Hop::PeerNaclIngress, p, true, request(seen)));
                out.push(sg(
                    Hop::PeerSgIngress,
                    p,
                    true,
                    request(seen),
                    groups_of(Some(&sc.target), seen, &no_groups),
                ));
                out.push(nacl_check(
                    Hop::PeerNaclEgressReturn,
                    p,
                    false,
                    response(seen),
                ));
                if let Some((c, _, _)) = route_check(
                    p,
                    seen,
                    false,
                    Hop::PeerRouteReturn,
                    Some(&sc.target),
                    request_peering.as_deref(),
                ) {
                    out.push(c);
                }
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

fn route_result(at: Hop, cause: Option<Hop>, rule: String, remote: IpAddr) -> Check {
    Check {
        hop: cause.unwrap_or(at),
        passed: cause.is_none(),
        rule: Some(rule),
        packet: Packet {
            protocol: Protocol::All,
            remote,
            port: None,
            icmp: None,
        },
        note: None,
        at: Some(at),
        arrival: false,
    }
}

/// The route `ep`'s subnet takes to `dst`, and the source address the other side then sees.
/// `initiating`: `ep` starts the connection (a NAT gateway or egress-only internet gateway only
/// carries those). `to`: the described ENI that owns `dst`, if any. `came_by`: the peering
/// connection the request crossed, when this is the route of the response. Also returns the
/// peering connection this route crosses. `None` when the ENI's routing is not described.
fn route_check(
    ep: &Endpoint,
    dst: IpAddr,
    initiating: bool,
    at: Hop,
    to: Option<&Endpoint>,
    came_by: Option<&str>,
) -> Option<(Check, IpAddr, Option<String>)> {
    let r = ep.routing.as_ref()?;
    let src = ep.source_for(dst);
    let table = r.table_name();
    let Some(chosen) = r.lookup(dst) else {
        let text = format!("{table} に {dst} に一致するルートがありません");
        return Some((route_result(at, Some(Hop::NoRoute), text, dst), src, None));
    };
    let text = format!("{table} のルート {chosen}");
    let fail =
        |cause: Hop, text: String| Some((route_result(at, Some(cause), text, dst), src, None));
    let pass = |text: String, seen: IpAddr| Some((route_result(at, None, text, dst), seen, None));
    match &chosen.target {
        RouteTarget::Blackhole => fail(Hop::Blackhole, text),
        RouteTarget::Peering(id) => match came_by {
            // Two VPCs have at most one peering connection: a response over another connection
            // means one of the two routes leads through a third VPC.
            Some(first) if first != id => fail(
                Hop::PeeringNotTransitive,
                format!(
                    "{text}(往路はピアリング接続 {first} を通りましたが、戻りは別のピアリング接続 {id} に向かいます)"
                ),
            ),
            // Without a described peer ENI, a default route or a public IPv4 destination over a
            // peering connection is traffic for the peer's gateways (edge-to-edge routing).
            _ if to.is_none() && (chosen.prefix == 0 || public_ipv4(dst)) => fail(
                Hop::PeeringNotTransitive,
                format!("{text}(宛先 {dst} はピア VPC のアドレスではありません)"),
            ),
            _ => Some((route_result(at, None, text, dst), src, Some(id.clone()))),
        },
        RouteTarget::Local | RouteTarget::TransitGateway(_) | RouteTarget::GatewayEndpoint(_) => {
            pass(text, src)
        }
        RouteTarget::InternetGateway(_) if dst.is_ipv4() => match ep.public_ip {
            Some(public) => pass(
                format!("{text}(送信元はパブリック IP {public} に変換されます)"),
                public,
            ),
            None => fail(Hop::NoPublicIp, text),
        },
        RouteTarget::InternetGateway(_) => pass(text, src),
        RouteTarget::NatGateway(_) | RouteTarget::EgressOnlyInternetGateway(_) if !initiating => {
            fail(Hop::EgressOnly, text)
        }
        RouteTarget::EgressOnlyInternetGateway(_) => pass(text, src),
        RouteTarget::NatGateway(id) => {
            let Some(nat) = r.nat_gateways.get(id) else {
                return fail(Hop::Blackhole, text);
            };
            let nat_table = route::table_name(&nat.table);
            match route::lookup(&r.cidrs, &nat.table, dst) {
                Some(c) if matches!(c.target, RouteTarget::InternetGateway(_)) => pass(
                    format!(
                        "{text}、NAT ゲートウェイのサブネットの{nat_table} のルート {c}(送信元は NAT ゲートウェイの Elastic IP {} に変換されます)",
                        nat.elastic_ip
                    ),
                    nat.elastic_ip,
                ),
                Some(c) => fail(
                    Hop::NatNoRoute,
                    format!("{text}、NAT ゲートウェイのサブネットの{nat_table} のルート {c}"),
                ),
                None => fail(
                    Hop::NatNoRoute,
                    format!(
                        "{text}、NAT ゲートウェイのサブネットの{nat_table} に {dst} へのルートがありません"
                    ),
                ),
            }
        }
    }
}

/// An IPv4 address outside the private (RFC 1918), shared (RFC 6598), loopback and link-local
/// ranges: not a VPC's address unless the VPC uses a public block.
fn public_ipv4(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(_) => false,
    }
}

/// A connection started by `client` toward the target: from outside the VPC's own networks
/// (the route back is to an internet gateway, a NAT gateway or an egress-only internet gateway,
/// or there is none) it arrives only through an internet gateway at a public IPv4 address
/// (IPv6 addresses are public themselves), and never through a NAT gateway or an egress-only
/// internet gateway.
fn entry_check(target: &Endpoint, client: IpAddr) -> Option<Check> {
    let r = target.routing.as_ref()?;
    let back = r.lookup(client);
    let table = r.table_name();
    let internal = back.as_ref().is_some_and(|c| {
        matches!(
            c.target,
            RouteTarget::Local
                | RouteTarget::Peering(_)
                | RouteTarget::TransitGateway(_)
                | RouteTarget::GatewayEndpoint(_)
        )
    });
    let text = match &back {
        Some(c) => format!("{table} のルート {c}"),
        None => format!("{table} に {client} へのルートがありません"),
    };
    if internal {
        return Some(route_result(Hop::Route, None, text, client));
    }
    if client.is_ipv4() && target.public_ip.is_none() {
        return Some(route_result(
            Hop::Route,
            Some(Hop::NoPublicIp),
            text,
            client,
        ));
    }
    if back.as_ref().is_some_and(|c| {
        matches!(
            c.target,
            RouteTarget::NatGateway(_) | RouteTarget::EgressOnlyInternetGateway(_)
        )
    }) {
        return Some(route_result(
            Hop::Route,
            Some(Hop::EgressOnly),
            text,
            client,
        ));
    }
    let text = match target.public_ip {
        Some(p) if client.is_ipv4() => {
            format!(
                "インターネットゲートウェイがパブリック IP {p} 宛ての通信をプライベート IP {} に届けます",
                target.ip
            )
        }
        _ => "IPv6 アドレスはそのままインターネットから届きます".to_string(),
    };
    Some(Check {
        arrival: true,
        ..route_result(Hop::Route, None, text, client)
    })
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
                SgPeer::PrefixList { cidrs, .. } => cidrs.iter().any(|c| c.contains(packet.remote)),
            };
            if rule.protocol.covers(packet.protocol)
                && ports_cover(rule.protocol, packet.protocol, rule.ports, packet.port)
                && rule.icmp.is_none_or(|m| m.covers(packet.icmp))
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
                    at: None,
                    arrival: false,
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
        at: None,
        arrival: false,
    }
}

fn nacl_check(hop: Hop, ep: &Endpoint, ingress: bool, packet: Packet) -> Check {
    if ep.in_subnet(packet.remote) {
        return Check {
            hop,
            passed: true,
            rule: None,
            packet,
            note: Some("同じサブネット内の通信にはネットワーク ACL は適用されません"),
            at: None,
            arrival: false,
        };
    }
    let v6 = packet.remote.is_ipv6();
    let Some(nacl) = &ep.nacl else {
        return Check {
            hop,
            passed: true,
            rule: None,
            packet,
            note: Some(if v6 {
                "既定のネットワーク ACL です(デュアルスタックのサブネットでは IPv6 のルール 101 がすべての IPv6 通信を許可します)"
            } else {
                "既定のネットワーク ACL(すべて許可)です"
            }),
            at: None,
            arrival: false,
        };
    };
    let rules = if ingress { &nacl.ingress } else { &nacl.egress };
    for rule in rules {
        if rule.protocol.covers(packet.protocol)
            && ports_cover(rule.protocol, packet.protocol, rule.ports, packet.port)
            && rule.icmp.is_none_or(|m| m.covers(packet.icmp))
            && rule.cidr.contains(packet.remote)
        {
            return Check {
                hop,
                passed: rule.allow,
                rule: Some(rule.to_string()),
                packet,
                note: None,
                at: None,
                arrival: false,
            };
        }
    }
    Check {
        hop,
        passed: false,
        rule: Some("ルール *(暗黙的な拒否)".into()),
        packet,
        note: None,
        at: None,
        arrival: false,
    }
}
