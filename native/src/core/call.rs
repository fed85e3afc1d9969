//! Calls: the one sequence every way of calling goes through.
//!
//! A call from the host into an export reads its arguments, hands the owned resources among them
//! to the callee, calls, writes the results and takes back what was only lent. A host function
//! called by the guest does the same the other way round: writes the guest's arguments for the
//! host, runs the host, reads its results and ends the borrows the host was lent. Both are here,
//! with the scalar fast path; the faces (JNI, C) only supply their wire format, through
//! [`Source`] (read a value by its type) and [`Sink`] (write a value by its type), and every
//! resource they meet passes through [`Lx`], which keeps the call's ledger:
//!
//! - `own` handles the host holds (slab ids) are only noted while reading, and taken from the
//!   host once every value was read, so an argument list that fails part-way takes nothing; the
//!   same one passed as `own` twice is refused while reading.
//! - host objects (host-defined resources, named by their `rep`) get a handle in the store's
//!   host table for the call, taken back out afterwards whether the call succeeded or not (or,
//!   for a host function's results, only if they never reach the guest).
//! - `borrow` handles lent to a host function leave the host's table when it returns.
//!
//! An export call ends in a [`CallOutcome`], which says whether the arguments reached the callee
//! (then the owned ones are the guest's, whatever the call's result), so a face's own ledger
//! follows facts.

use smallvec::SmallVec;
use wasmtime::component::{ResourceAny, ResourceDynamic, Val};
use wasmtime::{AsContextMut, StoreContextMut};

use super::error::{Error, Result};
use super::func::{
    BulkArg, BulkKind, BulkOut, BulkShape, FuncEntry, ScalarPlan, TypedError, MAX_SCALAR_PARAMS,
};
use super::instance::FuncId;
use super::resource::ResourceId;
use super::scalar::ScalarKind;
use super::store::{no_func, StoreData, StoreInner};
use super::types::{FuncType, ValType};

/// A resource as the faces name it: a guest resource the host holds (its slab id), or a host
/// object (a host-defined resource, by the host's representation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceWire {
    Held(ResourceId),
    Host(u32),
}

/// Why a value read from a face does not fit its type, and where inside the value.
#[derive(Debug)]
pub struct ValueError {
    /// Steps into the value (`.field`, `[3]`), outermost first.
    place: Vec<String>,
    error: Error,
}

impl ValueError {
    /// A value that does not fit (an `InvalidArgument`).
    pub fn invalid(message: impl Into<String>) -> ValueError {
        Error::InvalidArgument(message.into()).into()
    }

    /// Adds a step in front of the place (callers unwind from the innermost value out).
    pub fn at(mut self, step: impl Into<String>) -> ValueError {
        self.place.insert(0, step.into());
        self
    }

    /// The error for argument `param` of `func`: `argument `v` of `f` at `v.tags[1]`: ...`.
    pub fn for_param(self, param: &str, func: &str) -> Error {
        let place = if self.place.is_empty() {
            String::new()
        } else {
            format!(" at `{param}{}`", self.place.concat())
        };
        self.prefixed(&format!("argument `{param}` of `{func}`{place}: "))
    }

    /// The error for a value that is not an argument (a host function's result, a value only
    /// looked at).
    pub fn into_error(self) -> Error {
        if self.place.is_empty() {
            return self.error;
        }
        let place = self.place.concat();
        self.prefixed(&format!("at `{place}`: "))
    }

    /// The error with `prefix` before the message of a value that does not fit.
    fn prefixed(self, prefix: &str) -> Error {
        match self.error {
            Error::InvalidArgument(m) => Error::InvalidArgument(format!("{prefix}{m}")),
            Error::Resource(m) => Error::Resource(format!("{prefix}{m}")),
            other => other,
        }
    }
}

impl From<Error> for ValueError {
    fn from(error: Error) -> ValueError {
        ValueError {
            place: Vec::new(),
            error,
        }
    }
}

/// Reads values in a face's wire format, from the caller's memory that lives for `'buf`.
pub trait Source<'buf> {
    /// How many values the caller gave, when the wire says (the C face passes an array); the
    /// call checks it against the type. `None` when values are read by type alone.
    fn given(&self) -> Option<usize> {
        None
    }

    /// Reads the next value, of type `ty`; resources go through `lx`.
    fn read(&mut self, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<Val, ValueError>;

    /// Reads the next value into `slot`, which holds a value the same function was called with
    /// before (or a placeholder): a face that can reuses what is there (its strings' buffers,
    /// its lists' and records' vectors) so that a call with many values allocates nothing it
    /// allocated the last time. The value read is the same as [`Source::read`]'s.
    fn read_into(
        &mut self,
        ty: &ValType,
        slot: &mut Val,
        lx: &mut Lx<'_, '_>,
    ) -> Result<(), ValueError> {
        *slot = self.read(ty, lx)?;
        Ok(())
    }

    /// Whether the values read by [`Source::read_into`] are small enough to keep for the next
    /// call (their strings and lists are not much more than the wire they came from).
    fn keeps(&self) -> bool {
        false
    }

    /// Whether the next values of these kinds can be lent straight from the caller's memory
    /// ([`Source::lend_str`], [`Source::lend_bytes`]) for the bulk path, which then passes
    /// them into the guest with no copy in between. Faces that cannot answer false.
    fn lends(&self, _kinds: &[BulkKind]) -> bool {
        false
    }

    /// The next value, a string, lent from the caller's memory.
    fn lend_str(&mut self) -> Result<&'buf str, ValueError> {
        Err(ValueError::invalid("this face cannot lend strings"))
    }

    /// The next value, a `list<u8>`, lent from the caller's memory.
    fn lend_bytes(&mut self) -> Result<&'buf [u8], ValueError> {
        Err(ValueError::invalid("this face cannot lend bytes"))
    }
}

