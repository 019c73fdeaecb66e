//! Scenario files as instructors and the TUI use them: DESIGN.md's example, knobs, switching
//! statements off, error positions inside policy strings, and the content rules of `check`.

use super::*;
use crate::sim::{Decision, Verdict, decide, evaluate};

/// DESIGN.md's example scenario.
const DESIGN_EXAMPLE: &str = r#"id = "scp-region-guard"
title = "SCPでリージョンを東京に限定する"
kind = "iam"

[request]
action = "ec2:RunInstances"
context = { "aws:RequestedRegion" = "us-east-1" }
[request.principal]
type = "assumed-role-session"
arn = "arn:aws:sts::111111111111:assumed-role/Dev/alice"
account = "111111111111"
role_arn = "arn:aws:iam::111111111111:role/Dev"
[request.resource]
arn = "arn:aws:ec2:us-east-1:111111111111:instance/*"
account = "111111111111"

[policies]
identity = ['''{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}''']
scps = [
  ['''{"Version":"2012-10-17","Statement":[{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}]}'''],
  ['''{"Version":"2012-10-17","Statement":[{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}]}''',
   '''{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideTokyo","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"ap-northeast-1"}}}]}'''],
]

[expect]
decision = "ExplicitDeny"

[[knobs]]
id = "region"
label = "リクエストのリージョン"
set = "request.context.aws:RequestedRegion"
values = ["us-east-1", "ap-northeast-1"]
"#;

fn iam_decision(s: &Scenario) -> Decision {
    match decide(s) {
        Verdict::Iam(d) => d,
        v => panic!("{v:?}"),
    }
}

#[test]
fn the_design_example_denies_and_its_knob_allows() {
    let s = parse(DESIGN_EXAMPLE, Format::Toml).unwrap();
    assert_eq!(s.id, "scp-region-guard");
    assert_eq!(s.title, "SCPでリージョンを東京に限定する");
    let outcome = evaluate(&s);
    assert!(s.matches_expect(&outcome));
    assert_eq!(
        outcome.explanation(),
        "SCP『DenyOutsideTokyo』が明示的に拒否しています。明示的な拒否はどの許可よりも優先されます"
    );
    let knob = s.knob("region").unwrap();
    assert_eq!(s.knob_current(knob), Some(0));
    let tokyo = s.with_knob("region", 1).unwrap();
    assert_eq!(tokyo.knob_current(tokyo.knob("region").unwrap()), Some(1));
    assert_eq!(iam_decision(&tokyo), Decision::Allow);
    assert!(!tokyo.matches_expect(&evaluate(&tokyo)));
    assert!(check(&s).is_empty(), "{:?}", check(&s));
    assert!(s.with_knob("region", 9).is_err());
    assert!(s.with_knob("nope", 0).is_err());
}

#[test]
fn a_statement_can_be_switched_off_and_on() {
    let s = parse(DESIGN_EXAMPLE, Format::Toml).unwrap();
    let Outcome::Iam(o) = evaluate(&s) else {
        panic!()
    };
    let deny = o
        .trace
        .iter()
        .find(|t| t.sid.as_deref() == Some("DenyOutsideTokyo"))
        .unwrap();
    assert_eq!(deny.at.policy.to_string(), "scps[1][1]");
    let off = s.with_statement_enabled(deny.at, false);
    assert_eq!(iam_decision(&off), Decision::Allow);
    assert_eq!(off.disabled_statements(), vec![deny.at]);
    let Outcome::Iam(o2) = evaluate(&off) else {
        panic!()
    };
    let t = o2.trace.iter().find(|t| t.at == deny.at).unwrap();
    assert!(!t.enabled && !t.matched);
    assert!(t.reason.contains("オフ"));
    // A knob keeps switched-off statements off.
    let flipped = off.with_knob("region", 0).unwrap();
    assert_eq!(iam_decision(&flipped), Decision::Allow);
    let source = off.statement_source(deny.at).unwrap();
    assert_eq!(source["Sid"], "DenyOutsideTokyo");
    assert_eq!(
        source["Condition"]["StringNotEquals"]["aws:RequestedRegion"],
        "ap-northeast-1"
    );
    let on = off.with_statement_enabled(deny.at, true);
    assert_eq!(iam_decision(&on), Decision::ExplicitDeny);
    assert_eq!(s.statements().len(), 4);
}

