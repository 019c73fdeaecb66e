//! Every key a scenario file may hold, table by table. The builders reject anything else, and
//! [`ACCEPTED`] names where each list applies so a test can hold the schema mirror in
//! `file.rs` to exactly the same keys.

/// Keys of every scenario.
pub const COMMON: &[&str] = &["id", "title", "kind", "expect", "knobs", "$schema"];
/// Top-level keys of an IAM scenario.
pub const IAM: &[&str] = &["request", "policies", "organization", "s3"];
/// Top-level keys of a network scenario.
pub const NETWORK: &[&str] = &[
    "direction",
    "flow",
    "target",
    "security_groups",
    "target_subnet_nacl",
    "peer",
];
/// `[request]`.
pub const REQUEST: &[&str] = &[
    "action",
    "context",
    "principal",
    "resource",
    "session_tags",
    "source_identity",
    "pass_role",
];
/// `[request.principal]`.
pub const PRINCIPAL: &[&str] = &[
    "type",
    "arn",
    "account",
    "role_arn",
    "federating_user_arn",
    "service",
    "provider",
    "canonical_user",
    "unique_id",
    "is_service_linked_role",
    "account_is_org_management",
];
/// `[request.resource]`.
pub const RESOURCE: &[&str] = &[
    "arn",
    "account",
    "account_is_org_management",
    "is_aws_managed_key",
];
/// `[request.pass_role]`.
pub const PASS_ROLE: &[&str] = &["role_arn", "service"];
/// `[policies]`.
pub const POLICIES: &[&str] = &[
    "identity",
    "resource",
    "permissions_boundary",
    "session",
    "vpc_endpoint",
    "scps",
    "rcps",
];
/// `[organization]`.
pub const ORGANIZATION: &[&str] = &["id", "root", "management_account", "accounts"];
/// `[s3]` (S3 requests only).
pub const S3: &[&str] = &[
    "account_block_public_access",
    "bucket_block_public_access",
    "object_ownership",
    "bucket_acl",
    "object_acl",
    "request_acl",
    "request_policy",
];
/// `[s3] account_block_public_access` / `bucket_block_public_access`.
pub const S3_BPA: &[&str] = &[
    "block_public_acls",
    "ignore_public_acls",
    "block_public_policy",
    "restrict_public_buckets",
];
/// One ACL grant (`[s3] bucket_acl`, `object_acl`, `request_acl`).
pub const S3_GRANT: &[&str] = &["grantee", "permission"];
/// `[expect]` of an IAM scenario.
pub const IAM_EXPECT: &[&str] = &["decision", "decisive", "rule"];
/// `[expect]` of a network scenario.
pub const NETWORK_EXPECT: &[&str] = &["reachable", "blocked_at"];
/// One `[[knobs]]` entry.
pub const KNOB: &[&str] = &["id", "label", "set", "values"];
/// `[flow]`.
pub const FLOW: &[&str] = &[
    "protocol",
    "src_ip",
    "src_port",
    "dst_ip",
    "dst_port",
    "icmp_type",
    "icmp_code",
];
/// `[target]` (and `[peer]`, which may also have its own `subnet_nacl`).
pub const ENDPOINT: &[&str] = &[
    "eni",
    "ip",
    "subnet_cidr",
    "security_groups",
    "ipv6",
    "subnet_ipv6_cidr",
    "public_ip",
    "route_table",
    "vpc",
];
/// What `[peer]` has beyond [`ENDPOINT`].
pub const PEER_EXTRA: &[&str] = &["subnet_nacl"];
/// One security group under `[security_groups]`.
pub const SECURITY_GROUP: &[&str] = &["ingress", "egress", "description"];
/// One security group rule.
pub const SG_RULE: &[&str] = &[
    "protocol",
    "ports",
    "cidr",
    "source_sg",
    "prefix_list",
    "icmp_type",
    "icmp_code",
    "description",
];
/// A network ACL.
pub const NACL: &[&str] = &["ingress", "egress"];
/// One network ACL rule.
pub const NACL_RULE: &[&str] = &[
    "rule",
    "protocol",
    "ports",
    "cidr",
    "action",
    "icmp_type",
    "icmp_code",
    "description",
];
/// `[target.vpc]` / `[peer.vpc]`.
pub const VPC: &[&str] = &[
    "id",
    "cidr",
    "ipv6_cidr",
    "region",
    "main_route_table",
    "route_tables",
    "nat_gateways",
    "prefix_lists",
];
/// One route table under `route_tables`.
pub const ROUTE_TABLE: &[&str] = &["routes", "description"];
/// One NAT gateway under `nat_gateways`.
pub const NAT_GATEWAY: &[&str] = &["route_table", "elastic_ip", "description"];
/// One route.
pub const ROUTE: &[&str] = &["destination", "target", "state", "description"];