/// Writes values in a face's wire format.
pub trait Sink {
    /// Called once before the first value is written, with all of them: a face that cannot
    /// represent one refuses here, so that writing never fails half-way.
    fn start(&mut self, _vals: &[Val]) -> Result<()> {
        Ok(())
    }

    /// Writes the next value, of type `ty`; resources go through `lx`.
    fn write(&mut self, val: &Val, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<()>;

    /// Writes the result of a bulk call, of type `ty`. A face that can take bytes directly does
    /// so; by default the result is written as a `Val`.
    fn write_bulk(&mut self, out: &BulkOut, ty: &ValType, lx: &mut Lx<'_, '_>) -> Result<()> {
        match out.to_val() {
            Some(v) => self.write(&v, ty, lx),
            None => Ok(()),
        }
    }
}

/// The resources one call has met (see the module documentation).
#[derive(Default)]
pub(super) struct Ledger {
    /// Read `own` handles as lent: the values are only looked at, not passed on.
    lend_owned: bool,
    /// Host-held guest resources read as `own`, taken from the host by [`Ledger::take_owned`].
    owned: SmallVec<[ResourceId; 2]>,
    /// Host-table handles made for host objects while reading.
    host_handles: SmallVec<[ResourceAny; 2]>,
    /// Host-held ids of `borrow` handles written out (lent to a host function).
    borrows: SmallVec<[ResourceId; 2]>,
    /// Whether any resource was read (then the values are not kept for the next call).
    read_resources: bool,
}

impl Ledger {
    pub(super) fn take_owned(&mut self, cx: &mut StoreContextMut<'_, StoreData>) -> Result<()> {
        let slab = &mut cx.data_mut().resources;
        for id in self.owned.drain(..) {
            slab.take(id)?;
        }
        Ok(())
    }

    /// Takes the handles made for host objects back out of the host table: one lent as a
    /// `borrow` is always still there, and so is one passed as `own` that never reached the
    /// callee. Handles the callee took are gone already (their slot's generation moved on) and
    /// are skipped, harmlessly.
    pub(super) fn release_host_handles(&mut self, cx: &mut StoreContextMut<'_, StoreData>) {
        for r in self.host_handles.drain(..) {
            let _ = ResourceDynamic::try_from_resource_any(r, &mut *cx);
        }
    }

    /// Ends the borrows lent to a host function: wasmtime requires each to be dropped before
    /// the host function returns ("borrow handles still remain at the end of the call").
    fn end_borrows(&mut self, cx: &mut StoreContextMut<'_, StoreData>) {
        for id in self.borrows.drain(..) {
            if let Ok(borrow) = cx.data_mut().resources.take(id) {
                // Dropping a borrow runs no destructor; it only ends the loan.
                let _ = borrow.resource_drop(&mut *cx);
            }
        }
    }
}

/// A call's view of its store while a face reads or writes values: turns resources from and
/// into their wire form and notes them in the call's ledger.
pub struct Lx<'a, 'b> {
    cx: &'a mut StoreContextMut<'b, StoreData>,
    ledger: &'a mut Ledger,
}

impl<'b> Lx<'_, 'b> {
    /// The resource handle for a value of type `ty` (an `own` or `borrow`) given as `wire`.
    pub fn read_resource(&mut self, ty: &ValType, wire: ResourceWire) -> Result<ResourceAny> {
        let (own, r) = match ty {
            ValType::Own(r) => (true, r),
            ValType::Borrow(r) => (false, r),
            _ => {
                return Err(Error::InvalidArgument(format!(
                    "{ty} is not a resource type"
                )))
            }
        };
        self.ledger.read_resources = true;
        match wire {
            ResourceWire::Held(id) => {
                let resource = self.cx.data().resources.get(id)?;
                if own && !self.ledger.lend_owned {
                    if self.ledger.owned.contains(&id) {
                        return Err(Error::Resource(format!(
                            "resource {} is passed as `own` more than once in one call",
                            id.0
                        )));
                    }
                    self.ledger.owned.push(id);
                }
                Ok(resource)
            }
            ResourceWire::Host(rep) => {
                let payload = r.host.ok_or_else(|| {
                    Error::InvalidArgument(format!(
                        "`{}` is not a host-defined resource type, so a host object cannot \
                         stand for it",
                        r.name
                    ))
                })?;
                // An owned handle even in a `borrow` position: a borrowed host handle can only
                // be made inside a host call (outside one wasmtime has no call scope for it),
                // while an owned one in a `borrow` position is lent for the call. Either way it
                // leaves the host table after the call (`release_host_handles`).
                let handle = ResourceDynamic::new_own(rep, payload)
                    .try_into_resource_any(&mut *self.cx)
                    .map_err(Error::from_call)?;
                self.ledger.host_handles.push(handle);
                Ok(handle)
            }
        }
    }

    /// The wire form of a resource handed to the host as a value of type `ty`: a host object's
    /// representation, or a guest resource the host now holds.
    pub fn write_resource(&mut self, ty: &ValType, r: ResourceAny) -> Result<ResourceWire> {
        let rr = match ty {
            ValType::Own(rr) | ValType::Borrow(rr) => rr,
            _ => return Err(Error::Runtime(format!("{ty} is not a resource type"))),
        };
        if rr.host.is_some() {
            let d = ResourceDynamic::try_from_resource_any(r, &mut *self.cx)
                .map_err(Error::from_call)?;
            return Ok(ResourceWire::Host(d.rep()));
        }
        let id = self.keep(r);
        if matches!(ty, ValType::Borrow(_)) {
            self.ledger.borrows.push(id);
        }
        Ok(ResourceWire::Held(id))
    }