#[test]
fn errors_inside_a_policy_string_point_into_the_string() {
    let text = DESIGN_EXAMPLE.replace(
        r#"[{"Effect":"Allow","Action":"ec2:*""#,
        r#"[{"Effect":"Alow","Action":"ec2:*""#,
    );
    let errors = parse(&text, Format::Toml).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(&text[e.span.clone().unwrap()], "\"Alow\"");
    assert!(
        e.message.starts_with(
            "policies.identity[0]のポリシー: Statement[0].Effect: Effect `Alow` は使えません"
        ),
        "{}",
        e.message
    );
    assert!(e.hint.is_some());
}

#[test]
fn every_problem_is_reported_with_a_span() {
    let text = r#"id = "bad"
kind = "iam"
titel = "typo"
[request]
action = "s3:GetObject"
[request.principal]
type = "iam-usr"
[request.resource]
arn = "bucket"
[policies]
identity = ['''{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:x":"1"}}}}''']
[expect]
decision = "Allowed"
"#;
    let errors = parse(text, Format::Toml).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("`titel`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("iam-usr")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("リソースの ARN `bucket`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("StringEqualz")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("Allowed")),
        "{messages:?}"
    );
    for e in &errors {
        let span = e.span.clone().unwrap();
        assert!(span.end <= text.len(), "{e:?}");
    }
    let typo = errors
        .iter()
        .find(|e| e.message.contains("`titel`"))
        .unwrap();
    assert_eq!(typo.hint.as_deref(), Some("`title` のことですか?"));
    let op = errors
        .iter()
        .find(|e| e.message.contains("StringEqualz"))
        .unwrap();
    assert_eq!(&text[op.span.clone().unwrap()], "\"StringEqualz\"");
}

#[test]
fn json_scenarios_take_policies_as_objects_or_strings() {
    let json = r#"{
  "id": "json-example",
  "request": {
    "action": "s3:GetObject",
    "principal": {"type": "iam-user", "arn": "arn:aws:iam::111122223333:user/alice"},
    "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"}
  },
  "policies": {
    "identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}],
    "permissions_boundary": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}]}"
  },
  "expect": {"decision": "ImplicitDeny", "decisive": ["permissions_boundary"]}
}"#;
    let s = parse(json, Format::Json).unwrap();
    assert!(
        matches!(s.kind, ScenarioKind::Iam(_)),
        "a file without kind is IAM when it has request"
    );
    assert!(s.matches_expect(&evaluate(&s)));
    let bad = json.replace(
        r#""Effect": "Allow", "Action": "s3:GetObject""#,
        r#""Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject""#,
    );
    let errors = parse(&bad, Format::Json).unwrap_err();
    assert_eq!(&bad[errors[0].span.clone().unwrap()], "\"s3:PutObject\"");
    let bad_string = json.replace(
        r#"\"Effect\":\"Allow\",\"Action\":\"ec2:*\""#,
        r#"\"Effect\":\"Allow\",\"Action\":\"ec2*\""#,
    );
    let errors = parse(&bad_string, Format::Json).unwrap_err();
    assert_eq!(&bad_string[errors[0].span.clone().unwrap()], r#"\"ec2*\""#);
}

#[test]
fn knob_values_are_checked_when_the_file_is_read() {
    let text = format!(
        "{DESIGN_EXAMPLE}\n[[knobs]]\nid = \"policy\"\nlabel = \"ポリシー\"\nset = \"policies.identity.0\"\nvalues = ['''{{\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"ec2:*\"}}]}}''']\n"
    );
    let errors = parse(&text, Format::Toml).unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("ノブ `policy` の 1 番目の値を適用するとシナリオが不正になります"),
        "{errors:?}"
    );
    let bad_path = DESIGN_EXAMPLE.replace(
        "set = \"request.context.aws:RequestedRegion\"",
        "set = \"request..context\"",
    );
    assert!(
        parse(&bad_path, Format::Toml).unwrap_err()[0]
            .message
            .contains("set のパス")
    );
}

