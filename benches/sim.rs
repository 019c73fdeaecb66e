//! IAM decisions per second for typical 3–5 policy scenarios (budget: ≥ 1,000,000 decisions/s on
//! one core). Policies are parsed and compiled once; each iteration is one decision.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shikaku::sim::scenario::{self, Format};
use shikaku::sim::{self, Verdict};

/// A role session in a member account: identity policy, permissions boundary, two SCP levels
/// (one with a region guard), and a bucket policy with a TLS deny — five policies.
const TYPICAL: &str = r#"
id = "bench-typical"
kind = "iam"

[request]
action = "s3:GetObject"
context = { "aws:RequestedRegion" = "ap-northeast-1", "aws:SecureTransport" = "true", "aws:SourceIp" = "203.0.113.10", "aws:PrincipalTag/team" = "data" }
[request.principal]
type = "assumed-role-session"
arn = "arn:aws:sts::222222222222:assumed-role/EtlRole/job-42"
role_arn = "arn:aws:iam::222222222222:role/EtlRole"
[request.resource]
arn = "arn:aws:s3:::analytics-bucket/data/2024/06/part-0001.parquet"
account = "222222222222"

[policies]
identity = ['''{"Version":"2012-10-17","Statement":[
  {"Sid":"ListOwnPrefix","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::analytics-bucket","Condition":{"StringLike":{"s3:prefix":["${aws:PrincipalTag/team}/*"]}}},
  {"Sid":"ReadData","Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::analytics-bucket/data/*"},
  {"Sid":"NoDeletes","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}''']
permissions_boundary = '''{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","logs:*","glue:*"],"Resource":"*"}]}'''
resource = '''{"Version":"2012-10-17","Statement":[
  {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::analytics-bucket","arn:aws:s3:::analytics-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
  {"Sid":"OfficeOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::analytics-bucket/*","Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}}]}'''
scps = [
  ['''{"Version":"2012-10-17","Statement":[{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}]}'''],
  ['''{"Version":"2012-10-17","Statement":[{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}]}''',
   '''{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideTokyo","Effect":"Deny","NotAction":["iam:*","sts:*","organizations:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["ap-northeast-1","ap-northeast-3"]}}}]}'''],
]
"#;

/// The typical scenario with twelve two-valued knobs: a decision table of 4,096 combinations
/// (budget: ≤ 100 ms).
fn table_scenario() -> String {
    let knobs = [
        (
            "region",
            "request.context.aws:RequestedRegion",
            r#"["ap-northeast-1", "us-east-1"]"#,
        ),
        (
            "tls",
            "request.context.aws:SecureTransport",
            r#"["true", "false"]"#,
        ),
        (
            "ip",
            "request.context.aws:SourceIp",
            r#"["203.0.113.10", "192.0.2.1"]"#,
        ),
        (
            "team",
            "request.context.aws:PrincipalTag/team",
            r#"["data", "web"]"#,
        ),
        (
            "action",
            "request.action",
            r#"["s3:GetObject", "s3:DeleteObject"]"#,
        ),
        (
            "key",
            "request.resource.arn",
            r#"["arn:aws:s3:::analytics-bucket/data/2024/06/part-0001.parquet", "arn:aws:s3:::analytics-bucket/tmp/x"]"#,
        ),
        (
            "mfa",
            "request.context.aws:MultiFactorAuthPresent",
            r#"["true", "false"]"#,
        ),
        (
            "vpce",
            "request.context.aws:SourceVpce",
            r#"["vpce-1a2b3c4d", "vpce-9z8y7x6w"]"#,
        ),
        (
            "org",
            "request.context.aws:PrincipalOrgID",
            r#"["o-a1b2c3d4e5", "o-zzzzzzzzzz"]"#,
        ),
        (
            "tagkey",
            "request.context.aws:RequestTag/env",
            r#"["prod", "dev"]"#,
        ),
        (
            "ua",
            "request.context.aws:UserAgent",
            r#"["aws-cli/2", "boto3"]"#,
        ),
        (
            "referer",
            "request.context.aws:Referer",
            r#"["https://example.com", "https://example.org"]"#,
        ),
    ];
    let mut text = TYPICAL.replace("id = \"bench-typical\"", "id = \"bench-table\"");
    for (id, set, values) in knobs {
        text.push_str(&format!(
            "\n[[knobs]]\nid = \"{id}\"\nlabel = \"{id}\"\nset = \"{set}\"\nvalues = {values}\n"
        ));
    }
    text
}

fn tables(c: &mut Criterion) {
    let scenario =
        scenario::parse(&table_scenario(), Format::Toml).expect("the table scenario parses");
    let table = sim::table::table(&scenario).expect("a table");
    assert_eq!(table.rows.len(), 4096);
    let mut group = c.benchmark_group("decision_table");
    group.sample_size(10);
    group.bench_function("table_4096_combinations", |b| {
        b.iter(|| std::hint::black_box(sim::table::table(std::hint::black_box(&scenario))))
    });
    group.finish();
}

fn decisions(c: &mut Criterion) {
    let typical = scenario::parse(TYPICAL, Format::Toml).expect("the bench scenario parses");
    assert_eq!(sim::decide(&typical), Verdict::Iam(sim::Decision::Allow));
    let denied = typical.with_statement_enabled(
        sim::iam::StatementRef {
            policy: sim::iam::PolicyRef {
                ptype: sim::policy::PolicyType::Identity,
                level: 0,
                index: 0,
            },
            statement: 1,
        },
        false,
    );
    assert_eq!(
        sim::decide(&denied),
        Verdict::Iam(sim::Decision::ImplicitDeny)
    );
    let mut group = c.benchmark_group("iam_decision");
    group.throughput(Throughput::Elements(1));
    group.bench_function("typical_5_policies_allow", |b| {
        b.iter(|| std::hint::black_box(sim::decide(std::hint::black_box(&typical))))
    });
    group.bench_function("typical_5_policies_implicit_deny", |b| {
        b.iter(|| std::hint::black_box(sim::decide(std::hint::black_box(&denied))))
    });
    group.bench_function("explained_with_trace", |b| {
        b.iter(|| std::hint::black_box(sim::evaluate(std::hint::black_box(&typical))))
    });
    group.finish();
}

criterion_group!(benches, decisions, tables);
criterion_main!(benches);