    /// Keeps a guest resource the guest handed over (for a face without host-defined resource
    /// types, whose writer is not guided by the type).
    pub fn keep(&mut self, r: ResourceAny) -> ResourceId {
        self.cx.data_mut().resources.insert(r)
    }
}

/// How an export call ended.
#[must_use]
pub struct CallOutcome {
    /// Whether the arguments reached the callee: the owned resources among them are then the
    /// guest's, whatever `result` says; when false, the caller still has everything it passed.
    pub passed: bool,
    pub result: Result<()>,
}

impl CallOutcome {
    fn kept(e: Error) -> CallOutcome {
        CallOutcome {
            passed: false,
            result: Err(e),
        }
    }
}

fn arity_error(name: &str, ty: &FuncType, given: usize) -> Error {
    Error::InvalidArgument(format!(
        "`{name}` takes {} argument(s) ({ty}), got {given}",
        ty.params.len()
    ))
}

/// Fails when the face counts its values and gave another number than the function takes.
fn check_given<'buf>(entry: &FuncEntry, args: &impl Source<'buf>) -> Result<()> {
    match args.given() {
        Some(given) if given != entry.ty().params.len() => {
            Err(arity_error(entry.name(), entry.ty(), given))
        }
        _ => Ok(()),
    }
}

/// Writes a call's results to the face's sink.
pub(super) fn write_results(
    results: &mut impl Sink,
    vals: &[Val],
    types: &[ValType],
    cx: &mut StoreContextMut<'_, StoreData>,
    ledger: &mut Ledger,
) -> Result<()> {
    refuse_async_values(vals, types, cx)?;
    results.start(vals)?;
    let mut lx = Lx { cx, ledger };
    for (v, t) in vals.iter().zip(types) {
        results.write(v, t, &mut lx)?;
    }
    Ok(())
}

/// Fails when a result holds a `future`, `stream` or `error-context` value, which the value
/// faces cannot represent yet, naming the result's type; the futures and streams among them are
/// closed first, so that a store serving many such calls does not keep their handles until it
/// is dropped (an `error-context` handle has no host-side close in wasmtime 48).
fn refuse_async_values(
    vals: &[Val],
    types: &[ValType],
    cx: &mut StoreContextMut<'_, StoreData>,
) -> Result<()> {
    if !types.iter().any(ValType::holds_async_values) {
        return Ok(());
    }
    let mut found = false;
    for v in vals {
        close_async_values(v, cx, &mut found);
    }
    if !found {
        return Ok(());
    }
    let shown: Vec<String> = types.iter().map(|t| t.to_string()).collect();
    Err(Error::InvalidArgument(format!(
        "the function returned ({}), which holds a future, stream or error-context value: such \
         values cannot cross to the host yet (calling async functions and passing other values \
         is supported); the guest's futures and streams were closed",
        shown.join(", ")
    )))
}

fn close_async_values(v: &Val, cx: &mut StoreContextMut<'_, StoreData>, found: &mut bool) {
    match v {
        Val::Future(f) => {
            *found = true;
            // Closing fails only for a handle closed already; there is nothing more to free.
            let _ = f.clone().close(&mut *cx);
        }
        Val::Stream(s) => {
            *found = true;
            let _ = s.clone().close(&mut *cx);
        }
        Val::ErrorContext(_) => *found = true,
        Val::List(items) | Val::FixedLengthList(items) | Val::Tuple(items) => {
            items.iter().for_each(|i| close_async_values(i, cx, found))
        }
        Val::Record(fields) => fields
            .iter()
            .for_each(|(_, i)| close_async_values(i, cx, found)),
        Val::Map(entries) => entries.iter().for_each(|(k, i)| {
            close_async_values(k, cx, found);
            close_async_values(i, cx, found);
        }),
        Val::Variant(_, Some(i)) | Val::Option(Some(i)) => close_async_values(i, cx, found),
        Val::Result(Ok(Some(i)) | Err(Some(i))) => close_async_values(i, cx, found),
        _ => {}
    }
}

/// The error of a typed call, naming the argument that did not fit.
fn typed_call_error(entry: &FuncEntry, e: TypedError) -> Error {
    match e {
        TypedError::Arg(i, message) => Error::InvalidArgument(format!(
            "argument `{}` of `{}`: {message}",
            entry.ty().params[i].0,
            entry.name()
        )),
        TypedError::Call(e) => e,
    }
}

/// Reads a call's arguments into `params`, one slot per parameter: the values of the
/// function's last call (see [`Source::read_into`]), or placeholders.
pub(super) fn read_args<'buf>(
    entry: &FuncEntry,
    args: &mut impl Source<'buf>,
    params: &mut [Val],
    cx: &mut StoreContextMut<'_, StoreData>,
    ledger: &mut Ledger,
) -> Result<()> {
    let ty = entry.ty();
    check_given(entry, args)?;
    debug_assert_eq!(params.len(), ty.params.len());
    let mut lx = Lx { cx, ledger };
    for ((name, t), slot) in ty.params.iter().zip(params.iter_mut()) {
        args.read_into(t, slot, &mut lx)
            .map_err(|e| e.for_param(name, entry.name()))?;
    }
    Ok(())
}