#[test]
fn check_reports_the_content_rules() {
    let no_knobs = DESIGN_EXAMPLE.split("[[knobs]]").next().unwrap();
    let s = parse(no_knobs, Format::Toml).unwrap();
    let problems = check(&s);
    assert!(
        problems.iter().any(|e| e.message.contains("ノブ")),
        "{problems:?}"
    );
    let wrong = no_knobs.replace("decision = \"ExplicitDeny\"", "decision = \"Allow\"");
    let problems = check(&parse(&wrong, Format::Toml).unwrap());
    assert!(
        problems
            .iter()
            .any(|e| e.message.contains("判定が Allow ではなく ExplicitDeny")),
        "{problems:?}"
    );
    let useless = DESIGN_EXAMPLE.replace(
        "values = [\"us-east-1\", \"ap-northeast-1\"]",
        "values = [\"us-east-1\", \"eu-west-1\"]",
    );
    let problems = check(&parse(&useless, Format::Toml).unwrap());
    assert!(
        problems
            .iter()
            .any(|e| e.message.contains("どのノブの値でも結果が変わりません")),
        "{problems:?}"
    );
}

#[test]
fn the_contract_network_example_is_blocked_on_the_return_path() {
    let text = r#"id = "web-nacl-no-ephemeral"
title = "NACLに戻りのエフェメラルポートがない"
kind = "network"
direction = "inbound"

[flow]
protocol = "tcp"
src_ip = "203.0.113.10"
src_port = 50000
dst_ip = "10.0.1.10"
dst_port = 443

[target]
eni = "eni-web"
ip = "10.0.1.10"
subnet_cidr = "10.0.1.0/24"
security_groups = ["sg-web"]

[security_groups.sg-web]
ingress = [{ protocol = "tcp", ports = [443, 443], cidr = "0.0.0.0/0" }]
egress  = [{ protocol = "-1", cidr = "0.0.0.0/0" }]

[security_groups.sg-app]
ingress = [{ protocol = "tcp", ports = [8080, 8080], source_sg = "sg-web" }]

[target_subnet_nacl]
ingress = [{ rule = 100, protocol = "tcp", ports = [443, 443], cidr = "0.0.0.0/0", action = "allow" }]
egress  = [{ rule = 100, protocol = "tcp", ports = [80, 80], cidr = "0.0.0.0/0", action = "allow" }]

[peer]
eni = "eni-app"
ip = "10.0.2.20"
subnet_cidr = "10.0.2.0/24"
security_groups = ["sg-app"]
[peer.subnet_nacl]
ingress = [{ rule = 100, protocol = "-1", cidr = "0.0.0.0/0", action = "allow" }]
egress  = [{ rule = 100, protocol = "-1", cidr = "0.0.0.0/0", action = "allow" }]

[expect]
reachable = false
blocked_at = "nacl-egress-return"

[[knobs]]
id = "nacl-egress-ports"
label = "NACLのアウトバウンド許可ポート"
set = "target_subnet_nacl.egress.0.ports"
values = [[80, 80], [1024, 65535]]
"#;
    let s = parse(text, Format::Toml).unwrap();
    let outcome = evaluate(&s);
    assert!(s.matches_expect(&outcome), "{outcome:?}");
    let json = outcome.to_json();
    assert_eq!(json["reachable"], false);
    assert_eq!(json["blocked_at"], "nacl-egress-return");
    let fixed = s.with_knob("nacl-egress-ports", 1).unwrap();
    assert_eq!(decide(&fixed), Verdict::Network(None));
    assert!(check(&s).is_empty(), "{:?}", check(&s));
}
