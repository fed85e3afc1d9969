//! What a buffer of WebAssembly holds, read from its first bytes: a core module or a
//! component, in binary or in text, so that giving one where the other is needed says so.

/// A core module or a component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryKind {
    Module,
    Component,
}

impl BinaryKind {
    pub fn word(self) -> &'static str {
        match self {
            BinaryKind::Module => "a core WebAssembly module",
            BinaryKind::Component => "a component",
        }
    }
}

/// The kind of `bytes`, when its header (binary) or first form (text) tells.
pub fn kind_of(bytes: &[u8]) -> Option<BinaryKind> {
    if bytes.len() >= 8 && &bytes[..4] == b"\0asm" {
        return match bytes[6..8] {
            [0, 0] => Some(BinaryKind::Module),
            [1, 0] => Some(BinaryKind::Component),
            _ => None,
        };
    }
    let text = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).ok()?;
    let mut rest = text;
    // Skip white space and comments before the first form.
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix(";;") {
            rest = r.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(r) = rest.strip_prefix("(;") {
            rest = r.split_once(";)").map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    let form = rest.strip_prefix('(')?.trim_start();
    if form.starts_with("component") {
        Some(BinaryKind::Component)
    } else if form.starts_with("module") || form.starts_with("func") || form.starts_with("memory") {
        Some(BinaryKind::Module)
    } else {
        None
    }
}

/// The error for `bytes` of the other kind than `wanted`, if they are.
pub fn wrong_kind(bytes: &[u8], wanted: BinaryKind, hint: &str) -> Option<String> {
    match kind_of(bytes) {
        Some(k) if k != wanted => Some(format!(
            "these bytes are {}, not {}: {hint}",
            k.word(),
            wanted.word()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_modules_from_components() {
        assert_eq!(kind_of(b"\0asm\x01\0\0\0"), Some(BinaryKind::Module));
        assert_eq!(kind_of(b"\0asm\x0d\0\x01\0"), Some(BinaryKind::Component));
        assert_eq!(kind_of(b";; c\n(module)"), Some(BinaryKind::Module));
        assert_eq!(kind_of(b"(; x ;) (component)"), Some(BinaryKind::Component));
        assert_eq!(kind_of(b"garbage"), None);
        assert!(wrong_kind(b"(module)", BinaryKind::Component, "h").is_some());
        assert!(wrong_kind(b"(component)", BinaryKind::Component, "h").is_none());
    }
}