impl StoreInner {
    /// Calls an exported function: arguments from `args`, results to `results`.
    pub fn call_with<'buf>(
        &mut self,
        id: FuncId,
        args: &mut impl Source<'buf>,
        results: &mut impl Sink,
    ) -> CallOutcome {
        let StoreInner { funcs, store, .. } = self;
        let entry = match funcs.get_mut(id.0 as usize) {
            Some(entry) => entry,
            None => return CallOutcome::kept(no_func(id)),
        };
        entry.make_plans(store);
        if let Some(shape) = entry.bulk() {
            if args.lends(shape.params()) {
                return call_bulk(entry, shape, store, args, results);
            }
        }
        if let Some(plan) = entry.scalar().filter(|p| p.typed.is_some()) {
            return call_typed_scalar(entry, plan, store, args, results);
        }
        // The last call's argument values, to read this call's into (the entry keeps them only
        // when the face says they are small, and never with a resource among them).
        let mut params = entry.take_spare_params();
        let entry = &*entry;
        params.resize(entry.ty().params.len(), Val::Bool(false));
        let mut cx = store.as_context_mut();
        let mut ledger = Ledger::default();
        if let Err(e) = read_args(entry, args, &mut params, &mut cx, &mut ledger) {
            ledger.release_host_handles(&mut cx);
            return CallOutcome::kept(e);
        }
        // Every argument read: owned resources now pass to the callee.
        if let Err(e) = ledger.take_owned(&mut cx) {
            ledger.release_host_handles(&mut cx);
            return CallOutcome::kept(e);
        }
        let ty = entry.ty();
        let mut vals: SmallVec<[Val; 1]> = ty.results.iter().map(|_| Val::Bool(false)).collect();
        let called = entry
            .func()
            .call(&mut cx, &params, &mut vals)
            .map_err(Error::from_func_call);
        let keep = args.keeps() && !ledger.read_resources;
        ledger.release_host_handles(&mut cx);
        let result =
            called.and_then(|()| write_results(results, &vals, &ty.results, &mut cx, &mut ledger));
        if keep {
            if let Some(entry) = funcs.get_mut(id.0 as usize) {
                entry.keep_spare_params(params);
            }
        }
        CallOutcome {
            passed: true,
            result,
        }
    }

    /// Calls an exported function with values; `results` must have one slot per result.
    pub fn call(&mut self, id: FuncId, params: &[Val], results: &mut [Val]) -> Result<()> {
        let ty = self.func_type(id)?;
        if results.len() != ty.results.len() {
            return Err(Error::InvalidArgument(format!(
                "`{}` returns {} result(s), room was given for {}",
                self.func_name(id)?,
                ty.results.len(),
                results.len()
            )));
        }
        let mut sink = ValSink(Vec::with_capacity(results.len()));
        self.call_with(id, &mut ValSource(params.iter()), &mut sink)
            .result?;
        for (slot, v) in results.iter_mut().zip(sink.0) {
            *slot = v;
        }
        Ok(())
    }

    /// Drops a host-held resource, running the guest's destructor for an owned one.
    pub fn drop_resource(&mut self, id: ResourceId) -> Result<()> {
        let resource = self.resources().take(id)?;
        resource
            .resource_drop(&mut self.store)
            .map_err(Error::from_call)
    }

    /// Whether the scalar fast path can call this function.
    pub fn is_scalar(&mut self, id: FuncId) -> Result<bool> {
        Ok(self.scalar_plan(id)?.is_some())
    }

    fn scalar_plan(&mut self, id: FuncId) -> Result<Option<ScalarPlan>> {
        let StoreInner { funcs, store, .. } = self;
        let entry = funcs.get_mut(id.0 as usize).ok_or_else(|| no_func(id))?;
        Ok(entry.scalar_plan(store))
    }

    /// Calls an all-scalar function with its arguments as slots; returns the result slot (0
    /// when the function returns nothing).
    pub fn call_scalar(&mut self, id: FuncId, args: &[u64]) -> Result<u64> {
        // The hot path: a typed specialisation, copied out without cloning the plan.
        if let Some(typed) = self.func_entry(id)?.typed_for(args.len()) {
            return typed
                .call(&mut self.store, args)
                .map_err(|e| self.typed_error(id, e));
        }
        let plan = match self.scalar_plan(id)? {
            Some(plan) => plan,
            None => return Err(self.not_scalar(id)),
        };
        let entry = self.func_entry(id)?;
        if args.len() != plan.params.len() || args.len() > MAX_SCALAR_PARAMS {
            return Err(arity_error(entry.name(), entry.ty(), args.len()));
        }
        if let Some(typed) = plan.typed {
            return typed
                .call(&mut self.store, args)
                .map_err(|e| self.typed_error(id, e));
        }
        let mut params: SmallVec<[Val; 8]> = SmallVec::with_capacity(args.len());
        for (i, (kind, slot)) in plan.params.iter().zip(args).enumerate() {
            match kind.to_val(*slot) {
                Ok(v) => params.push(v),
                Err(message) => return Err(self.arg_error(id, i, message)),
            }
        }
        let func = entry.func();
        let mut results = [Val::Bool(false)];
        let room = usize::from(plan.result.is_some());
        func.call(&mut self.store, &params, &mut results[..room])
            .map_err(Error::from_func_call)?;
        match plan.result {
            None => Ok(0),
            Some(_) => ScalarKind::from_val(&results[0])
                .ok_or_else(|| Error::Runtime("scalar function returned a non-scalar".into())),
        }
    }

    fn typed_error(&self, id: FuncId, e: TypedError) -> Error {
        match self.func_entry(id) {
            Ok(entry) => typed_call_error(entry, e),
            Err(lookup) => lookup,
        }
    }

    fn arg_error(&self, id: FuncId, index: usize, message: String) -> Error {
        self.typed_error(id, TypedError::Arg(index, message))
    }

    fn not_scalar(&self, id: FuncId) -> Error {
        match self.func_entry(id) {
            Ok(entry) => Error::InvalidArgument(format!(
                "`{}` has type {}, which is not all scalars (numbers, bool, char with at most \
                 one result), so it cannot use the scalar fast path",
                entry.name(),
                entry.ty()
            )),
            Err(e) => e,
        }
    }
}

