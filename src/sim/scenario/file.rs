//! The shape of a scenario file for `shikaku schema` (JSON Schema via schemars). Parsing does
//! not go through these types — it reads a spanned document tree so that every error can point
//! at its place — but they describe exactly what the parser accepts.

use std::collections::BTreeMap;

use schemars::JsonSchema;

/// A simulator scenario (quizzes/scenarios/*.toml, or .json of the same shape). `kind = "iam"`
/// uses `request` and `policies`; `kind = "network"` uses `direction`, `flow`, `target`,
/// `security_groups`, `target_subnet_nacl` and `peer`. A file without `kind` is IAM when it has
/// `request`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ScenarioFile {
    /// Stable id (letters, digits, `-`, `_`), referenced by questions as `scenario = "<id>"`.
    pub id: String,
    /// Japanese title shown in the simulator.
    #[serde(default)]
    pub title: Option<String>,
    /// "iam" or "network".
    #[serde(default)]
    pub kind: Option<ScenarioKindName>,
    /// IAM: the request to authorize.
    #[serde(default)]
    pub request: Option<RequestFile>,
    /// IAM: the policies that exist for the request. A policy type that is absent does not exist.
    #[serde(default)]
    pub policies: Option<PoliciesFile>,
    /// IAM: the organization the accounts belong to; aws:PrincipalOrgID, aws:PrincipalOrgPaths,
    /// aws:ResourceOrgID and aws:ResourceOrgPaths are derived from it.
    #[serde(default)]
    pub organization: Option<OrganizationFile>,
    /// IAM, S3 requests only: Block Public Access, Object Ownership and ACLs.
    #[serde(default)]
    pub s3: Option<S3File>,
    /// Network: "inbound" (a client reaches the target ENI) or "outbound" (the target starts the connection).
    #[serde(default)]
    pub direction: Option<DirectionName>,
    /// Network: the connection.
    #[serde(default)]
    pub flow: Option<FlowFile>,
    /// Network: the ENI under study.
    #[serde(default)]
    pub target: Option<EndpointFile>,
    /// Network: security groups by id.
    #[serde(default)]
    pub security_groups: Option<BTreeMap<String, SecurityGroupFile>>,
    /// Network: the target subnet's network ACL; absent = the default ACL (allows everything).
    #[serde(default)]
    pub target_subnet_nacl: Option<NaclFile>,
    /// Network: the other end's ENI, when a rule uses source_sg or the peer is in a VPC.
    #[serde(default)]
    pub peer: Option<PeerFile>,
    /// The expected result, checked by the content tests.
    #[serde(default)]
    pub expect: Option<ExpectFile>,
    /// What a learner may flip in the TUI.
    #[serde(default)]
    pub knobs: Vec<KnobFile>,
}

/// The scenario kind.
#[derive(Debug, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum ScenarioKindName {
    /// IAM authorization.
    Iam,
    /// Network reachability.
    Network,
}

/// The IAM request.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct RequestFile {
    /// The action, e.g. "s3:GetObject".
    pub action: String,
    /// Context keys (any case) → a string, or a list of strings for multivalued keys. Booleans and
    /// numbers are written as strings ("true", "3600"). aws:PrincipalArn, aws:PrincipalAccount,
    /// aws:username, aws:PrincipalType and aws:PrincipalIsAWSService are derived from the
    /// principal unless given here.
    #[serde(default)]
    pub context: BTreeMap<String, ContextValue>,
    /// Who makes the request.
    pub principal: PrincipalFile,
    /// On what.
    pub resource: ResourceFile,
    /// AssumeRole only: session tags passed (also needs sts:TagSession; aws:RequestTag/… and aws:TagKeys).
    #[serde(default)]
    pub session_tags: BTreeMap<String, String>,
    /// AssumeRole only: the source identity set (also needs sts:SetSourceIdentity; sts:SourceIdentity).
    #[serde(default)]
    pub source_identity: Option<String>,
    /// A role passed to a service (also needs iam:PassRole on it, with iam:PassedToService).
    #[serde(default)]
    pub pass_role: Option<PassRoleFile>,
}

/// A role passed to a service.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PassRoleFile {
    /// The role's ARN.
    pub role_arn: String,
    /// The service it is passed to, e.g. "ec2.amazonaws.com".
    pub service: String,
}

