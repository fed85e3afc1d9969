//! WAVE text (the `wasmtime run --invoke` value syntax) through wasmtime's `wave` feature.

use wasmtime::component::wasm_wave::parser::ParserError;
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

    /// Parses `arguments`, the comma-separated WAVE values between the parentheses of a call
    /// (`1, "x"`), against the parameters of `func`. Error positions count from the start of
    /// `arguments`.
    pub fn wave_arguments(&self, func: FuncId, arguments: &str) -> Result<Vec<Val>> {
        const PREFIX: &str = "f(";
        let shifted = |e: &ParserError| describe(e, PREFIX.len());
        let source = format!("{PREFIX}{arguments})");
        let call = UntypedFuncCall::parse(&source).map_err(|e| {
            Error::InvalidArgument(format!("invalid WAVE arguments: {}", shifted(&e)))
        })?;
        let ty = self.func_wasm_type(func)?;
        let params: Vec<_> = ty.params().map(|(_, t)| t).collect();
        call.to_wasm_params::<Val>(params.iter())
            .map_err(|e| Error::InvalidArgument(format!("invalid WAVE arguments: {}", shifted(&e))))
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

/// A parse error as wasm-wave prints it, with its byte span moved `shift` bytes to the left (for
/// text that was parsed inside a wrapper the caller did not write).
fn describe(e: &ParserError, shift: usize) -> String {
    let span = e.span();
    let span = span.start.saturating_sub(shift)..span.end.saturating_sub(shift);
    match (std::error::Error::source(e), e.detail()) {
        (Some(source), _) => format!("{}: {source} at {span:?}", e.kind()),
        (None, Some(detail)) => format!("{}: {detail} at {span:?}", e.kind()),
        (None, None) => format!("{} at {span:?}", e.kind()),
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
    fn argument_errors_count_positions_from_the_arguments() {
        use crate::core::{Component, Engine, EngineConfig, Linker, Store, StoreOptions};
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component =
            Component::from_wat(&engine, &crate::core::testing::fixture("add")).unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let instance = Linker::new(&engine)
            .instantiate(&store, &component)
            .unwrap();
        store
            .enter(|s| {
                let add = s.instance_func(instance, &["add"])?;
                let vals = s.wave_arguments(add, "1, 2")?;
                assert!(matches!(vals.as_slice(), [Val::U32(1), Val::U32(2)]));
                let message = |text: &str| match s.wave_arguments(add, text) {
                    Err(Error::InvalidArgument(m)) => m,
                    other => panic!("unexpected {other:?}"),
                };
                // `"x"` is bytes 3..6 of `1, "x"`; `-1` is bytes 0..2 of `-1, 2`.
                assert_eq!(
                    message("1, \"x\""),
                    "invalid WAVE arguments: invalid value type at 3..6"
                );
                assert_eq!(
                    message("-1, 2"),
                    "invalid WAVE arguments: invalid value at 0..2"
                );
                // Syntax errors do not show the `f(...)` the arguments are parsed in.
                let syntax = message("1, ");
                assert!(syntax.starts_with("invalid WAVE arguments: "), "{syntax}");
                assert!(!syntax.contains("f("), "{syntax}");
                Ok(())
            })
            .unwrap();
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
