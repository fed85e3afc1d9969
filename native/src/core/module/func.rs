//! Calling a core function: the dynamic call (any value types) and the raw path (numbers only,
//! no allocation), both through the store's one entry ([`crate::core::Store::enter`]).

use wasmtime::{RootScope, Val, ValRaw};

use super::items::{self, RAW_SLOTS};
use super::types::ValKind;
use super::value::{from_wasm, kind_word, to_wasm, CoreVal};
use crate::core::error::{Error, Result};
use crate::core::store::StoreInner;

/// Calls function `id` with `args`; returns its results.
pub fn call(inner: &mut StoreInner, id: u32, args: &[CoreVal]) -> Result<Vec<CoreVal>> {
    let mut scope = RootScope::new(&mut inner.store);
    let (f, info) = items::func_info(&mut scope, id)?;
    if args.len() != info.sig.params.len() {
        return Err(arity(info.sig.params.len(), args.len()));
    }
    let mut params = Vec::with_capacity(args.len());
    for (i, (a, t)) in args.iter().zip(info.ty.params()).enumerate() {
        params.push(to_wasm(&mut scope, a, &t, &|| {
            format!("argument {}", i + 1)
        })?);
    }
    let mut results = vec![Val::I32(0); info.sig.results.len()];
    f.call(&mut scope, &params, &mut results)
        .map_err(Error::from_func_call)?;
    results.iter().map(|v| from_wasm(&mut scope, v)).collect()
}

/// Calls function `id`, whose parameters and results are all numbers, with arguments and
/// results as 64-bit slots: an `i32` or `i64` as its value (an `i32` result sign-extended), an
/// `f32` or `f64` as its bits. `results` must hold the function's results.
pub fn call_raw(inner: &mut StoreInner, id: u32, args: &[u64], results: &mut [u64]) -> Result<()> {
    let ctx = &mut inner.store;
    let (f, raw) = items::func_and_raw_sig(ctx, id)?;
    let Some(sig) = raw else {
        let sig = &items::func_info(ctx, id)?.1.sig;
        return Err(Error::InvalidArgument(format!(
            "this function's type ({} -> {}) is not numbers only (at most {RAW_SLOTS} i32, i64, \
             f32 or f64 values each way): call it with values instead",
            words(&sig.params),
            words(&sig.results)
        )));
    };
    let (param_count, result_count) = (sig.param_count as usize, sig.result_count as usize);
    if args.len() != param_count {
        return Err(arity(param_count, args.len()));
    }
    if results.len() < result_count {
        return Err(Error::InvalidArgument(format!(
            "the function returns {} values; the results array holds {}",
            result_count,
            results.len()
        )));
    }
    let mut slots = [ValRaw::i64(0); RAW_SLOTS];
    for (i, slot) in slots.iter_mut().enumerate().take(param_count) {
        *slot = match sig.param(i) {
            ValKind::I32 => ValRaw::i32(args[i] as i32),
            ValKind::I64 => ValRaw::i64(args[i] as i64),
            ValKind::F32 => ValRaw::f32(args[i] as u32),
            _ => ValRaw::f64(args[i]),
        };
    }
    let n = param_count.max(result_count);
    // Safety: the function belongs to this store (items are per store), and its parameters and
    // results are exactly the numeric kinds of `sig`, which the slots were written as and are
    // read as; the slice holds max(params, results) slots.
    unsafe { f.call_unchecked(&mut *ctx, &mut slots[..n] as *mut [ValRaw]) }
        .map_err(Error::from_func_call)?;
    for (i, result) in results.iter_mut().enumerate().take(result_count) {
        *result = match sig.result(i) {
            ValKind::I32 => slots[i].get_i32() as i64 as u64,
            ValKind::I64 => slots[i].get_i64() as u64,
            ValKind::F32 => slots[i].get_f32() as u64,
            _ => slots[i].get_f64(),
        };
    }
    Ok(())
}

fn arity(want: usize, got: usize) -> Error {
    Error::InvalidArgument(format!(
        "the function takes {want} argument{}, got {got}",
        if want == 1 { "" } else { "s" }
    ))
}

fn words(kinds: &[ValKind]) -> String {
    format!(
        "({})",
        kinds
            .iter()
            .map(|k| kind_word(*k))
            .collect::<Vec<_>>()
            .join(", ")
    )
}