/// A context value.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum ContextValue {
    /// A single value.
    One(String),
    /// A multivalued key (aws:TagKeys, aws:PrincipalOrgPaths…).
    Many(Vec<String>),
}

/// The principal type.
#[derive(Debug, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code)]
pub enum PrincipalTypeName {
    /// An IAM user (arn arn:aws:iam::ACCOUNT:user/NAME).
    IamUser,
    /// A role session (arn arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION; role_arn).
    AssumedRoleSession,
    /// A GetFederationToken session (arn arn:aws:sts::ACCOUNT:federated-user/NAME).
    FederatedUserSession,
    /// A GetSessionToken session of an IAM user (arn arn:aws:iam::ACCOUNT:user/NAME; MFA from aws:MultiFactorAuthPresent).
    SessionTokenSession,
    /// The account root user.
    Root,
    /// An AWS service principal (service).
    Service,
    /// An unauthenticated caller.
    Anonymous,
    /// A user of an external identity provider calling AssumeRoleWithWebIdentity / WithSAML (provider).
    Federated,
}

/// The principal.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PrincipalFile {
    /// iam-user | assumed-role-session | federated-user-session | root | service | anonymous | federated
    #[serde(rename = "type")]
    pub kind: PrincipalTypeName,
    /// The principal's ARN (the session ARN for sessions).
    #[serde(default)]
    pub arn: Option<String>,
    /// The 12-digit account id (taken from the ARN when absent).
    #[serde(default)]
    pub account: Option<String>,
    /// The role of an assumed-role session (derived from the session ARN when absent).
    #[serde(default)]
    pub role_arn: Option<String>,
    /// The IAM user who called GetFederationToken.
    #[serde(default)]
    pub federating_user_arn: Option<String>,
    /// The service name for type = "service", e.g. "ec2.amazonaws.com".
    #[serde(default)]
    pub service: Option<String>,
    /// The identity provider for type = "federated" (cognito-identity.amazonaws.com, a SAML or OIDC provider ARN).
    #[serde(default)]
    pub provider: Option<String>,
    /// An S3 canonical user id.
    #[serde(default)]
    pub canonical_user: Option<String>,
    /// The IAM user's ("AIDA…") or the role's ("AROA…") unique id, for aws:userid. Absent: a
    /// stand-in id derived from the ARN.
    #[serde(default)]
    pub unique_id: Option<String>,
    /// A service-linked role (exempt from SCPs and RCPs).
    #[serde(default)]
    pub is_service_linked_role: bool,
    /// The principal's account is the organization's management account (exempt from SCPs).
    #[serde(default)]
    pub account_is_org_management: bool,
}

/// The resource.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ResourceFile {
    /// The resource ARN, or "*" for actions without a resource.
    pub arn: String,
    /// The owning account (from the ARN when it has one; else the principal's account).
    #[serde(default)]
    pub account: Option<String>,
    /// The owner is the organization's management account (exempt from RCPs).
    #[serde(default)]
    pub account_is_org_management: bool,
    /// The resource is an AWS managed KMS key (exempt from RCPs).
    #[serde(default)]
    pub is_aws_managed_key: bool,
}

/// A policy document. In TOML it is a string holding AWS's JSON ('''{"Version":"2012-10-17",…}''');
/// in JSON files it may be an object or such a string. An empty string means "no policy".
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum PolicyDocument {
    /// The policy JSON as a string.
    Text(String),
    /// The policy as an object (JSON scenario files).
    Object(BTreeMap<String, serde_json::Value>),
}

/// One policy or a list of them.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum PolicyList {
    /// A single policy.
    One(PolicyDocument),
    /// Several policies.
    Many(Vec<PolicyDocument>),
}