/// Where each key list applies, as a path into the scenario file: `.` steps into a key, `[]`
/// into an array's items, `{}` into a table's values. A path with several lists accepts their
/// union (the top level and `[expect]` differ by kind).
pub const ACCEPTED: &[(&str, &[&[&str]])] = &[
    ("", &[COMMON, IAM, NETWORK]),
    ("request", &[REQUEST]),
    ("request.principal", &[PRINCIPAL]),
    ("request.resource", &[RESOURCE]),
    ("request.pass_role", &[PASS_ROLE]),
    ("policies", &[POLICIES]),
    ("organization", &[ORGANIZATION]),
    ("s3", &[S3]),
    ("s3.account_block_public_access", &[S3_BPA]),
    ("s3.bucket_block_public_access", &[S3_BPA]),
    ("s3.bucket_acl[]", &[S3_GRANT]),
    ("s3.object_acl[]", &[S3_GRANT]),
    ("s3.request_acl[]", &[S3_GRANT]),
    ("expect", &[IAM_EXPECT, NETWORK_EXPECT]),
    ("knobs[]", &[KNOB]),
    ("flow", &[FLOW]),
    ("target", &[ENDPOINT]),
    ("target.vpc", &[VPC]),
    ("target.vpc.route_tables{}", &[ROUTE_TABLE]),
    ("target.vpc.route_tables{}.routes[]", &[ROUTE]),
    ("target.vpc.nat_gateways{}", &[NAT_GATEWAY]),
    ("peer", &[ENDPOINT, PEER_EXTRA]),
    ("peer.vpc", &[VPC]),
    ("peer.subnet_nacl", &[NACL]),
    ("peer.subnet_nacl.ingress[]", &[NACL_RULE]),
    ("peer.subnet_nacl.egress[]", &[NACL_RULE]),
    ("security_groups{}", &[SECURITY_GROUP]),
    ("security_groups{}.ingress[]", &[SG_RULE]),
    ("security_groups{}.egress[]", &[SG_RULE]),
    ("target_subnet_nacl", &[NACL]),
    ("target_subnet_nacl.ingress[]", &[NACL_RULE]),
    ("target_subnet_nacl.egress[]", &[NACL_RULE]),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::ACCEPTED;
    use crate::sim::scenario::ScenarioFile;

    /// Follows `$ref`s and `Option`'s `anyOf [T, null]` to the object schema underneath.
    fn object<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
        loop {
            if let Some(r) = node.get("$ref").and_then(Value::as_str) {
                let name = r.rsplit('/').next().unwrap();
                node = &root["$defs"][name];
            } else if let Some(alts) = node.get("anyOf").or_else(|| node.get("oneOf")) {
                node = alts
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|a| a.get("type") != Some(&Value::from("null")))
                    .unwrap();
            } else {
                return node;
            }
        }
    }

    fn at<'a>(root: &'a Value, path: &str) -> &'a Value {
        let mut node = object(root, root);
        for step in path.split('.').filter(|s| !s.is_empty()) {
            let (key, suffix) = step
                .find(['[', '{'])
                .map_or((step, ""), |i| step.split_at(i));
            node = object(root, &node["properties"][key]);
            for s in suffix.as_bytes().chunks(2) {
                node = object(
                    root,
                    if s == b"[]" {
                        &node["items"]
                    } else {
                        &node["additionalProperties"]
                    },
                );
            }
        }
        node
    }

    #[test]
    fn the_schema_mirror_accepts_exactly_the_keys_the_builder_accepts() {
        let schema = serde_json::to_value(schemars::schema_for!(ScenarioFile)).unwrap();
        let mut wrong = Vec::new();
        for (path, lists) in ACCEPTED {
            let builder: BTreeSet<&str> = lists
                .iter()
                .flat_map(|l| l.iter().copied())
                .filter(|k| *k != "$schema")
                .collect();
            let node = at(&schema, path);
            let mirror: BTreeSet<&str> = node["properties"]
                .as_object()
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if builder != mirror {
                wrong.push(format!(
                    "`{path}`: only the builder {:?}, only the schema {:?}",
                    builder.difference(&mirror).collect::<Vec<_>>(),
                    mirror.difference(&builder).collect::<Vec<_>>()
                ));
            }
            if node.get("additionalProperties") != Some(&Value::Bool(false)) {
                wrong.push(format!("`{path}`: the schema does not reject unknown keys"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
