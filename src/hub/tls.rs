//! The hub's connection over TLS, with libpq's `sslmode` and `sslrootcert` in the URL:
//!
//! - `sslmode=disable`: no TLS;
//! - `prefer` (the default) and `require`: encrypted, without checking who answers (as libpq
//!   does); `prefer` speaks in clear to a server without TLS, `require` refuses it;
//! - `verify-full`: encrypted, the server's certificate checked against `sslrootcert` (a PEM
//!   file of the CA, or the server's own self-signed certificate) or, without it, the public
//!   web roots, and its name against the host of the URL.
//!
//! tokio-postgres knows only the first three modes and refuses options it does not know, so
//! `verify-full` and `sslrootcert` are taken out of the URL here and the rest handed on.

use super::HubError;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// The URL as tokio-postgres takes it, and the TLS connector it asks for.
pub(crate) fn connector(url: &str) -> Result<(String, MakeRustlsConnect), HubError> {
    let refused = |why: String| HubError::Url(format!("{url}: {why}"));
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, query),
        None => (url, ""),
    };
    let mut kept = Vec::new();
    let mut mode = None;
    let mut root_file = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", value)) => mode = Some(value),
            Some(("sslrootcert", path)) => root_file = Some(percent_decoded(path)),
            _ => kept.push(pair.to_string()),
        }
    }
    // A root certificate given is checked, as libpq does, and then the link must be TLS.
    let verify = match (mode, &root_file) {
        (Some("verify-full"), _) | (Some("require" | "prefer") | None, Some(_)) => true,
        (Some("verify-ca"), _) => {
            return Err(refused(
                "sslmode=verify-ca: dùng verify-full / use verify-full".into(),
            ));
        }
        _ => false,
    };
    match (verify, mode) {
        (true, _) => kept.push("sslmode=require".to_string()),
        (false, Some(mode)) => kept.push(format!("sslmode={mode}")),
        (false, None) => {}
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| refused(error.to_string()))?;
    let config = if verify {
        let mut roots = RootCertStore::empty();
        match &root_file {
            Some(path) => {
                for certificate in CertificateDer::pem_file_iter(path)
                    .map_err(|error| refused(format!("sslrootcert {path}: {error}")))?
                {
                    let certificate = certificate
                        .map_err(|error| refused(format!("sslrootcert {path}: {error}")))?;
                    roots
                        .add(certificate)
                        .map_err(|error| refused(format!("sslrootcert {path}: {error}")))?;
                }
                if roots.is_empty() {
                    return Err(refused(format!("sslrootcert {path}: no certificate")));
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
            .with_no_client_auth()
    };
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, MakeRustlsConnect::new(config)))
}

/// `%20` and the like in a URL's value, as the text they stand for.
fn percent_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| value.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `require` and `prefer` as libpq has them: the link is encrypted, whoever's certificate it
/// is. The handshake's signatures are still checked, so the session keys are the server's.
#[derive(Debug)]
struct EncryptOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            certificate,
            signed,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            certificate,
            signed,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Why the hub's certificate was refused (not trusted, expired, another name), if that is
/// what `error` is: waiting will not mend it, a person must.
pub(crate) fn certificate_refused(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut next = Some(error);
    while let Some(error) = next {
        let rustls_error = error.downcast_ref::<rustls::Error>().or_else(|| {
            error
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        if let Some(refused @ rustls::Error::InvalidCertificate(_)) = rustls_error {
            return Some(refused.to_string());
        }
        next = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_tokio_postgres_knows_is_handed_on() {
        let (url, _) = connector("postgres://u:p@hub.example:5432/province").unwrap();
        assert_eq!(url, "postgres://u:p@hub.example:5432/province");
        let (url, _) = connector("postgres://u@h/db?sslmode=require&connect_timeout=5").unwrap();
        assert_eq!(url, "postgres://u@h/db?connect_timeout=5&sslmode=require");
        let (url, _) = connector("postgres://u@h/db?sslmode=verify-full").unwrap();
        assert_eq!(url, "postgres://u@h/db?sslmode=require");
        let (url, _) = connector("postgres://u@h/db?sslmode=disable").unwrap();
        assert_eq!(url, "postgres://u@h/db?sslmode=disable");
        assert!(connector("postgres://u@h/db?sslmode=verify-ca").is_err());
        let missing =
            connector("postgres://u@h/db?sslmode=verify-full&sslrootcert=%2Fno%20such.pem");
        let Err(HubError::Url(why)) = missing else {
            panic!("a missing root file is refused")
        };
        assert!(why.contains("/no such.pem"), "{why}");
    }
}
