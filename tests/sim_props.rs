//! Properties of the simulator over generated scenarios (proptest): an applicable Deny always
//! decides, an Allow never undoes a Deny nor takes an Allow away, no policies means ImplicitDeny,
//! the fast and the explained paths agree — and no input, however malformed, makes the parsers
//! panic.

use proptest::prelude::*;
use serde_json::{Value, json};
use shikaku::sim::policy::{PolicyType, parse_policy};
use shikaku::sim::scenario::{self, Format, Scenario};
use shikaku::sim::{self, Decision, Outcome, Verdict};

const ACTIONS: &[(&str, &str)] = &[
    (
        "s3:GetObject",
        "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
    ),
    ("s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/upload/x"),
    (
        "ec2:RunInstances",
        "arn:aws:ec2:us-east-1:111122223333:instance/*",
    ),
    ("iam:CreateUser", "arn:aws:iam::111122223333:user/new"),
    (
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111122223333:queue1",
    ),
];
const ACTION_PATTERNS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "ec2:*",
    "iam:*",
    "s3:GetObject",
    "ec2:RunInstances",
    "sqs:Send*",
    "kms:*",
];
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::amzn-s3-demo-bucket/*",
    "arn:aws:s3:::other/*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:iam::111122223333:user/*",
    "arn:aws:sqs:*:111122223333:*",
];

fn conditions() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(json!({"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))),
        1 => Just(Some(json!({"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "ap-northeast-1"]}}))),
        1 => Just(Some(json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}))),
        1 => Just(Some(json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))),
        1 => Just(Some(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))),
        1 => Just(Some(json!({"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}))),
        1 => Just(Some(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["Owner"]}}))),
        1 => Just(Some(json!({"ForAllValues:StringLike": {"aws:TagKeys": ["Own*", "Project"]}}))),
        1 => Just(Some(json!({"Null": {"aws:TokenIssueTime": "true"}}))),
        1 => Just(Some(json!({"StringLike": {"aws:PrincipalTag/team": "${aws:username}"}}))),
    ]
}

/// A statement; `principal` is set for resource-based policies.
fn statement(principal: bool) -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::sample::subsequence(ACTION_PATTERNS, 1..3),
        prop::sample::subsequence(RESOURCE_PATTERNS, 1..3),
        conditions(),
        prop_oneof![
            Just(json!("*")),
            Just(json!({"AWS": "111122223333"})),
            Just(json!({"AWS": "arn:aws:iam::111122223333:user/alice"}))
        ],
    )
        .prop_map(
            move |(allow, not_action, actions, resources, condition, who)| {
                let mut s = json!({
                    "Effect": if allow { "Allow" } else { "Deny" },
                    (if not_action { "NotAction" } else { "Action" }): actions,
                    "Resource": resources,
                });
                if let Some(c) = condition {
                    s["Condition"] = c;
                }
                if principal {
                    s["Principal"] = who;
                }
                s
            },
        )
}

fn policy(principal: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(principal), 1..4)
        .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}))
}

fn request() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(ACTIONS),
        prop::option::of(prop::sample::select(&["us-east-1", "ap-northeast-1", "eu-west-1"][..])),
        prop::option::of(prop::sample::select(&["true", "false"][..])),
        prop::option::of(prop::sample::select(&["203.0.113.9", "198.51.100.1", "2001:db8::1"][..])),
        prop::option::of(prop::collection::vec(prop::sample::select(&["Owner", "Project", "Secret"][..]), 0..3)),
        any::<bool>(),
    )
        .prop_map(|((action, resource), region, mfa, ip, tags, role)| {
            let mut context = serde_json::Map::new();
            if let Some(r) = region {
                context.insert("aws:RequestedRegion".into(), json!(r));
            }
            if let Some(m) = mfa {
                context.insert("aws:MultiFactorAuthPresent".into(), json!(m));
            }
            if let Some(i) = ip {
                context.insert("aws:SourceIp".into(), json!(i));
            }
            if let Some(t) = tags {
                context.insert("aws:TagKeys".into(), json!(t));
            }
            let principal = if role {
                json!({"type": "assumed-role-session", "arn": "arn:aws:sts::111122223333:assumed-role/Dev/alice", "role_arn": "arn:aws:iam::111122223333:role/Dev"})
            } else {
                json!({"type": "iam-user", "arn": "arn:aws:iam::111122223333:user/alice"})
            };
            json!({"action": action, "principal": principal, "resource": {"arn": resource, "account": "111122223333"}, "context": context})
        })
}

/// Policies for an IAM user or role session of a member account: every type applies.
fn policies() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(policy(false), 0..3),
        prop::option::of(policy(true)),
        prop::option::of(policy(false)),
        prop::option::of(policy(false)),
        prop::option::of(prop::collection::vec(
            prop::collection::vec(policy(false), 1..3),
            1..3,
        )),
        prop::option::of(policy(true)),
    )
        .prop_map(|(identity, resource, boundary, session, scps, vpce)| {
            let mut p = json!({"identity": identity});
            if let Some(r) = resource {
                p["resource"] = r;
            }
            if let Some(b) = boundary {
                p["permissions_boundary"] = b;
            }
            if let Some(s) = session {
                p["session"] = s;
            }
            if let Some(s) = scps {
                p["scps"] = json!(s);
            }
            if let Some(v) = vpce {
                p["vpc_endpoint"] = v;
            }
            p
        })
}

fn build(request: &Value, policies: &Value) -> Scenario {
    let doc = json!({"id": "prop", "kind": "iam", "request": request, "policies": policies});
    scenario::parse(&doc.to_string(), Format::Json)
        .unwrap_or_else(|e| panic!("generated scenario rejected: {e:?}\n{doc:#}"))
}

fn decision(sc: &Scenario) -> Decision {
    match sim::decide(sc) {
        Verdict::Iam(d) => d,
        other => panic!("not an IAM verdict: {other:?}"),
    }
}

/// Every place a statement can go where it takes part in the request: (JSON pointer of a
/// policy, whether it needs a Principal). Session policies exist only for sessions.
fn slots(request: &Value, policies: &Value) -> Vec<(String, bool)> {
    let session = request["principal"]["type"] != "iam-user";
    let mut out = Vec::new();
    for (i, _) in policies["identity"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push((format!("/identity/{i}"), false));
    }
    for (key, principal) in [
        ("resource", true),
        ("permissions_boundary", false),
        ("session", false),
        ("vpc_endpoint", true),
    ] {
        if policies.get(key).is_some() && (key != "session" || session) {
            out.push((format!("/{key}"), principal));
        }
    }
    for (l, level) in policies["scps"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        for (i, _) in level.as_array().into_iter().flatten().enumerate() {
            out.push((format!("/scps/{l}/{i}"), false));
        }
    }
    out
}

/// The policies with an allow-everything statement added to each, so that Allow is common and
/// only the generated denies and conditions decide.
fn permissive(policies: &Value) -> Value {
    let mut p = policies.clone();
    if p["identity"].as_array().is_none_or(Vec::is_empty) {
        p["identity"] = json!([{"Version": "2012-10-17", "Statement": []}]);
    }
    let all = |principal: bool| {
        let mut s = json!({"Effect": "Allow", "Action": "*", "Resource": "*"});
        if principal {
            s["Principal"] = json!("*");
        }
        s
    };
    for doc in p["identity"].as_array_mut().unwrap() {
        doc["Statement"].as_array_mut().unwrap().push(all(false));
    }
    for (key, principal) in [
        ("resource", true),
        ("permissions_boundary", false),
        ("session", false),
        ("vpc_endpoint", true),
    ] {
        if let Some(doc) = p.get_mut(key) {
            doc["Statement"]
                .as_array_mut()
                .unwrap()
                .push(all(principal));
        }
    }
    for level in p
        .get_mut("scps")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        for doc in level.as_array_mut().unwrap() {
            doc["Statement"].as_array_mut().unwrap().push(all(false));
        }
    }
    p
}

fn with_statement(policies: &Value, slot: &str, stmt: Value) -> Value {
    let mut p = policies.clone();
    p.pointer_mut(slot)
        .and_then(|d| d["Statement"].as_array_mut())
        .expect("slot is a policy")
        .push(stmt);
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_matching_deny_in_any_applicable_policy_is_explicit_deny(req in request(), pols in policies(), pick in any::<prop::sample::Index>()) {
        let slots = slots(&req, &pols);
        prop_assume!(!slots.is_empty());
        let (slot, principal) = &slots[pick.index(slots.len())];
        let mut deny = json!({"Sid": "PropDeny", "Effect": "Deny", "Action": "*", "Resource": "*"});
        if *principal {
            deny["Principal"] = json!("*");
        }
        let sc = build(&req, &with_statement(&pols, slot, deny));
        prop_assert_eq!(decision(&sc), Decision::ExplicitDeny);
        let Outcome::Iam(o) = sim::evaluate(&sc) else { unreachable!() };
        let ptype = match slot.split('/').nth(1) {
            Some("identity") => PolicyType::Identity,
            Some("resource") => PolicyType::Resource,
            Some("permissions_boundary") => PolicyType::PermissionsBoundary,
            Some("session") => PolicyType::Session,
            Some("vpc_endpoint") => PolicyType::VpcEndpoint,
            _ => PolicyType::Scp,
        };
        prop_assert!(o.decisive.contains(&ptype), "decisive {:?} lacks {:?}", o.decisive, ptype);
    }

    #[test]
    fn whenever_the_trace_shows_a_matching_deny_the_decision_is_explicit_deny(req in request(), pols in policies()) {
        let sc = build(&req, &pols);
        let Outcome::Iam(o) = sim::evaluate(&sc) else { unreachable!() };
        let denied = o.trace.iter().any(|t| t.applicable && t.matched && t.effect == shikaku::sim::policy::Effect::Deny);
        prop_assert_eq!(denied, o.decision == Decision::ExplicitDeny);
        prop_assert_eq!(Verdict::Iam(o.decision), sim::decide(&sc));
    }

    #[test]
    fn adding_an_allow_never_undoes_a_deny_nor_takes_an_allow_away(req in request(), pols in policies(), pick in any::<prop::sample::Index>(), extra in statement(true)) {
        let pols = permissive(&pols);
        let before = decision(&build(&req, &pols));
        let slots = slots(&req, &pols);
        let (slot, principal) = &slots[pick.index(slots.len())];
        let mut allow = extra;
        allow["Effect"] = json!("Allow");
        if !principal {
            allow.as_object_mut().unwrap().remove("Principal");
        }
        let after = decision(&build(&req, &with_statement(&pols, slot, allow)));
        match before {
            Decision::ExplicitDeny => prop_assert_eq!(after, Decision::ExplicitDeny),
            Decision::Allow => prop_assert_eq!(after, Decision::Allow),
            Decision::ImplicitDeny => prop_assert_ne!(after, Decision::ExplicitDeny),
        }
    }

    #[test]
    fn switching_a_deny_off_never_takes_an_allow_away(req in request(), pols in policies()) {
        let sc = build(&req, &permissive(&pols));
        let before = decision(&sc);
        let Outcome::Iam(o) = sim::evaluate(&sc) else { unreachable!() };
        for t in o.trace.iter().filter(|t| t.effect == shikaku::sim::policy::Effect::Deny) {
            let after = decision(&sc.with_statement_enabled(t.at, false));
            prop_assert!(!(before == Decision::Allow && after != Decision::Allow));
        }
    }

    #[test]
    fn no_policies_is_implicit_deny(req in request(), kind in prop::sample::select(&["iam-user", "assumed-role-session", "federated-user-session", "service", "anonymous", "federated"][..])) {
        let mut req = req;
        req["principal"] = match kind {
            "iam-user" => json!({"type": kind, "arn": "arn:aws:iam::111122223333:user/alice"}),
            "assumed-role-session" => json!({"type": kind, "arn": "arn:aws:sts::111122223333:assumed-role/Dev/alice"}),
            "federated-user-session" => json!({"type": kind, "arn": "arn:aws:sts::111122223333:federated-user/bob"}),
            "service" => json!({"type": kind, "service": "ec2.amazonaws.com"}),
            "federated" => json!({"type": kind, "provider": "cognito-identity.amazonaws.com"}),
            _ => json!({"type": kind}),
        };
        let sc = build(&req, &json!({}));
        prop_assert_eq!(decision(&sc), Decision::ImplicitDeny);
    }

    #[test]
    fn policy_parser_never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        for t in PolicyType::ALL {
            let _ = parse_policy(&text, t);
        }
    }

    #[test]
    fn policy_parser_never_panics_on_json_like_text(text in r#"[\{\}\[\]",:a-zA-Z0-9*?$ /\\]{0,300}"#) {
        let _ = parse_policy(&text, PolicyType::Resource);
        let _ = scenario::parse(&text, Format::Json);
    }

    #[test]
    fn policy_parser_never_panics_on_arbitrary_json(value in arbitrary_json()) {
        let text = value.to_string();
        for t in PolicyType::ALL {
            if let Ok(p) = parse_policy(&text, t) {
                // Whatever validates also evaluates.
                let doc = json!({"id": "x", "request": {"action": "s3:GetObject", "principal": {"type": "anonymous"}, "resource": {"arn": "*"}}, "policies": {"resource": text}});
                let _ = scenario::parse(&doc.to_string(), Format::Json).map(|s| sim::evaluate(&s));
                let _ = p;
            }
        }
    }

    #[test]
    fn policy_shaped_json_never_panics(stmts in prop::collection::vec(arbitrary_statement(), 0..4)) {
        let text = json!({"Version": "2012-10-17", "Statement": stmts}).to_string();
        for t in PolicyType::ALL {
            let _ = parse_policy(&text, t);
        }
    }

    #[test]
    fn scenario_parser_never_panics(text in "\\PC{0,400}") {
        let _ = scenario::parse(&text, Format::Toml);
        let _ = scenario::parse(&text, Format::Json);
    }

    #[test]
    fn scenario_shaped_toml_never_panics(lines in prop::collection::vec(toml_line(), 0..12)) {
        let text = lines.join("\n");
        if let Ok(sc) = scenario::parse(&text, Format::Toml) {
            let _ = sim::evaluate(&sc);
        }
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-zA-Z0-9:*?/${}.-]{0,20}".prop_map(Value::String),
        prop::sample::select(
            &[
                "Allow",
                "Deny",
                "*",
                "2012-10-17",
                "s3:*",
                "arn:aws:s3:::b/*",
                "${aws:username}"
            ][..]
        )
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(
                    &[
                        "Version",
                        "Statement",
                        "Effect",
                        "Action",
                        "NotAction",
                        "Resource",
                        "NotResource",
                        "Principal",
                        "NotPrincipal",
                        "Condition",
                        "Sid",
                        "AWS",
                        "Service",
                        "StringEquals",
                        "ForAnyValue:StringLike",
                        "Null",
                        "aws:SourceIp",
                        "x"
                    ][..]
                )
                .prop_map(str::to_string),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arbitrary_statement() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop::sample::select(
            &[
                "Sid",
                "Effect",
                "Principal",
                "NotPrincipal",
                "Action",
                "NotAction",
                "Resource",
                "NotResource",
                "Condition",
            ][..],
        )
        .prop_map(str::to_string),
        arbitrary_json(),
        0..6,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn toml_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("id = \"x\"".to_string()),
        Just("kind = \"network\"".to_string()),
        Just("[request]".to_string()),
        Just("action = \"s3:GetObject\"".to_string()),
        Just("[request.principal]".to_string()),
        Just("type = \"root\"".to_string()),
        Just("account = \"111122223333\"".to_string()),
        Just("[request.resource]".to_string()),
        Just("arn = \"*\"".to_string()),
        Just("[policies]".to_string()),
        Just("resource = '''{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\"}}'''".to_string()),
        Just("[[knobs]]".to_string()),
        Just("set = \"request.context.aws:SourceIp\"".to_string()),
        Just("values = [\"1.2.3.4\", 5]".to_string()),
        Just("[flow]".to_string()),
        Just("protocol = \"tcp\"".to_string()),
        "[a-z_\\[\\]=\" .0-9{}]{0,30}",
    ]
}
