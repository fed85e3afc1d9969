//! WAVE text (the `wasmtime run --invoke` value syntax) through wasmtime's `wave` feature.

use wasmtime::component::wasm_wave::untyped::UntypedFuncCall;
use wasmtime::component::Val;

use super::error::{Error, Result};
use super::instance::FuncId;
use super::store::StoreInner;

/// A parsed but not yet typed invocation such as `add(1, 2)`.
pub struct Invocation {
    call: UntypedFuncCall<'static>,
}

impl Invocation {
    /// Parses `name(args...)`.
    pub fn parse(text: &str) -> Result<Invocation> {
        let call = UntypedFuncCall::parse(text).map_err(|e| {
            Error::InvalidArgument(format!("invalid WAVE invocation `{text}`: {e}"))
        })?;
        Ok(Invocation {
            call: call.into_owned(),
        })
    }

    /// The function name as written (may be `iface#name`).
    pub fn name(&self) -> &str {
        self.call.name()
    }
}

impl StoreInner {
    /// Types the arguments of `invocation` against the parameters of `func`.
    pub fn wave_args(&self, func: FuncId, invocation: &Invocation) -> Result<Vec<Val>> {
        let ty = self.func_wasm_type(func)?;
        let params: Vec<_> = ty.params().map(|(_, t)| t).collect();
        invocation
            .call
            .to_wasm_params::<Val>(params.iter())
            .map_err(|e| Error::InvalidArgument(format!("invalid WAVE arguments: {e}")))
    }

    /// Parses one WAVE value of the type of parameter `index` of `func`.
    pub fn wave_param(&self, func: FuncId, index: usize, text: &str) -> Result<Val> {
        let ty = self.func_wasm_type(func)?;
        let (name, param) = ty
            .params()
            .nth(index)
            .ok_or_else(|| Error::InvalidArgument(format!("no parameter {index}")))?;
        Val::from_wave(&param, text)
            .map_err(|e| Error::InvalidArgument(format!("invalid WAVE for `{name}`: {e:#}")))
    }
}

/// Prints a value as WAVE.
pub fn to_wave(val: &Val) -> Result<String> {
    // wasm-wave panics ("unsupported value type") on kinds it cannot print instead of
    // returning an error, so those are refused here first.
    if let Some(kind) = unprintable(val) {
        return Err(Error::InvalidArgument(format!(
            "cannot print value as WAVE: WAVE has no syntax for {kind} values"
        )));
    }
    val.to_wave()
        .map_err(|e| Error::InvalidArgument(format!("cannot print value as WAVE: {e:#}")))
}

/// The first kind inside `val` that WAVE cannot print, if any.
fn unprintable(val: &Val) -> Option<&'static str> {
    match val {
        Val::Resource(_) => Some("resource"),
        Val::Map(_) => Some("map"),
        Val::Future(_) => Some("future"),
        Val::Stream(_) => Some("stream"),
        Val::ErrorContext(_) => Some("error-context"),
        Val::List(vs) | Val::FixedLengthList(vs) | Val::Tuple(vs) => {
            vs.iter().find_map(unprintable)
        }
        Val::Record(fields) => fields.iter().find_map(|(_, v)| unprintable(v)),
        Val::Variant(_, Some(v))
        | Val::Option(Some(v))
        | Val::Result(Ok(Some(v)) | Err(Some(v))) => unprintable(v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls_and_rejects_garbage() {
        let call = Invocation::parse("add(1, 2)").unwrap();
        assert_eq!(call.name(), "add");
        assert!(Invocation::parse("add(1, ").is_err());
        assert_eq!(to_wave(&Val::U32(3)).unwrap(), "3");
        assert_eq!(to_wave(&Val::String("a\"b".into())).unwrap(), "\"a\\\"b\"");
    }

    #[test]
    fn unprintable_kinds_are_an_error_not_a_panic() {
        let map = Val::Map(vec![(Val::String("a".into()), Val::U32(1))]);
        match to_wave(&map) {
            Err(Error::InvalidArgument(m)) => assert_eq!(
                m,
                "cannot print value as WAVE: WAVE has no syntax for map values"
            ),
            other => panic!("unexpected {other:?}"),
        }
        let nested = Val::Option(Some(Box::new(Val::List(vec![map]))));
        assert!(matches!(to_wave(&nested), Err(Error::InvalidArgument(_))));
        assert_eq!(
            to_wave(&Val::Result(Ok(Some(Box::new(Val::U8(1)))))).unwrap(),
            "ok(1)"
        );
    }
}
