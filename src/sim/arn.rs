//! Amazon Resource Names: `arn:partition:service:region:account-id:resource`, read once into
//! their six fields (the resource part may itself hold colons: `…:function:f:alias`).

/// An ARN's fields, borrowed from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`…
    pub partition: &'a str,
    /// The service namespace: `iam`, `s3`, `kms`…
    pub service: &'a str,
    /// The Region; empty for global resources (IAM, S3 buckets).
    pub region: &'a str,
    /// The owning account; empty where the ARN carries none (S3 buckets and objects).
    pub account: &'a str,
    /// Everything after the fifth colon: `role/Admin`, `bucket/key`, `key/1234…`.
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Reads an ARN: six colon-separated fields starting with `arn`, partition and service
    /// not empty. Anything else (`*`, an account id, a truncated ARN) is `None`.
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut fields = text.splitn(6, ':');
        if fields.next()? != "arn" {
            return None;
        }
        let arn = Self {
            partition: fields.next()?,
            service: fields.next()?,
            region: fields.next()?,
            account: fields.next()?,
            resource: fields.next()?,
        };
        (!arn.partition.is_empty() && !arn.service.is_empty()).then_some(arn)
    }

    /// The account field is a 12-digit account id.
    pub fn has_account(&self) -> bool {
        is_account_id(self.account)
    }

    /// An IAM role: `arn:…:iam::account:role/path/name`.
    pub fn is_role(&self) -> bool {
        self.service == "iam"
            && self.resource.len() > "role/".len()
            && self.resource.starts_with("role/")
    }

    /// The resource part starts with `prefix` (`user/`, `assumed-role/`, `root`).
    pub fn resource_is(&self, service: &str, prefix: &str) -> bool {
        self.service == service && self.resource.starts_with(prefix)
    }
}

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The text is an IAM role's ARN.
pub fn is_role_arn(text: &str) -> bool {
    Arn::parse(text).is_some_and(|a| a.is_role())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_fields_are_read_and_the_resource_keeps_its_colons() {
        let a = Arn::parse("arn:aws:lambda:ap-northeast-1:111122223333:function:f:live").unwrap();
        assert_eq!(
            (a.partition, a.service, a.region, a.account, a.resource),
            (
                "aws",
                "lambda",
                "ap-northeast-1",
                "111122223333",
                "function:f:live"
            )
        );
        assert!(a.has_account());
    }

    #[test]
    fn s3_arns_carry_no_account() {
        let a = Arn::parse("arn:aws:s3:::amzn-s3-demo-bucket/key").unwrap();
        assert_eq!((a.account, a.resource), ("", "amzn-s3-demo-bucket/key"));
        assert!(!a.has_account());
    }

    #[test]
    fn what_is_not_an_arn_is_none() {
        for text in [
            "*",
            "111122223333",
            "arn:aws:s3",
            "urn:aws:s3:::b",
            "arn::s3:::b",
            "arn:aws::::x",
        ] {
            assert_eq!(Arn::parse(text), None, "{text}");
        }
    }

    #[test]
    fn roles_are_recognized_by_service_and_resource() {
        assert!(is_role_arn("arn:aws:iam::111122223333:role/Admin"));
        assert!(!is_role_arn("arn:aws:iam::111122223333:role/"));
        assert!(!is_role_arn("arn:aws:iam::111122223333:user/role/x"));
        assert!(!is_role_arn(
            "arn:aws:sts::111122223333:assumed-role/Admin/s"
        ));
    }
}