/// The policies of an IAM scenario.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PoliciesFile {
    /// Identity-based policies of the principal (its user, groups or role).
    #[serde(default)]
    pub identity: Option<PolicyList>,
    /// The resource-based policy: a bucket policy, a KMS key policy, a role trust policy (for sts:AssumeRole*).
    #[serde(default)]
    pub resource: Option<PolicyDocument>,
    /// The permissions boundary of the principal's user or role.
    #[serde(default)]
    pub permissions_boundary: Option<PolicyDocument>,
    /// The session policy passed when the session was created.
    #[serde(default)]
    pub session: Option<PolicyDocument>,
    /// The policy of the VPC endpoint the request goes through.
    #[serde(default)]
    pub vpc_endpoint: Option<PolicyDocument>,
    /// SCPs: one list per level of the PRINCIPAL's account, root first. FullAWSAccess is not
    /// implied: every level needs an Allow of its own. Absent = no organization.
    #[serde(default)]
    pub scps: Option<Vec<Vec<PolicyDocument>>>,
    /// RCPs: one list per level of the RESOURCE's account, root first (list RCPFullAWSAccess
    /// where it is attached). Absent = no organization.
    #[serde(default)]
    pub rcps: Option<Vec<Vec<PolicyDocument>>>,
}

/// The connection direction.
#[derive(Debug, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum DirectionName {
    /// A client reaches the target ENI.
    Inbound,
    /// The target starts the connection.
    Outbound,
}

/// The connection.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct FlowFile {
    /// "tcp" | "udp" | "icmp" | "icmpv6" or a protocol number as a string.
    pub protocol: String,
    /// The client's address.
    pub src_ip: String,
    /// The client's ephemeral port (default 49152).
    #[serde(default)]
    pub src_port: Option<u16>,
    /// The server's address.
    pub dst_ip: String,
    /// The server's port (tcp / udp).
    #[serde(default)]
    pub dst_port: Option<u16>,
    /// ICMP / ICMPv6 type (absent = echo request: 8, or 128 for icmpv6).
    #[serde(default)]
    pub icmp_type: Option<i16>,
    /// ICMP / ICMPv6 code (absent = 0).
    #[serde(default)]
    pub icmp_code: Option<i16>,
}

/// The target ENI.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct EndpointFile {
    /// The ENI id.
    #[serde(default)]
    pub eni: Option<String>,
    /// Its private address.
    pub ip: String,
    /// Its subnet, e.g. "10.0.1.0/24".
    pub subnet_cidr: String,
    /// The security group ids on the ENI (defined in [security_groups]).
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Its IPv6 address (dual-stack subnets; needs `subnet_ipv6_cidr`).
    #[serde(default)]
    pub ipv6: Option<String>,
    /// The subnet's IPv6 CIDR, e.g. "2001:db8:1:1::/64".
    #[serde(default)]
    pub subnet_ipv6_cidr: Option<String>,
    /// A public IPv4 or Elastic IP address (needed to use an internet gateway over IPv4).
    #[serde(default)]
    pub public_ip: Option<String>,
    /// The route table explicitly associated with the subnet; absent = the VPC's main one.
    #[serde(default)]
    pub route_table: Option<String>,
    /// The VPC and its routing; absent = routing is not checked.
    #[serde(default)]
    pub vpc: Option<VpcFile>,
}

/// The peer ENI.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PeerFile {
    /// The ENI id.
    #[serde(default)]
    pub eni: Option<String>,
    /// Its private address (it takes part in the flow when it is the flow's other end).
    pub ip: String,
    /// Its subnet.
    pub subnet_cidr: String,
    /// Its security group ids.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Its IPv6 address (dual-stack subnets; needs `subnet_ipv6_cidr`).
    #[serde(default)]
    pub ipv6: Option<String>,
    /// The subnet's IPv6 CIDR, e.g. "2001:db8:1:1::/64".
    #[serde(default)]
    pub subnet_ipv6_cidr: Option<String>,
    /// A public IPv4 or Elastic IP address (needed to use an internet gateway over IPv4).
    #[serde(default)]
    pub public_ip: Option<String>,
    /// The route table explicitly associated with the subnet; absent = the VPC's main one.
    #[serde(default)]
    pub route_table: Option<String>,
    /// The VPC and its routing; absent = routing is not checked.
    #[serde(default)]
    pub vpc: Option<VpcFile>,
    /// Its subnet's network ACL; absent = the default ACL.
    #[serde(default)]
    pub subnet_nacl: Option<NaclFile>,
}

/// A security group: allow rules only; egress absent = no outbound rules.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SecurityGroupFile {
    /// Inbound allow rules.
    #[serde(default)]
    pub ingress: Vec<SgRuleFile>,
    /// Outbound allow rules.
    #[serde(default)]
    pub egress: Vec<SgRuleFile>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
}

