//! Compiled: the library's own form of compiled code, checked before wasmtime sees it.
//!
//! wasmtime's serialized components and modules are native code that `deserialize` trusts
//! completely: a truncated or corrupted file (a cache on disk after a crash, a bad copy) crashes
//! the process when it loads or runs. So what [`seal`] produces, and what the library's
//! `serialize` and `precompile` hand out, is wasmtime's bytes behind a header that carries their
//! length and a digest of header and payload, and [`open`] checks both before wasmtime sees
//! anything:
//!
//! - without a key, the digest is SHA-256: it catches every accidental change, but anyone who can
//!   change the bytes can recompute it, so it does not make bytes from an untrusted place safe;
//! - with a key (the engine's compiled-code key), it is HMAC-SHA256 under that key: only holders
//!   of the key can make bytes that open, so bytes may be kept where others can write.
//!
//! Layout (integers little-endian):
//!
//! ```text
//! 0   8  magic "WJVMCODE"
//! 8   1  format version (1)
//! 9   1  kind: b'c' component, b'm' core module
//! 10  1  digest: 0 SHA-256, 1 HMAC-SHA256
//! 11  1  reserved (0)
//! 12  8  payload length
//! 20  32 digest of bytes 0..20 followed by the payload
//! 52  .. payload: wasmtime's serialized bytes
//! ```

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::error::{Error, Result};

const MAGIC: &[u8; 8] = b"WJVMCODE";
const VERSION: u8 = 1;
const HEADER: usize = 20;
const DIGEST: usize = 32;

/// What a compiled image holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Component,
    Module,
}

impl Kind {
    fn tag(self) -> u8 {
        match self {
            Kind::Component => b'c',
            Kind::Module => b'm',
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::Module => "core module",
        }
    }
}

fn digest(key: Option<&[u8]>, header: &[u8], payload: &[u8]) -> [u8; DIGEST] {
    match key {
        None => {
            let mut h = Sha256::new();
            h.update(header);
            h.update(payload);
            h.finalize().into()
        }
        Some(key) => {
            let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
            m.update(header);
            m.update(payload);
            m.finalize().into_bytes().into()
        }
    }
}

/// Wraps wasmtime's serialized bytes in the checked form, authenticated with `key` if given.
pub fn seal(kind: Kind, payload: &[u8], key: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + DIGEST + payload.len());
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.push(kind.tag());
    out.push(u8::from(key.is_some()));
    out.push(0);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    let d = digest(key, &out[..HEADER], payload);
    out.extend_from_slice(&d);
    out.extend_from_slice(payload);
    out
}

fn bad(message: String) -> Error {
    Error::Compile { message }
}

/// Checks a sealed image and returns wasmtime's bytes inside it. With `key`, only images
/// authenticated with that key open; without, only checksummed images do.
pub fn open<'a>(kind: Kind, bytes: &'a [u8], key: Option<&[u8]>) -> Result<&'a [u8]> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        let raw = bytes.starts_with(b"\x7fELF");
        return Err(bad(format!(
            "not a compiled {} image of wasmtime-jvm (no WJVMCODE header){}",
            kind.name(),
            if raw {
                "; these look like raw wasmtime bytes, which are loaded unchecked only by the \
                 method named deserializeUnsafe"
            } else {
                ""
            }
        )));
    }
    if bytes.len() < HEADER + DIGEST {
        return Err(bad(format!(
            "compiled image is truncated: {} bytes, shorter than its header",
            bytes.len()
        )));
    }
    let version = bytes[8];
    if version != VERSION {
        return Err(bad(format!(
            "compiled image has format version {version}; this library reads version {VERSION}"
        )));
    }
    if bytes[9] != kind.tag() {
        return Err(bad(format!(
            "compiled image holds a {}, not a {}",
            if bytes[9] == Kind::Module.tag() {
                Kind::Module.name()
            } else if bytes[9] == Kind::Component.tag() {
                Kind::Component.name()
            } else {
                "thing of unknown kind"
            },
            kind.name()
        )));
    }
    let keyed = match bytes[10] {
        0 => false,
        1 => true,
        other => {
            return Err(bad(format!(
                "compiled image has unknown digest kind {other}"
            )))
        }
    };
    match (keyed, key.is_some()) {
        (true, false) => {
            return Err(bad(
                "compiled image is authenticated with a key, and this engine has none; configure \
                 the engine with the key that made it"
                    .into(),
            ))
        }
        (false, true) => {
            return Err(bad(
                "compiled image carries only a checksum, and this engine requires images \
                 authenticated with its key"
                    .into(),
            ))
        }
        _ => {}
    }
    let declared = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let payload = &bytes[HEADER + DIGEST..];
    if declared != payload.len() as u64 {
        return Err(bad(format!(
            "compiled image is {}: its header says {declared} bytes of code, {} are there",
            if (payload.len() as u64) < declared {
                "truncated"
            } else {
                "longer than it should be"
            },
            payload.len()
        )));
    }
    let stored = &bytes[HEADER..HEADER + DIGEST];
    let ok = match key {
        None => digest(None, &bytes[..HEADER], payload)[..] == *stored,
        Some(key) => {
            let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
            m.update(&bytes[..HEADER]);
            m.update(payload);
            m.verify_slice(stored).is_ok()
        }
    };
    if !ok {
        return Err(bad(if keyed {
            "compiled image failed authentication: it was changed, or made with another key".into()
        } else {
            "compiled image is corrupted: its SHA-256 checksum does not match its contents".into()
        }));
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_open_and_every_change_is_refused() {
        let payload: Vec<u8> = (0..4096u32).map(|i| (i * 7 + 3) as u8).collect();
        for key in [None, Some(&b"a key of some length"[..])] {
            let sealed = seal(Kind::Component, &payload, key);
            assert_eq!(open(Kind::Component, &sealed, key).unwrap(), &payload[..]);
            // Every single-byte change anywhere, and every truncation, is refused.
            for i in (0..sealed.len()).step_by(13).chain([sealed.len() - 1]) {
                let mut bad = sealed.clone();
                bad[i] ^= 0x40;
                assert!(
                    open(Kind::Component, &bad, key).is_err(),
                    "byte {i} changed"
                );
            }
            for n in [0, 7, 20, 51, 52, sealed.len() - 1] {
                assert!(
                    open(Kind::Component, &sealed[..n], key).is_err(),
                    "cut at {n}"
                );
            }
            let mut longer = sealed.clone();
            longer.push(0);
            assert!(open(Kind::Component, &longer, key).is_err());
            assert!(open(Kind::Module, &sealed, key).is_err());
        }
        let keyed = seal(Kind::Component, &payload, Some(b"k1"));
        assert!(open(Kind::Component, &keyed, Some(b"k2")).is_err());
        assert!(open(Kind::Component, &keyed, None).is_err());
        let plain = seal(Kind::Component, &payload, None);
        assert!(open(Kind::Component, &plain, Some(b"k1")).is_err());
        // A forger without the key cannot pass off a recomputed checksum as authenticated.
        let mut forged = plain.clone();
        forged[10] = 1;
        assert!(open(Kind::Component, &forged, Some(b"k1")).is_err());
    }
}
