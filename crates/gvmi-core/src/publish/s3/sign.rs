//! AWS Signature Version 4 in the `Authorization` header, the form every
//! S3-compatible service accepts for every operation. (rusty-s3 signs
//! presigned URLs, the query-string form, which some services accept only
//! for GET/PUT/HEAD/DELETE: moto's IAM mode fails on it with a 500.) The
//! payload is signed too (`x-amz-content-sha256`): the storage refuses a
//! body changed on the way. Checked against AWS's published example.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use url::Url;

/// The keys and scope of a signature. `Debug` is not derived: secrets.
pub(super) struct Signer {
    pub(crate) key_id: String,
    pub(crate) secret: String,
    pub(crate) token: Option<String>,
    pub(crate) region: String,
}

/// RFC 3986 unreserved characters stay; all else is percent-encoded, as
/// SigV4's canonical query wants.
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl Signer {
    /// The headers to send with `method url` besides `headers` (which are
    /// signed too; lowercase names): `host`, `x-amz-date`,
    /// `x-amz-content-sha256`, the session token, `authorization`.
    /// `amz_date` is `YYYYMMDDTHHMMSSZ` (UTC).
    pub(crate) fn sign(
        &self,
        method: &str,
        url: &Url,
        headers: &[(&'static str, String)],
        body: &[u8],
        amz_date: &str,
    ) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("host", host(url)),
            ("x-amz-content-sha256", hex(&Sha256::digest(body))),
            ("x-amz-date", amz_date.to_string()),
        ];
        out.extend(self.token.clone().map(|t| ("x-amz-security-token", t)));
        let mut signed: Vec<(&str, &str)> = (out.iter().chain(headers))
            .map(|(n, v)| (*n, v.as_str()))
            .collect();
        signed.sort();
        let names = signed.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(";");
        let canonical_headers: String = signed
            .iter()
            .map(|(n, v)| {
                format!(
                    "{n}:{}\n",
                    v.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            })
            .collect();
        let payload = &out[1].1;
        let canonical = format!(
            "{method}\n{}\n{}\n{canonical_headers}\n{names}\n{payload}",
            url.path(),
            canonical_query(url)
        );
        let date = &amz_date[..8];
        let scope = format!("{date}/{}/s3/aws4_request", self.region);
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let mut key = hmac(format!("AWS4{}", self.secret).as_bytes(), date.as_bytes());
        for part in [self.region.as_str(), "s3", "aws4_request"] {
            key = hmac(&key, part.as_bytes());
        }
        let signature = hex(&hmac(&key, to_sign.as_bytes()));
        out.push((
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={names}, Signature={signature}",
                self.key_id
            ),
        ));
        out
    }
}

/// `host[:port]` as the request line's `Host` carries it.
fn host(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// The query's pairs, decoded, re-encoded and sorted (`uploads` is `uploads=`).
fn canonical_query(url: &Url) -> String {
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, QUERY).to_string();
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (encode(&k), encode(&v)))
        .collect();
    pairs.sort();
    let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join("&")
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Now, as `x-amz-date` wants it.
pub(super) fn amz_date_now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Signer {
        Signer {
            key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            token: None,
            region: "us-east-1".into(),
        }
    }

    fn authorization(headers: &[(&'static str, String)]) -> String {
        headers
            .iter()
            .find(|(n, _)| *n == "authorization")
            .unwrap()
            .1
            .clone()
    }

    /// AWS's example "GET Object" (Signature Version 4, Authorization header).
    #[test]
    fn the_aws_get_object_example_signs_the_same() {
        let url = Url::parse("https://examplebucket.s3.amazonaws.com/test.txt").unwrap();
        let headers = [("range", "bytes=0-9".to_string())];
        let out = example().sign("GET", &url, &headers, b"", "20130524T000000Z");
        assert_eq!(
            authorization(&out),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn queries_are_canonical_and_the_token_is_signed() {
        let url = Url::parse("http://127.0.0.1:9000/b/k?uploadId=a%2Fb+c&partNumber=2").unwrap();
        assert_eq!(canonical_query(&url), "partNumber=2&uploadId=a%2Fb%20c");
        let bare = Url::parse("http://h/b/k?uploads").unwrap();
        assert_eq!(canonical_query(&bare), "uploads=");
        let signer = Signer {
            token: Some("TOKEN".into()),
            ..example()
        };
        let out = signer.sign("PUT", &url, &[], b"x", "20130524T000000Z");
        assert!(out.contains(&("host", "127.0.0.1:9000".into())));
        assert!(out.contains(&("x-amz-security-token", "TOKEN".into())));
        assert!(authorization(&out)
            .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
    }
}