/// An all-scalar function with a typed specialisation (see [`super::func`]), called with values:
/// the arguments are read as values and passed as slots to the typed function, which costs less
/// than wasmtime's dynamic call.
fn call_typed_scalar<'buf>(
    entry: &FuncEntry,
    plan: &ScalarPlan,
    store: &mut wasmtime::Store<StoreData>,
    args: &mut impl Source<'buf>,
    results: &mut impl Sink,
) -> CallOutcome {
    let ty = entry.ty();
    let mut ledger = Ledger::default();
    let read = (|| {
        let mut cx = store.as_context_mut();
        let mut params: SmallVec<[Val; 4]> = smallvec::smallvec![Val::Bool(false); ty.params.len()];
        read_args(entry, args, &mut params, &mut cx, &mut ledger)?;
        let mut slots: SmallVec<[u64; 4]> = SmallVec::with_capacity(params.len());
        for ((v, (name, t)), kind) in params.iter().zip(&ty.params).zip(&plan.params) {
            // The slot of a value of the parameter's own kind (a face that is not guided by the
            // type, such as `Val`s from Rust, may give another kind).
            match ScalarKind::from_val(v) {
                Some(slot) if kind.to_val(slot).as_ref() == Ok(v) => slots.push(slot),
                _ => {
                    return Err(Error::InvalidArgument(format!(
                        "argument `{name}` of `{}`: expected {t}, got {v:?}",
                        entry.name()
                    )))
                }
            }
        }
        Ok(slots)
    })();
    let slots = match read {
        Ok(slots) => slots,
        Err(e) => return CallOutcome::kept(e),
    };
    let typed = plan.typed.expect("checked by the caller");
    let result = typed
        .call(store, &slots)
        .map_err(|e| typed_call_error(entry, e))
        .and_then(|slot| {
            let vals: SmallVec<[Val; 1]> = match plan.result {
                Some(kind) => smallvec::smallvec![kind.to_val(slot).map_err(Error::Runtime)?],
                None => SmallVec::new(),
            };
            write_results(
                results,
                &vals,
                &ty.results,
                &mut store.as_context_mut(),
                &mut ledger,
            )
        });
    CallOutcome {
        passed: true,
        result,
    }
}

/// The bulk path of [`StoreInner::call_with`]: strings and bytes lent by the face go straight
/// into the guest through a typed function, and come back as one string or byte vector.
fn call_bulk<'buf>(
    entry: &FuncEntry,
    shape: BulkShape,
    store: &mut wasmtime::Store<StoreData>,
    args: &mut impl Source<'buf>,
    results: &mut impl Sink,
) -> CallOutcome {
    let ty = entry.ty();
    if let Err(e) = check_given(entry, args) {
        return CallOutcome::kept(e);
    }
    let mut lent: SmallVec<[BulkArg<'buf>; 2]> = SmallVec::new();
    let mut ledger = Ledger::default();
    for ((name, t), kind) in ty.params.iter().zip(shape.params()) {
        let arg = match kind {
            BulkKind::Str => args.lend_str().map(BulkArg::Str),
            BulkKind::Bytes => args.lend_bytes().map(BulkArg::Bytes),
            BulkKind::U32 | BulkKind::Bool => {
                let mut cx = store.as_context_mut();
                let mut lx = Lx {
                    cx: &mut cx,
                    ledger: &mut ledger,
                };
                match args.read(t, &mut lx) {
                    Ok(Val::U32(x)) => Ok(BulkArg::U32(x)),
                    Ok(other) => Err(ValueError::invalid(format!("expected u32, got {other:?}"))),
                    Err(e) => Err(e),
                }
            }
        };
        match arg {
            Ok(a) => lent.push(a),
            Err(e) => return CallOutcome::kept(e.for_param(name, entry.name())),
        }
    }
    let result = shape
        .call(entry.func(), store, &lent)
        .map_err(|e| typed_call_error(entry, e))
        .and_then(|out| {
            results.start(&[])?;
            let mut cx = store.as_context_mut();
            let mut lx = Lx {
                cx: &mut cx,
                ledger: &mut ledger,
            };
            match ty.results.first() {
                Some(t) => results.write_bulk(&out, t, &mut lx),
                None => Ok(()),
            }
        });
    CallOutcome {
        passed: true,
        result,
    }
}

/// Serves one call of a host function implemented by a face: writes the guest's arguments to
/// `sink`, runs `invoke` with it (the host function itself; it returns the source of its
/// results), reads the results into `results`, and ends the borrows the host was lent, whatever
/// happened. Owned guest resources among the results pass to the guest; host objects among them
/// stay in the host table for the guest unless the results are refused.
pub fn serve<'buf, K: Sink, S: Source<'buf>>(
    mut cx: StoreContextMut<'_, StoreData>,
    ty: &FuncType,
    params: &[Val],
    results: &mut [Val],
    mut sink: K,
    invoke: impl FnOnce(K) -> Result<S>,
) -> Result<()> {
    let mut serving = Serving::default();
    let source = serving
        .write_args(&mut cx, ty, params, &mut sink)
        .and_then(|()| invoke(sink));
    serving.read_results(&mut cx, ty, results, source)
}

/// The call of a host function served in two phases, for host functions whose results come
/// later (asynchronous ones): [`Serving::write_args`] before the host runs,
/// [`Serving::read_results`] once its results are there. What [`serve`] does in one go; the
/// borrows lent to the host last from the first phase to the end of the second.
#[derive(Default)]
pub struct Serving {
    ledger: Ledger,
}

impl Serving {
    /// Writes the guest's arguments to `sink`.
    pub fn write_args(
        &mut self,
        cx: &mut StoreContextMut<'_, StoreData>,
        ty: &FuncType,
        params: &[Val],
        sink: &mut impl Sink,
    ) -> Result<()> {
        sink.start(params)?;
        let mut lx = Lx {
            cx,
            ledger: &mut self.ledger,
        };
        for (v, (_, t)) in params.iter().zip(&ty.params) {
            sink.write(v, t, &mut lx)?;
        }
        Ok(())
    }

    /// Reads the host's results from `source` (or takes its failure) into `results`, and ends
    /// the borrows the host was lent, whatever happened.
    pub fn read_results<'buf, S: Source<'buf>>(
        mut self,
        cx: &mut StoreContextMut<'_, StoreData>,
        ty: &FuncType,
        results: &mut [Val],
        source: Result<S>,
    ) -> Result<()> {
        let outcome = source.and_then(|mut source| {
            let read = (|| {
                let mut lx = Lx {
                    cx,
                    ledger: &mut self.ledger,
                };
                for (slot, t) in results.iter_mut().zip(&ty.results) {
                    *slot = source.read(t, &mut lx).map_err(ValueError::into_error)?;
                }
                self.ledger.take_owned(cx)
            })();
            if read.is_err() {
                // The results never reach the guest: take back the host objects among them.
                self.ledger.release_host_handles(cx);
            }
            read
        });
        self.ledger.end_borrows(cx);
        outcome
    }
}

/// Reads values as a call reads its arguments, outside a call: the owned resources among them
/// are taken from the host when `take` (else only lent), and host objects leave the host table
/// again. For values that are only looked at (printed) and for the fuzzers.
pub fn read_values<'buf>(
    mut cx: StoreContextMut<'_, StoreData>,
    types: &[&ValType],
    source: &mut impl Source<'buf>,
    take: bool,
) -> Result<Vec<Val>> {
    let mut ledger = Ledger {
        lend_owned: !take,
        ..Ledger::default()
    };
    let read = (|| {
        let mut lx = Lx {
            cx: &mut cx,
            ledger: &mut ledger,
        };
        let mut vals = Vec::with_capacity(types.len());
        for t in types {
            vals.push(source.read(t, &mut lx).map_err(ValueError::into_error)?);
        }
        Ok(vals)
    })();
    let read = read.and_then(|vals| ledger.take_owned(&mut cx).map(|()| vals));
    ledger.release_host_handles(&mut cx);
    read
}