/// A security group rule: `cidr` or `source_sg` (the destination group for egress rules).
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SgRuleFile {
    /// "tcp" | "udp" | "icmp" | "-1" (all).
    pub protocol: String,
    /// [from, to]; absent or null = every port.
    #[serde(default)]
    pub ports: Option<[u16; 2]>,
    /// A CIDR block.
    #[serde(default)]
    pub cidr: Option<String>,
    /// A security group id: the ENIs carrying it.
    #[serde(default)]
    pub source_sg: Option<String>,
    /// A prefix list id ("pl-…", defined in the VPC's `prefix_lists`) instead of a CIDR.
    #[serde(default)]
    pub prefix_list: Option<String>,
    /// ICMP type the rule matches, 0–255 or -1 for every type (icmp / icmpv6 rules only).
    #[serde(default)]
    pub icmp_type: Option<i16>,
    /// ICMP code the rule matches, 0–255 or -1 for every code; needs `icmp_type`.
    #[serde(default)]
    pub icmp_code: Option<i16>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
}

/// A network ACL: numbered rules, lowest first; the final deny-all is implicit.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct NaclFile {
    /// Inbound rules.
    #[serde(default)]
    pub ingress: Vec<NaclRuleFile>,
    /// Outbound rules.
    #[serde(default)]
    pub egress: Vec<NaclRuleFile>,
}

/// A network ACL rule.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct NaclRuleFile {
    /// The rule number, 1–32766 (lowest first).
    pub rule: u32,
    /// "tcp" | "udp" | "icmp" | "-1" (all).
    pub protocol: String,
    /// Destination ports [from, to]; absent or null = every port.
    #[serde(default)]
    pub ports: Option<[u16; 2]>,
    /// Source (ingress) or destination (egress) block.
    pub cidr: String,
    /// "allow" | "deny".
    pub action: NaclAction,
    /// ICMP type the rule matches, 0–255 or -1 for every type (icmp / icmpv6 rules only).
    #[serde(default)]
    pub icmp_type: Option<i16>,
    /// ICMP code the rule matches, 0–255 or -1 for every code; needs `icmp_type`.
    #[serde(default)]
    pub icmp_code: Option<i16>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
}

/// allow | deny.
#[derive(Debug, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum NaclAction {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

/// The expected result: IAM uses decision (and decisive); network uses reachable (and blocked_at).
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ExpectFile {
    /// IAM: "Allow" | "ExplicitDeny" | "ImplicitDeny".
    #[serde(default)]
    pub decision: Option<String>,
    /// IAM: the policy types that decided: identity, resource, scp, rcp, permissions_boundary, session, vpc_endpoint.
    #[serde(default)]
    pub decisive: Option<Vec<String>>,
    /// IAM: the documented per-action rule that decides (e.g. "get-caller-identity-needs-no-permission").
    #[serde(default)]
    pub rule: Option<String>,
    /// Network: whether the connection works.
    #[serde(default)]
    pub reachable: Option<bool>,
    /// Network: sg-ingress | sg-egress | nacl-ingress | nacl-egress | nacl-egress-return | nacl-ingress-return
    /// (peer-… for the peer ENI's side).
    #[serde(default)]
    pub blocked_at: Option<String>,
}

/// A knob: a dotted path into this document and the values a learner may set there.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct KnobFile {
    /// Stable id.
    pub id: String,
    /// Japanese label.
    pub label: String,
    /// A dotted path: numeric segments index arrays (policies.identity.0); after request.context.
    /// the whole rest is one context key (request.context.aws:MultiFactorAuthPresent).
    pub set: String,
    /// The values, of the type the path expects (strings for context keys and policies, [from, to]
    /// for ports, booleans for flags).
    pub values: Vec<serde_json::Value>,
}

/// A VPC: its CIDR blocks, route tables, NAT gateways and prefix lists.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct VpcFile {
    /// The VPC id, shown in explanations.
    #[serde(default)]
    pub id: Option<String>,
    /// The VPC's IPv4 CIDR block or blocks; each gets its `local` route.
    pub cidr: OneOrMany,
    /// The VPC's IPv6 CIDR block or blocks.
    #[serde(default)]
    pub ipv6_cidr: Option<OneOrMany>,
    /// The VPC's Region (for the cross-Region peering checks).
    #[serde(default)]
    pub region: Option<String>,
    /// The main route table's name in `route_tables`; absent = a main table with local routes only.
    #[serde(default)]
    pub main_route_table: Option<String>,
    /// Route tables by name.
    #[serde(default)]
    pub route_tables: BTreeMap<String, RouteTableFile>,
    /// NAT gateways by id ("nat-…").
    #[serde(default)]
    pub nat_gateways: BTreeMap<String, NatGatewayFile>,
    /// Prefix lists by id ("pl-…"): their CIDRs.
    #[serde(default)]
    pub prefix_lists: BTreeMap<String, Vec<String>>,
}

