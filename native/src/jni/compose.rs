//! Natives of `io.github.wasmtimejvm.compose.Composition`: plug, and a whole composition plan
//! crossing in one call (the plan encoded by `Composition.java`, the components' bytes beside
//! it), so no native graph outlives a call.

use jni::objects::{JByteArray, JClass, JObjectArray};
use jni::{Env, EnvUnowned};

use super::{run, JniResult};
use crate::core::compose::{self, Plan, PlanExport, PlanInstance, PlanPackage, Wire};
use crate::core::{Error, Result};

/// The elements of a Java `byte[][]` (a null element is an error naming `what`).
fn byte_arrays(
    env: &mut Env<'_>,
    arrays: &JObjectArray<'_, JByteArray<'_>>,
    what: &str,
) -> JniResult<Vec<Vec<u8>>> {
    let n = arrays.len(env)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let array = arrays.get_element(env, i)?;
        if array.is_null() {
            return Err(Error::InvalidArgument(format!("{what} {i} is null")).into());
        }
        out.push(env.convert_byte_array(&array)?);
    }
    Ok(out)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_compose_Composition_plug0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    socket: JByteArray<'l>,
    plugs: JObjectArray<'l, JByteArray<'l>>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let socket = env.convert_byte_array(&socket)?;
        let plugs = byte_arrays(env, &plugs, "plug")?;
        let composed = compose::plug(&socket, &plugs)?;
        Ok(env.byte_array_from_slice(&composed)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_io_github_wasmtimejvm_compose_Composition_compose0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    plan: JByteArray<'l>,
    packages: JObjectArray<'l, JByteArray<'l>>,
) -> JByteArray<'l> {
    run(&mut env, |env| {
        let encoded = env.convert_byte_array(&plan)?;
        let bytes = byte_arrays(env, &packages, "package")?;
        let plan = decode(&encoded, bytes)?;
        let composed = compose::compose(&plan)?;
        Ok(env.byte_array_from_slice(&composed)?)
    })
}

/// Decodes the plan `Composition.encodePlan` writes (little-endian `u32` counts and indices,
/// strings as a `u32` length and UTF-8, an optional string as a `u8` flag then the string):
/// the package names (their bytes are `bytes`, in order), the instances (package, optional
/// name), the wires (from, optional export, to, import) and the exports (from, optional export,
/// name).
fn decode(encoded: &[u8], bytes: Vec<Vec<u8>>) -> Result<Plan> {
    let mut r = Reader { buf: encoded };
    let mut plan = Plan::default();
    let n = r.u32()?;
    if n != bytes.len() {
        return Err(malformed());
    }
    for bytes in bytes {
        plan.packages.push(PlanPackage {
            name: r.string()?,
            bytes,
        });
    }
    for _ in 0..r.u32()? {
        plan.instances.push(PlanInstance {
            package: r.u32()?,
            name: r.optional()?,
        });
    }
    for _ in 0..r.u32()? {
        plan.wires.push(Wire {
            from: r.u32()?,
            export: r.optional()?,
            to: r.u32()?,
            import: r.string()?,
        });
    }
    for _ in 0..r.u32()? {
        plan.exports.push(PlanExport {
            from: r.u32()?,
            export: r.optional()?,
            name: r.string()?,
        });
    }
    if !r.buf.is_empty() {
        return Err(malformed());
    }
    Ok(plan)
}

fn malformed() -> Error {
    Error::InvalidArgument("malformed composition plan encoding".into())
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        if n > self.buf.len() {
            return Err(malformed());
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<usize> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()) as usize)
    }

    fn string(&mut self) -> Result<String> {
        let n = self.u32()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| malformed())
    }

    fn optional(&mut self) -> Result<Option<String>> {
        match self.take(1)?[0] {
            0 => Ok(None),
            1 => Ok(Some(self.string()?)),
            _ => Err(malformed()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_plan_and_refuses_malformed_ones() {
        let mut e = Vec::new();
        let u32 = |e: &mut Vec<u8>, v: u32| e.extend_from_slice(&v.to_le_bytes());
        let s = |e: &mut Vec<u8>, v: &str| {
            e.extend_from_slice(&(v.len() as u32).to_le_bytes());
            e.extend_from_slice(v.as_bytes());
        };
        u32(&mut e, 1);
        s(&mut e, "docs:a");
        u32(&mut e, 1);
        u32(&mut e, 0);
        e.push(1);
        s(&mut e, "a");
        u32(&mut e, 1);
        u32(&mut e, 0);
        e.push(0);
        u32(&mut e, 0);
        s(&mut e, "imp");
        u32(&mut e, 1);
        u32(&mut e, 0);
        e.push(1);
        s(&mut e, "x");
        s(&mut e, "y");
        let plan = decode(&e, vec![vec![1, 2]]).unwrap();
        assert_eq!(plan.packages[0].name, "docs:a");
        assert_eq!(plan.instances[0].name.as_deref(), Some("a"));
        assert_eq!(plan.wires[0].import, "imp");
        assert_eq!(plan.wires[0].export, None);
        assert_eq!(plan.exports[0].export.as_deref(), Some("x"));
        assert_eq!(plan.exports[0].name, "y");

        assert!(decode(&e[..e.len() - 1], vec![vec![1, 2]]).is_err());
        assert!(decode(&e, vec![]).is_err());
        let mut longer = e.clone();
        longer.push(0);
        assert!(decode(&longer, vec![vec![1, 2]]).is_err());
    }
}
