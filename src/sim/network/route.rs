//! VPC routing: the route table of a subnet (its own or the VPC's main table), the implicit
//! local route, longest prefix match (a route to a CIDR beats a prefix-list route of the same
//! length), route targets, public / Elastic IPs and NAT translation.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use crate::sim::ip::Cidr;

/// Where a route sends matching traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteTarget {
    /// The VPC's own CIDR blocks.
    Local,
    /// `igw-…`: an internet gateway.
    InternetGateway(String),
    /// `eigw-…`: an egress-only internet gateway (IPv6, outbound-initiated only).
    EgressOnlyInternetGateway(String),
    /// `nat-…`: a NAT gateway.
    NatGateway(String),
    /// `pcx-…`: a VPC peering connection.
    Peering(String),
    /// `tgw-…`: a transit gateway.
    TransitGateway(String),
    /// `vpce-…`: a gateway endpoint (S3, DynamoDB), routed by a prefix list.
    GatewayEndpoint(String),
    /// A route whose target no longer exists (or `blackhole` written as the target).
    Blackhole,
}

impl RouteTarget {
    /// Reads a target id by its AWS prefix; `None` for an unknown kind.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.to_string();
        Some(if text == "local" {
            Self::Local
        } else if text == "blackhole" {
            Self::Blackhole
        } else if text.starts_with("igw-") {
            Self::InternetGateway(t)
        } else if text.starts_with("eigw-") {
            Self::EgressOnlyInternetGateway(t)
        } else if text.starts_with("nat-") {
            Self::NatGateway(t)
        } else if text.starts_with("pcx-") {
            Self::Peering(t)
        } else if text.starts_with("tgw-") {
            Self::TransitGateway(t)
        } else if text.starts_with("vpce-") {
            Self::GatewayEndpoint(t)
        } else {
            return None;
        })
    }
}

impl fmt::Display for RouteTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local => f.write_str("local"),
            Self::Blackhole => f.write_str("blackhole"),
            Self::InternetGateway(id) => write!(f, "インターネットゲートウェイ {id}"),
            Self::EgressOnlyInternetGateway(id) => {
                write!(f, "Egress-Only インターネットゲートウェイ {id}")
            }
            Self::NatGateway(id) => write!(f, "NAT ゲートウェイ {id}"),
            Self::Peering(id) => write!(f, "VPC ピアリング接続 {id}"),
            Self::TransitGateway(id) => write!(f, "Transit Gateway {id}"),
            Self::GatewayEndpoint(id) => write!(f, "ゲートウェイエンドポイント {id}"),
        }
    }
}

/// A route's destination.
#[derive(Debug, Clone, PartialEq)]
pub enum Destination {
    /// A CIDR block.
    Cidr(Cidr),
    /// A prefix list (`pl-…`) with its CIDR blocks.
    PrefixList {
        /// The prefix list id.
        id: String,
        /// Its entries.
        cidrs: Vec<Cidr>,
    },
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cidr(c) => write!(f, "{c}"),
            Self::PrefixList { id, .. } => write!(f, "プレフィックスリスト {id}"),
        }
    }
}

/// One route.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Where it applies.
    pub destination: Destination,
    /// Where it sends.
    pub target: RouteTarget,
}

/// A route table.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteTable {
    /// Its id (`rtb-…`), or `メインルートテーブル` when the VPC's main table was left implicit.
    pub id: String,
    /// It is the VPC's main table (the subnet has no explicit association).
    pub main: bool,
    /// The routes written; the local route of the VPC's CIDR blocks is implicit.
    pub routes: Vec<Route>,
}

/// A NAT gateway: the route table of its own subnet and its Elastic IP.
#[derive(Debug, Clone, PartialEq)]
pub struct NatGateway {
    /// The route table of the subnet the NAT gateway is in.
    pub table: RouteTable,
    /// Its Elastic IP: the source address the internet sees.
    pub elastic_ip: IpAddr,
}

/// The VPC and route table an ENI's subnet uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    /// The VPC id, for explanations.
    pub vpc: String,
    /// The VPC's CIDR blocks (IPv4 and IPv6): the local route.
    pub cidrs: Vec<Cidr>,
    /// The VPC's Region, when written.
    pub region: Option<String>,
    /// The subnet's route table.
    pub table: RouteTable,
    /// The NAT gateways of the VPC by id.
    pub nat_gateways: BTreeMap<String, NatGateway>,
}

/// The route chosen for a destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    /// The route's destination, as shown.
    pub destination: String,
    /// Its target.
    pub target: RouteTarget,
    /// The prefix length that matched (0 for a default route).
    pub prefix: u8,
}

impl fmt::Display for Chosen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} → {}", self.destination, self.target)
    }
}

/// Longest prefix match in `table`, with the implicit local route of `cidrs`. For the same
/// prefix length the local route wins, then a route to a CIDR block over a prefix-list route.
pub fn lookup(cidrs: &[Cidr], table: &RouteTable, dst: IpAddr) -> Option<Chosen> {
    let mut best: Option<((u8, u8), Chosen)> = None;
    let mut offer = |key: (u8, u8), chosen: Chosen| {
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, chosen));
        }
    };
    for c in cidrs.iter().filter(|c| c.contains(dst)) {
        offer(
            (c.prefix(), 3),
            Chosen {
                destination: c.to_string(),
                target: RouteTarget::Local,
                prefix: c.prefix(),
            },
        );
    }
    for r in &table.routes {
        match &r.destination {
            Destination::Cidr(c) if c.contains(dst) => offer(
                (c.prefix(), 2),
                Chosen {
                    destination: c.to_string(),
                    target: r.target.clone(),
                    prefix: c.prefix(),
                },
            ),
            Destination::PrefixList { id, cidrs } => {
                if let Some(c) = cidrs
                    .iter()
                    .filter(|c| c.contains(dst))
                    .max_by_key(|c| c.prefix())
                {
                    offer(
                        (c.prefix(), 1),
                        Chosen {
                            destination: format!("プレフィックスリスト {id}({c})"),
                            target: r.target.clone(),
                            prefix: c.prefix(),
                        },
                    );
                }
            }
            Destination::Cidr(_) => {}
        }
    }
    best.map(|(_, c)| c)
}

impl Routing {
    /// The route this subnet's table chooses for `dst`.
    pub fn lookup(&self, dst: IpAddr) -> Option<Chosen> {
        lookup(&self.cidrs, &self.table, dst)
    }

    /// A table's name for explanations.
    pub fn table_name(&self) -> String {
        table_name(&self.table)
    }
}

/// `ルートテーブル rtb-… (メイン)`.
pub fn table_name(t: &RouteTable) -> String {
    if t.main {
        format!("メインルートテーブル {}", t.id)
    } else {
        format!("ルートテーブル {}", t.id)
    }
}