/// Reads one value only to look at it (to print it): `own` handles stay with the host.
pub fn look<'buf>(
    cx: StoreContextMut<'_, StoreData>,
    ty: &ValType,
    source: &mut impl Source<'buf>,
) -> Result<Val> {
    let mut vals = read_values(cx, &[ty], source, false)?;
    Ok(vals.remove(0))
}

/// Writes values that are not a call's results (parsed WAVE arguments) to `sink`.
pub fn write_values(
    mut cx: StoreContextMut<'_, StoreData>,
    vals: &[Val],
    types: &[&ValType],
    sink: &mut impl Sink,
) -> Result<()> {
    let mut ledger = Ledger::default();
    sink.start(vals)?;
    let mut lx = Lx {
        cx: &mut cx,
        ledger: &mut ledger,
    };
    for (v, t) in vals.iter().zip(types) {
        sink.write(v, t, &mut lx)?;
    }
    Ok(())
}

/// Runs `f` with a view of `cx` outside any call (for tests of the faces' codecs).
#[cfg(test)]
pub(crate) fn with_lx<R>(
    mut cx: StoreContextMut<'_, StoreData>,
    f: impl FnOnce(&mut Lx<'_, '_>) -> R,
) -> R {
    let mut ledger = Ledger::default();
    f(&mut Lx {
        cx: &mut cx,
        ledger: &mut ledger,
    })
}

/// Values given as `Val`s (the Rust face of the core: tests, WAVE, the fuzzers).
pub struct ValSource<'a>(pub std::slice::Iter<'a, Val>);

impl<'a> Source<'a> for ValSource<'a> {
    fn given(&self) -> Option<usize> {
        Some(self.0.len())
    }

    fn lends(&self, kinds: &[BulkKind]) -> bool {
        // Strings are lent from the `Val`s; a list<u8> is not one piece of memory there.
        let mut next = self.0.clone();
        kinds.iter().all(|k| {
            matches!(
                (k, next.next()),
                (BulkKind::Str, Some(Val::String(_))) | (BulkKind::U32, Some(Val::U32(_)))
            )
        })
    }

    fn lend_str(&mut self) -> Result<&'a str, ValueError> {
        match self.0.next() {
            Some(Val::String(s)) => Ok(s),
            other => Err(ValueError::invalid(format!(
                "expected a string, got {other:?}"
            ))),
        }
    }

    /// A resource given as a `Val` is a handle already, which the caller answers for.
    fn read(&mut self, _ty: &ValType, _lx: &mut Lx<'_, '_>) -> Result<Val, ValueError> {
        self.0
            .next()
            .cloned()
            .ok_or_else(|| ValueError::invalid("missing value"))
    }
}

/// Results collected as `Val`s.
pub struct ValSink(pub Vec<Val>);

