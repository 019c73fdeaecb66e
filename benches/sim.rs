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

criterion_group!(benches, decisions);
criterion_main!(benches);