/// One string or an array of strings.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A route table.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct RouteTableFile {
    /// Its routes (the VPC's local routes are added by themselves).
    #[serde(default)]
    pub routes: Vec<RouteFile>,
    #[serde(default)]
    pub description: Option<String>,
}

/// One route.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct RouteFile {
    /// A CIDR ("0.0.0.0/0", "::/0") or a prefix list id ("pl-…").
    pub destination: String,
    /// "local", an internet gateway ("igw-…"), egress-only internet gateway ("eigw-…"), NAT gateway
    /// ("nat-…"), peering connection ("pcx-…"), transit gateway ("tgw-…") or gateway endpoint ("vpce-…").
    pub target: String,
    /// "active" (default) or "blackhole".
    #[serde(default)]
    pub state: Option<RouteState>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A route's state.
#[derive(Debug, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum RouteState {
    Active,
    Blackhole,
}

/// A NAT gateway.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct NatGatewayFile {
    /// The route table of the NAT gateway's own (public) subnet.
    #[serde(default)]
    pub route_table: Option<String>,
    /// Its Elastic IP address.
    pub elastic_ip: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// An AWS Organizations organization.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct OrganizationFile {
    /// The organization id, e.g. "o-a1b2c3d4e5".
    pub id: String,
    /// The root id, e.g. "r-ab12".
    pub root: String,
    /// The management account (it must also be in `accounts`); the principal's and the
    /// resource's `account_is_org_management` follow from it.
    #[serde(default)]
    pub management_account: Option<String>,
    /// Each member account and its OUs from the root down, e.g.
    /// { "111122223333" = ["ou-ab12-11111111", "ou-ab12-22222222"] }; [] = directly under the root.
    pub accounts: BTreeMap<String, Vec<String>>,
}

/// `[s3]`: S3 public-access settings of the bucket the request reaches.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct S3File {
    /// The bucket owner's account-level Block Public Access.
    #[serde(default)]
    pub account_block_public_access: Option<BpaFile>,
    /// The bucket-level Block Public Access (the effective setting is the OR of both levels).
    #[serde(default)]
    pub bucket_block_public_access: Option<BpaFile>,
    /// "BucketOwnerEnforced" (default: ACLs disabled), "BucketOwnerPreferred" or "ObjectWriter".
    #[serde(default)]
    pub object_ownership: Option<String>,
    /// The bucket ACL.
    #[serde(default)]
    pub bucket_acl: Vec<AclGrantFile>,
    /// The object ACL (WRITE is not allowed on objects).
    #[serde(default)]
    pub object_acl: Vec<AclGrantFile>,
    /// The ACL a PutBucketAcl / PutObjectAcl / PutObject request sets.
    #[serde(default)]
    pub request_acl: Option<Vec<AclGrantFile>>,
    /// The bucket policy a PutBucketPolicy request sets.
    #[serde(default)]
    pub request_policy: Option<PolicyDocument>,
}

/// The four Block Public Access settings of one level (absent = false).
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BpaFile {
    /// BlockPublicAcls.
    #[serde(default)]
    pub block_public_acls: bool,
    /// IgnorePublicAcls.
    #[serde(default)]
    pub ignore_public_acls: bool,
    /// BlockPublicPolicy.
    #[serde(default)]
    pub block_public_policy: bool,
    /// RestrictPublicBuckets.
    #[serde(default)]
    pub restrict_public_buckets: bool,
}

/// One ACL grant.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AclGrantFile {
    /// "AllUsers", "AuthenticatedUsers", a 12-digit account id or a 64-hex canonical user id.
    pub grantee: String,
    /// "READ", "WRITE", "READ_ACP", "WRITE_ACP" or "FULL_CONTROL".
    pub permission: String,
}