impl Sink for ValSink {
    fn write(&mut self, val: &Val, _ty: &ValType, _lx: &mut Lx<'_, '_>) -> Result<()> {
        self.0.push(val.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{fixture, instance};
    use crate::core::{Component, Engine, EngineConfig, Linker, Store, StoreOptions};

    /// host-bench with `noop` defined to note whether it ran on the thread's own stack (not on
    /// a fiber, nor on a stack the thread keeps for guests).
    fn noop_noting_its_stack(
        engine: &crate::core::Engine,
    ) -> (
        crate::core::Linker,
        std::sync::Arc<std::sync::Mutex<Vec<bool>>>,
    ) {
        use crate::core::host::HostCall;
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let linker = crate::core::Linker::new(engine);
        let noted = seen.clone();
        let plain = |params: Vec<ValType>, results: Vec<ValType>| FuncType {
            params: params
                .into_iter()
                .enumerate()
                .map(|(i, t)| (["a", "b"][i].to_owned(), t))
                .collect(),
            results,
            is_async: false,
        };
        linker
            .define_func(
                &[],
                "noop",
                plain(vec![], vec![]),
                std::sync::Arc::new(move |_: HostCall<'_>| {
                    let known = crate::core::stack::on_own_stack();
                    noted.lock().unwrap().push(known);
                    Ok(())
                }),
            )
            .unwrap();
        let unused = || std::sync::Arc::new(|_: HostCall<'_>| Ok(()));
        linker
            .define_func(
                &[],
                "add2",
                plain(vec![ValType::U32, ValType::U32], vec![ValType::U32]),
                unused(),
            )
            .unwrap();
        linker
            .define_func(
                &[],
                "take-string",
                FuncType {
                    params: vec![("s".into(), ValType::String)],
                    results: vec![ValType::U32],
                    is_async: false,
                },
                unused(),
            )
            .unwrap();
        (linker, seen)
    }

    // Where the thread's stack bounds can be read (elsewhere host code runs where it is).
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    #[test]
    fn host_functions_of_async_calls_run_on_the_threads_own_stack_not_on_the_fiber() {
        use crate::core::stack::OffStack;
        for concurrency_support in [false, true] {
            let engine = Engine::new(EngineConfig {
                concurrency_support,
                ..EngineConfig::default()
            })
            .unwrap();
            let component = Component::from_wat(&engine, &fixture("host-bench")).unwrap();
            let (linker, seen) = noop_noting_its_stack(&engine);
            let store = Store::new(&engine, &StoreOptions::default()).unwrap();
            let instance = linker.instantiate(&store, &component).unwrap();
            let run = store
                .enter(|s| s.instance_func(instance, &["call-noop"]))
                .unwrap();
            // Polled plainly, wasmtime runs the host function on its fiber: the control case,
            // which shows the check below can fail.
            store
                .enter(|s| {
                    wasmtime_wasi::runtime::in_tokio(s.call_async(run, &[Val::U32(2)], &mut []))
                })
                .unwrap();
            assert_eq!(*seen.lock().unwrap(), [false, false]);
            seen.lock().unwrap().clear();
            // Polled off stack, the host function is back on the thread's own stack.
            store
                .enter(|s| {
                    wasmtime_wasi::runtime::in_tokio(OffStack::new(s.call_async(
                        run,
                        &[Val::U32(3)],
                        &mut [],
                    )))
                })
                .unwrap();
            assert_eq!(*seen.lock().unwrap(), [true, true, true]);
            // The store still takes sync calls afterwards.
            store
                .enter(|s| s.call(run, &[Val::U32(1)], &mut []))
                .unwrap();
            seen.lock().unwrap().clear();
            // From a thread too small for the guest, where the call itself switches stacks
            // first, host code still goes back to the thread's own stack.
            let store = std::sync::Arc::new(store);
            let small = {
                let store = store.clone();
                std::thread::Builder::new()
                    .stack_size(256 * 1024)
                    .spawn(move || {
                        store.enter(|s| {
                            wasmtime_wasi::runtime::in_tokio(OffStack::new(s.call_async(
                                run,
                                &[Val::U32(2)],
                                &mut [],
                            )))
                        })
                    })
                    .unwrap()
            };
            small.join().unwrap().unwrap();
            assert_eq!(*seen.lock().unwrap(), [true, true]);
        }
    }

    #[test]
    fn dynamic_call_round_trips_values() {
        let (store, id) = instance("echo");
        store
            .enter(|s| {
                let f = s.instance_func(id, &["echo-person"])?;
                let person = Val::Record(vec![
                    ("first-name".into(), Val::String("Zoë".into())),
                    ("age".into(), Val::U8(255)),
                    ("tags".into(), Val::List(vec![Val::String(String::new())])),
                ]);
                let mut out = [Val::Bool(false)];
                s.call(f, std::slice::from_ref(&person), &mut out)?;
                assert_eq!(out[0], person);
                assert_eq!(
                    s.func_type(f)?.to_string(),
                    "func(v: record { first-name: string, age: u8, tags: list<string> }) -> \
                     record { first-name: string, age: u8, tags: list<string> }"
                );
                let err = s.call(f, &[], &mut out).unwrap_err();
                assert!(
                    matches!(err, Error::InvalidArgument(ref m) if m.contains("takes 1")),
                    "{err}"
                );
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn calls_with_values_take_the_bulk_and_typed_routes_and_fall_back_to_values() {
        let (store, id) = instance("echo");
        store
            .enter(|s| {
                // A string is lent from the `Val` (bulk shape string -> string).
                let f = s.instance_func(id, &["echo-string"])?;
                let text = Val::String("Zoë 🌍".repeat(300));
                let mut out = [Val::Bool(false)];
                s.call(f, std::slice::from_ref(&text), &mut out)?;
                assert_eq!(out[0], text);
                // A list<u8> as `Val`s cannot be lent: the value path.
                let f = s.instance_func(id, &["echo-list-u8"])?;
                let bytes = Val::List((0..=255u8).map(Val::U8).collect());
                s.call(f, std::slice::from_ref(&bytes), &mut out)?;
                assert_eq!(out[0], bytes);
                // An all-scalar typed shape, with values.
                let f = s.instance_func(id, &["echo-u32"])?;
                s.call(f, &[Val::U32(u32::MAX)], &mut out)?;
                assert_eq!(out[0], Val::U32(u32::MAX));
                // A value of the wrong kind is refused, whichever route the call takes.
                for name in ["echo-string", "echo-u32", "echo-list-u8"] {
                    let f = s.instance_func(id, &[name])?;
                    assert!(
                        s.call(f, &[Val::Bool(true)], &mut out).is_err(),
                        "{name} accepted a bool"
                    );
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn scalar_path_uses_typed_and_dynamic_calls_alike() {
        let (store, id) = instance("echo");
        store
            .enter(|s| {
                // u32 -> u32 has a typed specialisation; u8 and char go through the dynamic call.
                let u32_echo = s.instance_func(id, &["echo-u32"])?;
                assert_eq!(
                    s.call_scalar(u32_echo, &[u32::MAX as u64])?,
                    u32::MAX as u64
                );
                let u8_echo = s.instance_func(id, &["echo-u8"])?;
                assert_eq!(s.call_scalar(u8_echo, &[255])?, 255);
                let char_echo = s.instance_func(id, &["echo-char"])?;
                assert_eq!(s.call_scalar(char_echo, &['🌍' as u64])?, '🌍' as u64);
                let f64_echo = s.instance_func(id, &["echo-f64"])?;
                let nan = f64::from_bits(0x7ff8_0000_dead_beef);
                assert_eq!(s.call_scalar(f64_echo, &[nan.to_bits()])?, nan.to_bits());
                let s64_echo = s.instance_func(id, &["echo-s64"])?;
                assert_eq!(
                    s.call_scalar(s64_echo, &[i64::MIN as u64])?,
                    i64::MIN as u64
                );

                for (f, bad) in [(u32_echo, 1u64 << 32), (u8_echo, 256), (char_echo, 0xd800)] {
                    match s.call_scalar(f, &[bad]) {
                        Err(Error::InvalidArgument(m)) => {
                            assert!(m.contains("argument `v`"), "{m}")
                        }
                        other => panic!("{bad:#x} accepted: {other:?}"),
                    }
                }
                let strings = s.instance_func(id, &["echo-string"])?;
                assert!(!s.is_scalar(strings)?);
                assert!(matches!(
                    s.call_scalar(strings, &[0]),
                    Err(Error::InvalidArgument(_))
                ));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn canonical_abi_violations_are_traps() {
        // The guest returns discriminant 2 for a two-case enum: wasmtime reports it as a plain
        // error while lifting the result, but it is the guest's fault, so a trap without a code.
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(
            &engine,
            r#"(component
                 (core module $m (func (export "f") (result i32) i32.const 2))
                 (core instance $i (instantiate $m))
                 (type $e (enum "a" "b"))
                 (export $exported "e" (type $e))
                 (func (export "f") (result $exported) (canon lift (core func $i "f"))))"#,
        )
        .unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        let id = Linker::new(&engine)
            .instantiate(&store, &component)
            .unwrap();
        store
            .enter(|s| {
                let f = s.instance_func(id, &["f"])?;
                let mut out = [Val::Bool(false)];
                match s.call(f, &[], &mut out) {
                    Err(Error::Trap(info)) => {
                        assert_eq!(info.code, None);
                        assert!(info.message.contains("out of range"), "{}", info.message);
                    }
                    other => panic!("expected a trap, got {other:?}"),
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn canonical_abi_violations_in_start_functions_are_traps_not_link_errors() {
        let engine = Engine::new(EngineConfig::default()).unwrap();
        let component = Component::from_wat(
            &engine,
            r#"(component
                 (type $r (resource (rep i32)))
                 (core func $drop (canon resource.drop $r))
                 (core module $m
                   (import "" "drop" (func $drop (param i32)))
                   (func $start (call $drop (i32.const 7)))
                   (start $start))
                 (core instance (instantiate $m
                   (with "" (instance (export "drop" (func $drop)))))))"#,
        )
        .unwrap();
        let store = Store::new(&engine, &StoreOptions::default()).unwrap();
        match Linker::new(&engine).instantiate(&store, &component) {
            Err(Error::Trap(info)) => {
                assert_eq!(info.code, None);
                assert!(
                    info.message.contains("unknown handle index 7"),
                    "{}",
                    info.message
                );
            }
            other => panic!("expected a trap, got {other:?}"),
        }
        // A missing import is still a link error.
        let importer =
            Component::from_wat(&engine, r#"(component (import "missing" (func)))"#).unwrap();
        assert!(matches!(
            Linker::new(&engine).instantiate(&store, &importer),
            Err(Error::Link { .. })
        ));
    }

    #[test]
    fn traps_carry_their_code_and_frames() {
        let (store, id) = instance("traps");
        store
            .enter(|s| {
                let f = s.instance_func(id, &["divide"])?;
                match s.call_scalar(f, &[1, 0]) {
                    Err(Error::Trap(info)) => {
                        assert_eq!(info.code, Some(wasmtime::Trap::IntegerDivisionByZero));
                        assert!(!info.frames.is_empty());
                    }
                    other => panic!("expected a trap, got {other:?}"),
                }
                let ok = s.instance_func(id, &["ok"])?;
                match s.call_scalar(ok, &[]) {
                    Err(Error::Trap(info)) => {
                        assert_eq!(info.code, Some(wasmtime::Trap::CannotEnterComponent));
                        assert!(info.message.contains("new Store"), "{}", info.message);
                    }
                    other => panic!("expected the store to be poisoned, got {other:?}"),
                }
                Ok(())
            })
            .unwrap();
    }
}
