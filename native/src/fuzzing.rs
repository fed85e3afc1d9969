//! Fuzzing entry points: the bodies of the `cargo fuzz` targets in `fuzz/` (each target is a
//! one-line call of a function here), and their stable replay (the tests at the end), which runs
//! every committed reproducer and seed, plus seeded mutations of the seeds, in `cargo test`.
//!
//! Not an API: hidden, and free to change with the targets. Every function takes untrusted bytes
//! and must return normally whatever they are; an error is fine, a panic or a crash is a finding.
//!
//! - [`component_load`]: bytes as a component (binary or WAT text; text is also parsed as a WIT
//!   package), compiled, its WIT decoded, printed and checked against, instantiated with
//!   every unknown import stubbed as a trap (and WASI, on a flag), in a store with memory,
//!   instance and fuel limits; then every exported function (at the root and inside exported
//!   interfaces) is called with values generated from the input, through the dynamic call and the
//!   scalar fast path. Another mode mutates a checked compiled image (`Component::serialize`) and
//!   loads it with `Component::deserialize`, which must refuse every changed image.
//! - [`value_codec`]: the JNI face's wire codecs for bytes Java writes: a function type read by
//!   `TypeReader` (checked to survive re-encoding), then values of its parameter or result types
//!   read from the call-buffer format by the value `Reader` in a real store (guest resources in
//!   its slab, host resources made on the fly), printed as WAVE, and checked to survive
//!   re-encoding; and a linker defining a host function and resource with that type and names.
//!
//! Input layouts (the seeds in `fuzz/seeds/` follow them):
//!
//! ```text
//! component_load: flags u8, n u8, n bytes of value data, rest
//!   flags & 3: 0 rest is component bytes (binary or WAT), 1 rest is WAT text (lossy UTF-8;
//!              also parsed as WIT text),
//!              2 and 3 compiled-image mode (below)
//!   flags & 4 WASI in the linker; & 8 wrong-typed values now and then; & 16 the scalar fast
//!   path too; & 32 instantiate through an InstancePre
//!   compiled-image mode: flags & 1 the keyed image (else the checksummed one); rest is edits
//!   of 5 bytes (u32 offset, byte to xor there); & 0x80 then cut or lengthen it; & 0x40 rest is
//!   the image itself, unedited
//! value_codec: flags u8, encoded function type (type_codec.rs), encoded values
//!   flags & 1 read the result types (else the parameters); & 2 a lending reader (formatWave0);
//!   (flags >> 2) & 3 guest resources put in the store's slab first; & 16 define a host
//!   function and resource with the type
//! ```

use std::sync::{Arc, OnceLock};

use wasmtime::component::{Resource, ResourceAny, Val};
use wasmtime::AsContextMut;

use crate::core::call;
use crate::core::host;
use crate::core::scalar::ScalarKind;
use crate::core::types::{FuncType, ItemType, ValType};
use crate::core::wave;
use crate::core::wit::WitPackage;
use crate::core::{
    Component, Engine, EngineConfig, InstanceId, Linker, OptimizationLevel, Store, StoreOptions,
};
use crate::jni::type_codec::{self, TypeReader};
use crate::jni::value_codec::{Reader, Writer};

/// Memory any one linear memory of a fuzzed guest may grow to.
pub const MEMORY_LIMIT: usize = 16 << 20;
/// Fuel each fuzzed store starts with: enough for real work, few enough that loops end soon.
pub const FUEL: u64 = 2_000_000;
/// Functions called per instance.
const MAX_FUNCS: usize = 48;
/// Values generated per call, at most (lists stop growing past it).
const VALUE_BUDGET: usize = 512;
/// The most elements the fixed-length lists of a generated argument may need (nested ones
/// multiplied).
const MAX_FIXED_LIST: u32 = 1024;

fn fuzz_engine_config() -> EngineConfig {
    EngineConfig {
        // Cranelift is not what is fuzzed here: compile fast, on this thread.
        opt_level: OptimizationLevel::None,
        consume_fuel: true,
        parallel_compilation: false,
        ..EngineConfig::default()
    }
}

/// The engine every component is compiled with: fuel on, no optimisation.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(fuzz_engine_config()).expect("fuzzing engine"))
}

/// An engine like [`engine`] with a compiled-code key, for authenticated images.
fn keyed_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(EngineConfig {
            compiled_code_key: Some(crate::core::engine::CodeKey(
                b"wasmtime-jvm fuzzing key".to_vec(),
            )),
            ..fuzz_engine_config()
        })
        .expect("keyed fuzzing engine")
    })
}

fn store_options() -> StoreOptions {
    StoreOptions {
        memory_size: Some(MEMORY_LIMIT),
        table_elements: Some(100_000),
        instances: Some(100),
        fuel: Some(FUEL),
        ..StoreOptions::default()
    }
}

/// Bytes to draw decisions from: `data`, then (once they run out) a xorshift stream seeded by
/// the whole input, so that any change of the input changes what follows.
pub struct Source<'a> {
    data: &'a [u8],
    pos: usize,
    state: u64,
}

impl<'a> Source<'a> {
    pub fn new(data: &'a [u8], input: &[u8]) -> Source<'a> {
        // FNV-1a, never zero (xorshift's fixed point).
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in input {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Source {
            data,
            pos: 0,
            state: h | 1,
        }
    }

    pub fn byte(&mut self) -> u8 {
        if let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            return b;
        }
        (xorshift(&mut self.state) >> 24) as u8
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    pub fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | (u64::from(self.u32()) << 32)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.u32() as usize % n
        }
    }
}

/// One step of xorshift64.
pub fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

// ---------------------------------------------------------------------------------------------
// component_load

const MODE_TEXT: u8 = 1;
const MODE_IMAGE: u8 = 2;
const FLAG_WASI: u8 = 4;
const FLAG_CHAOS: u8 = 8;
const FLAG_SCALAR: u8 = 16;
const FLAG_PRE: u8 = 32;

/// The `component_load` target (layout in the module documentation).
pub fn component_load(data: &[u8]) {
    let [flags, n, rest @ ..] = data else {
        // Too short for the layout: still a component (or not).
        let _ = Component::new(engine(), data);
        return;
    };
    let n = (*n as usize).min(rest.len());
    let (values, bytes) = rest.split_at(n);
    let mut src = Source::new(values, data);
    if flags & MODE_IMAGE != 0 {
        image(*flags, bytes, &mut src);
        return;
    }
    let component = if flags & 3 == MODE_TEXT {
        let text = String::from_utf8_lossy(bytes);
        wit_text(&text);
        Component::new(engine(), text.as_bytes())
    } else {
        Component::new(engine(), bytes)
    };
    if let Ok(component) = component {
        exercise(&component, *flags, &mut src);
    }
}

/// Text as a WIT package: parsed, each world read into the type model, printed, encoded and
/// decoded again (all of which must answer, whatever the text).
fn wit_text(text: &str) {
    if let Ok(package) = WitPackage::parse("fuzz.wit", text) {
        wit_package(&package);
    }
}

/// Everything a WIT package offers, run for its answers.
fn wit_package(package: &WitPackage) {
    for world in package.worlds() {
        let _ = package.world_type(Some(&world)).map(|t| t.to_string());
    }
    let _ = package.interface_types();
    let _ = package.to_wit(true);
    if let Ok(bytes) = package.encode() {
        let _ = WitPackage::from_binary(&bytes).map(|p| p.to_wit(true));
    }
}

/// Instantiates `component` with stubbed imports and calls what it exports, in rounds (so
/// that resources a call returns can be passed to functions called later), in a new store and
/// instance after a trap (which leaves a store unusable), a few times.
fn exercise(component: &Component, flags: u8, src: &mut Source<'_>) {
    let engine = component.engine();
    let ty = component.component_type();
    let _ = ty.to_string();
    if let Ok(wit) = component.wit() {
        wit_package(wit);
        if let Ok(world) = wit.world_type(None) {
            let _ = crate::core::wit::check::check(&world, &ty);
        }
    }
    let linker = Linker::new(engine);
    if flags & FLAG_WASI != 0 {
        linker.add_wasi().expect("WASI defines in an empty linker");
    }
    if linker.define_unknown_imports_as_traps(component).is_err() {
        return;
    }
    let pre = if flags & FLAG_PRE != 0 {
        match linker.instantiate_pre(component) {
            Ok(pre) => Some(pre),
            Err(_) => return,
        }
    } else {
        None
    };
    let instantiate = || {
        let store = Store::new(engine, &store_options()).expect("fuzzing store");
        let id = match &pre {
            Some(pre) => pre.instantiate(&store),
            None => linker.instantiate(&store, component),
        };
        id.ok().map(|id| (store, id))
    };
    let Some(mut current) = instantiate() else {
        return;
    };
    let mut paths = Vec::new();
    collect_funcs(&ty.exports, &mut Vec::new(), &mut paths);
    paths.truncate(MAX_FUNCS);
    let mut fresh = MAX_REINSTANTIATIONS;
    let mut pool = Vec::new();
    let _ = current
        .0
        .enter(|s| s.instance_exports(current.1, &[]).map(drop));
    for _ in 0..ROUNDS {
        for path in &paths {
            let (store, id) = &current;
            let trapped = store
                .enter(|s| Ok(call_export(s, *id, path, flags, src, &mut pool)))
                .unwrap_or(true);
            if trapped {
                if fresh == 0 {
                    current.0.close();
                    return;
                }
                fresh -= 1;
                current.0.close();
                pool.clear();
                current = match instantiate() {
                    Some(c) => c,
                    None => return,
                };
            }
        }
    }
    current.0.close();
}

/// Rounds of calls of every export, and new instances after traps, per component.
const ROUNDS: usize = 2;
const MAX_REINSTANTIATIONS: usize = 6;

/// The export paths of every function among `items`, inside interfaces too.
fn collect_funcs(
    items: &[(String, ItemType)],
    prefix: &mut Vec<String>,
    out: &mut Vec<Vec<String>>,
) {
    for (name, item) in items {
        match item {
            ItemType::Func(_) => {
                let mut path = prefix.clone();
                path.push(name.clone());
                out.push(path);
            }
            ItemType::Instance { exports } if prefix.len() < 4 => {
                prefix.push(name.clone());
                collect_funcs(exports, prefix, out);
                prefix.pop();
            }
            _ => {}
        }
    }
}

/// Calls the function at `path` (when arguments can be made for it); whether a call trapped.
/// Resources the calls return join `pool`, where later arguments come from.
fn call_export(
    s: &mut crate::core::StoreInner,
    id: InstanceId,
    path: &[String],
    flags: u8,
    src: &mut Source<'_>,
    pool: &mut Vec<ResourceAny>,
) -> bool {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    if path.len() > 1 {
        let _ = s.instance_exports(id, &path[..path.len() - 1]);
    }
    let Ok(f) = s.instance_func(id, &path) else {
        return false;
    };
    let Ok(ty) = s.func_type(f) else {
        return false;
    };
    let _ = ty.to_string();
    let chaos = flags & FLAG_CHAOS != 0;
    let Some(mut params) = gen_params(&ty, src, chaos, pool) else {
        return false;
    };
    if chaos && src.byte() == 0xff {
        // A wrong number of arguments.
        if params.pop().is_none() {
            params.push(Val::Bool(true));
        }
    }
    // WAVE text of each argument, parsed back by the parameter's type (as `Func.call` with WAVE
    // arguments does).
    for (i, p) in params.iter().enumerate().take(ty.params.len()) {
        if let Ok(text) = wave::to_wave(p) {
            let _ = s.wave_param(f, i, &text);
        }
    }
    let mut results = vec![Val::Bool(false); ty.results.len()];
    match s.call(f, &params, &mut results) {
        Ok(()) => {
            for r in &results {
                let _ = wave::to_wave(r);
                collect_resources(r, pool);
            }
        }
        Err(crate::core::Error::Trap(_)) => return true,
        Err(_) => {}
    }
    if chaos && !pool.is_empty() && src.byte() < 16 {
        // The host drops a resource it holds (the guest's destructor runs).
        let r = pool.swap_remove(src.below(pool.len()));
        if r.resource_drop(&mut s.store).is_err() {
            return true;
        }
    }
    if flags & FLAG_SCALAR != 0 && s.is_scalar(f).unwrap_or(false) {
        let slots: Vec<u64> = params
            .iter()
            .map(|p| match src.byte() {
                // Out of range for the type, often.
                0..=31 => src.u64(),
                _ => ScalarKind::from_val(p).unwrap_or(0),
            })
            .collect();
        if let Err(crate::core::Error::Trap(_)) = s.call_scalar(f, &slots) {
            return true;
        }
    }
    false
}

/// Every resource inside `v`, added to `pool` (which stays small).
fn collect_resources(v: &Val, pool: &mut Vec<ResourceAny>) {
    if pool.len() >= 64 {
        return;
    }
    match v {
        Val::Resource(r) => pool.push(*r),
        Val::List(vs) | Val::FixedLengthList(vs) | Val::Tuple(vs) => {
            vs.iter().for_each(|v| collect_resources(v, pool))
        }
        Val::Record(fields) => fields.iter().for_each(|(_, v)| collect_resources(v, pool)),
        Val::Map(entries) => entries.iter().for_each(|(k, v)| {
            collect_resources(k, pool);
            collect_resources(v, pool);
        }),
        Val::Variant(_, Some(v))
        | Val::Option(Some(v))
        | Val::Result(Ok(Some(v)) | Err(Some(v))) => collect_resources(v, pool),
        _ => {}
    }
}

/// What values are made from.
struct Gen<'a, 'b, 'c> {
    src: &'a mut Source<'b>,
    budget: usize,
    chaos: bool,
    /// Resources to pass as `own` and `borrow` arguments.
    pool: &'c [ResourceAny],
    /// Set when an argument needs a resource that `pool` does not have.
    missing: bool,
}

/// Arguments for `ty`, or `None` when a parameter cannot be made up (async types, resources of
/// a type not in `pool`).
fn gen_params(
    ty: &FuncType,
    src: &mut Source<'_>,
    chaos: bool,
    pool: &[ResourceAny],
) -> Option<Vec<Val>> {
    if ty.params.iter().any(|(_, t)| !generatable(t)) {
        return None;
    }
    let mut g = Gen {
        src,
        budget: VALUE_BUDGET,
        chaos,
        pool,
        missing: false,
    };
    let params = ty.params.iter().map(|(_, t)| g.val(t)).collect();
    (!g.missing).then_some(params)
}

/// Whether [`Gen::val`] can make values of `t` (resources permitting), with fixed-length lists
/// (nested ones multiplied) of at most [`MAX_FIXED_LIST`] elements.
fn generatable(t: &ValType) -> bool {
    fits(t, 1)
}

/// [`generatable`] for a value made `fixed` times over by the fixed-length lists around it.
fn fits(t: &ValType, fixed: u64) -> bool {
    use ValType as T;
    match t {
        T::Future(_) | T::Stream(_) | T::ErrorContext => false,
        T::List(e) | T::Option(e) => fits(e, fixed),
        T::FixedList(e, n) => {
            let fixed = fixed.saturating_mul(u64::from(*n));
            fixed <= u64::from(MAX_FIXED_LIST) && fits(e, fixed)
        }
        T::Map(k, v) => fits(k, fixed) && fits(v, fixed),
        T::Record(fields) => fields.iter().all(|f| fits(&f.ty, fixed)),
        T::Tuple(types) => types.iter().all(|t| fits(t, fixed)),
        T::Variant(cases) => cases
            .iter()
            .filter_map(|c| c.ty.as_ref())
            .all(|t| fits(t, fixed)),
        T::Result { ok, err } => ok.iter().chain(err.iter()).all(|t| fits(t, fixed)),
        _ => true,
    }
}

const STRINGS: &[&str] = &[
    "",
    "a",
    "Zoë",
    "🌍",
    "\0",
    "\u{fffd}",
    "kebab-case",
    "x\u{7f}y",
];

fn gen_string(src: &mut Source<'_>) -> String {
    match src.byte() % 4 {
        0 => STRINGS[src.below(STRINGS.len())].to_owned(),
        _ => {
            let n = src.below(24);
            (0..n).map(|_| gen_char(src)).collect()
        }
    }
}

fn gen_char(src: &mut Source<'_>) -> char {
    match src.byte() % 4 {
        0..=1 => char::from(b' ' + src.byte() % 95),
        2 => char::from_u32(src.u32() % 0x11_0000).unwrap_or('\u{fffd}'),
        _ => ['\0', '\u{7f}', '\u{ffff}', '\u{10ffff}', 'é', '🌍'][src.below(6)],
    }
}

impl Gen<'_, '_, '_> {
    fn len(&mut self) -> usize {
        if self.budget == 0 {
            return 0;
        }
        let n = match self.src.byte() {
            0..=199 => self.src.below(4),
            200..=249 => self.src.below(17),
            _ => self.src.below(200),
        };
        n.min(self.budget)
    }

    /// A value of type `t` (with `chaos`, now and then one of another type).
    fn val(&mut self, t: &ValType) -> Val {
        self.budget = self.budget.saturating_sub(1);
        if self.chaos && self.src.byte() >= 0xf8 {
            return wrong_val(t, self.src);
        }
        use ValType as T;
        let src = &mut *self.src;
        match t {
            T::Bool => Val::Bool(src.byte() & 1 != 0),
            T::S8 => Val::S8(src.byte() as i8),
            T::U8 => Val::U8(src.byte()),
            T::S16 => Val::S16(src.u32() as i16),
            T::U16 => Val::U16(src.u32() as u16),
            T::S32 => Val::S32(src.u32() as i32),
            T::U32 => Val::U32(src.u32()),
            T::S64 => Val::S64(src.u64() as i64),
            T::U64 => Val::U64(src.u64()),
            T::F32 => Val::Float32(f32::from_bits(src.u32())),
            T::F64 => Val::Float64(f64::from_bits(src.u64())),
            T::Char => Val::Char(gen_char(src)),
            T::String => Val::String(gen_string(src)),
            T::List(e) => {
                let n = self.len();
                Val::List((0..n).map(|_| self.val(e)).collect())
            }
            T::FixedList(e, n) => Val::FixedLengthList((0..*n).map(|_| self.val(e)).collect()),
            T::Map(k, v) => {
                let n = self.len();
                Val::Map(
                    (0..n)
                        .map(|_| {
                            let key = self.val(k);
                            (key, self.val(v))
                        })
                        .collect(),
                )
            }
            T::Record(fields) => Val::Record(
                fields
                    .iter()
                    .map(|f| (f.name.clone(), self.val(&f.ty)))
                    .collect(),
            ),
            T::Tuple(types) => Val::Tuple(types.iter().map(|t| self.val(t)).collect()),
            T::Variant(cases) => {
                if cases.is_empty() {
                    return Val::Variant(String::new(), None);
                }
                let c = &cases[src.below(cases.len())];
                let payload = c.ty.as_ref().map(|t| Box::new(self.val(t)));
                Val::Variant(c.name.clone(), payload)
            }
            T::Enum(names) => Val::Enum(
                names
                    .get(src.below(names.len()))
                    .cloned()
                    .unwrap_or_default(),
            ),
            T::Option(e) => Val::Option(if src.byte() & 1 == 0 {
                None
            } else {
                Some(Box::new(self.val(e)))
            }),
            T::Result { ok, err } => {
                let is_ok = src.byte() & 1 == 0;
                let side = if is_ok { ok } else { err };
                let payload = side.as_ref().map(|t| Box::new(self.val(t)));
                Val::Result(if is_ok { Ok(payload) } else { Err(payload) })
            }
            T::Flags(names) => Val::Flags(
                names
                    .iter()
                    .filter(|_| src.byte() & 1 != 0)
                    .cloned()
                    .collect(),
            ),
            T::Own(r) | T::Borrow(r) => {
                // A resource of the type asked for (with chaos, of any type).
                let fits: Vec<&ResourceAny> = self
                    .pool
                    .iter()
                    .filter(|a| self.chaos || r.ty.is_some_and(|ty| a.ty() == ty))
                    .collect();
                match fits.get(src.below(fits.len())) {
                    Some(a) => Val::Resource(**a),
                    _ => {
                        self.missing = true;
                        Val::Bool(false)
                    }
                }
            }
            // Not generatable (see `generatable`).
            T::Future(_) | T::Stream(_) | T::ErrorContext => Val::Bool(false),
        }
    }
}

/// A value that does not fit `t`: another kind, or the right kind with wrong contents.
fn wrong_val(t: &ValType, src: &mut Source<'_>) -> Val {
    use ValType as T;
    match (src.byte() % 4, t) {
        (0, T::Record(fields)) => Val::Record(
            fields
                .iter()
                .rev()
                .map(|f| (f.name.clone(), Val::Bool(true)))
                .collect(),
        ),
        (0, T::Variant(_)) => Val::Variant("no-such-case".into(), Some(Box::new(Val::U8(1)))),
        (0, T::Enum(_)) => Val::Enum("no-such-case".into()),
        (0, T::Flags(_)) => Val::Flags(vec!["no-such-flag".into(), "no-such-flag".into()]),
        (0, T::FixedList(_, n)) => Val::FixedLengthList(vec![Val::U8(0); (*n as usize + 1) % 7]),
        (0, T::List(_)) => Val::List(vec![Val::String("x".into()), Val::U64(1)]),
        (1, _) => Val::String(gen_string(src)),
        (2, _) => Val::U32(src.u32()),
        _ => [
            Val::Bool(true),
            Val::Char('x'),
            Val::Float64(f64::NAN),
            Val::Tuple(vec![]),
            Val::Record(vec![]),
            Val::List(vec![]),
            Val::Option(None),
            Val::Result(Ok(None)),
            Val::Flags(vec![]),
            Val::Enum(String::new()),
            Val::Map(vec![]),
        ][src.below(11)]
        .clone(),
    }
}

/// A small component whose checked images the image mode mutates.
const IMAGE_WAT: &str = r#"(component
  (core module $m
    (memory (export "memory") 1)
    (func (export "add") (param i32 i32) (result i32)
      local.get 0 local.get 1 i32.add)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
    (func (export "len") (param i32 i32) (result i32) local.get 1))
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func (export "len") (param "s" string) (result u32)
    (canon lift (core func $i "len") (memory $mem) (realloc $realloc))))"#;

/// The checked images of [`IMAGE_WAT`]: with a checksum, and authenticated with a key.
fn images() -> &'static [(Vec<u8>, bool); 2] {
    static IMAGES: OnceLock<[(Vec<u8>, bool); 2]> = OnceLock::new();
    IMAGES.get_or_init(|| {
        let seal = |engine: &Engine| {
            Component::new(engine, IMAGE_WAT.as_bytes())
                .and_then(|c| c.serialize())
                .expect("the image component compiles")
        };
        [(seal(engine()), false), (seal(keyed_engine()), true)]
    })
}

/// Compiled-image mode: `bytes` edit a checked image (or, with flag 0x40, are the image), which
/// both engines then load. Only an unchanged image may load, and only on its own engine.
fn image(flags: u8, bytes: &[u8], src: &mut Source<'_>) {
    let (base, keyed) = &images()[usize::from(flags & 1)];
    let image = if flags & 0x40 != 0 {
        bytes.to_vec()
    } else {
        let mut image = base.clone();
        // Edits of 5 bytes: offset (u32) and the byte to xor there.
        for edit in bytes.chunks_exact(5) {
            let at = u32::from_le_bytes(edit[..4].try_into().expect("4 bytes")) as usize;
            let len = image.len();
            image[at % len] ^= edit[4];
        }
        if flags & 0x80 != 0 {
            // Cut, or lengthen.
            let at = src.below(image.len() + 64);
            image.resize(at, 0);
        }
        image
    };
    let unchanged = image == *base;
    for (engine, is_keyed) in [(engine(), false), (keyed_engine(), true)] {
        let loaded = Component::deserialize(engine, &image);
        match &loaded {
            Ok(_) => assert!(
                unchanged && is_keyed == *keyed,
                "a changed or foreign compiled image was loaded ({} bytes, keyed engine: \
                 {is_keyed}, keyed image: {keyed})",
                image.len()
            ),
            Err(_) => assert!(
                !unchanged || is_keyed != *keyed,
                "an unchanged compiled image was refused: {}",
                loaded
                    .as_ref()
                    .err()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
        }
        if let Ok(component) = loaded {
            exercise(&component, flags & (FLAG_CHAOS | FLAG_SCALAR), src);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// value_codec

const FLAG_RESULTS: u8 = 1;
const FLAG_LENDING: u8 = 2;
const FLAG_DEFINE: u8 = 16;

/// Reads a function type as `Linker.defineFunc0` does; the text of the type, or the reader's
/// error. A type that reads must survive being written and read again.
pub fn decode_func_type(bytes: &[u8]) -> crate::core::Result<String> {
    decode_func_type_with_length(bytes).map(|(ty, _)| ty.to_string())
}

/// The function type at the start of `bytes` and how many bytes it took.
fn decode_func_type_with_length(bytes: &[u8]) -> crate::core::Result<(FuncType, usize)> {
    let ty = TypeReader::new(bytes).func_type()?;
    let mut encoded = Vec::new();
    type_codec::func_type(&mut encoded, &ty);
    // Every field has the same width when written again, so this is what the reader took.
    assert!(
        encoded.len() <= bytes.len(),
        "re-encoding {ty} took {} bytes, more than the {} it was read from",
        encoded.len(),
        bytes.len()
    );
    let again = TypeReader::new(&encoded)
        .func_type()
        .unwrap_or_else(|e| panic!("{ty} does not read back after writing it: {e}"));
    assert_eq!(
        again.to_string(),
        ty.to_string(),
        "type changed in a round trip"
    );
    assert!(
        crate::core::types::same_func_type(&ty, &again),
        "{ty} is not the same type as itself"
    );
    Ok((ty, encoded.len()))
}

/// Reads values of `types` (encoded as a function type's parameters) from `value_bytes` as
/// `Func.call0` does, in a fresh store; the WAVE text of each value read, or the first error.
pub fn decode_values(type_bytes: &[u8], value_bytes: &[u8]) -> crate::core::Result<Vec<String>> {
    let (ty, _) = decode_func_type_with_length(type_bytes)?;
    let types: Vec<ValType> = ty.params.into_iter().map(|(_, t)| t).collect();
    read_values(&types, value_bytes, 0)
}

/// The `value_codec` target (layout in the module documentation).
pub fn value_codec(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let (ty, used) = match decode_func_type_with_length(rest) {
        Ok(read) => read,
        Err(_) => {
            // Not a function type; maybe a value type.
            let _ = TypeReader::new(rest).val_type().map(|t| t.to_string());
            return;
        }
    };
    let _ = host::scalar_signature(&ty);
    let values = &rest[used..];
    if flags & FLAG_DEFINE != 0 {
        define(&ty, flags);
    }
    let types: Vec<ValType> = if flags & FLAG_RESULTS != 0 {
        ty.results.clone()
    } else {
        ty.params.iter().map(|(_, t)| t.clone()).collect()
    };
    let _ = read_values(&types, values, flags);
}

/// Reads `types` from `bytes` in a fresh store; see [`value_codec`] for `flags`.
fn read_values(types: &[ValType], bytes: &[u8], flags: u8) -> crate::core::Result<Vec<String>> {
    if types.iter().any(repeats_nothing) && std::env::var_os("WJVM_FUZZ_ZERO_SIZED").is_none() {
        // A list whose elements take no bytes: its count alone, up to 2^32 - 1, decides how many
        // values are made (see fuzz/README.md); component types never have such elements.
        return Err(crate::core::Error::InvalidArgument(
            "a list of zero-sized elements (not fuzzed)".into(),
        ));
    }
    let store = Store::new(engine(), &StoreOptions::default()).expect("fuzzing store");
    let out = store.enter(|s| {
        for rep in 0..u32::from((flags >> 2) & 3) {
            let any = Resource::<u32>::new_own(rep)
                .try_into_resource_any(&mut s.store)
                .map_err(crate::core::Error::from_call)?;
            s.resources().insert(any);
        }
        let lending = flags & FLAG_LENDING != 0;
        let types: Vec<&ValType> = types.iter().collect();
        let vals = call::read_values(
            s.store.as_context_mut(),
            &types,
            &mut Reader::new(bytes),
            !lending,
        )?;
        let texts: Vec<String> = vals
            .iter()
            .map(|v| wave::to_wave(v).unwrap_or_else(|e| format!("<{e}>")))
            .collect();
        if types.iter().all(|t| round_trips(t)) {
            let mut written = Writer(Vec::new());
            call::write_values(s.store.as_context_mut(), &vals, &types, &mut written)
                .unwrap_or_else(|e| panic!("values read as {types:?} do not write back: {e}"));
            let back = call::read_values(
                s.store.as_context_mut(),
                &types,
                &mut Reader::new(&written.0),
                false,
            )
            .unwrap_or_else(|e| panic!("values of {types:?} do not read back: {e}"));
            assert_eq!(back, vals, "values of {types:?} changed in a round trip");
        }
        Ok(texts)
    });
    store.close();
    out
}

/// Defines a host function of type `ty` and a host resource, with names from the type, in a
/// fresh linker (as `Linker.defineFunc0` and `defineResource0` do).
fn define(ty: &FuncType, flags: u8) {
    let linker = Linker::new(engine());
    let names: Vec<&str> = ty.params.iter().map(|(n, _)| n.as_str()).collect();
    let name = names.first().copied().unwrap_or("f");
    let path: Vec<&str> = names.get(1).into_iter().copied().collect();
    if host::scalar_signature(ty).is_some() {
        let callback: host::ScalarHostCallback = Arc::new(|_, _| Ok(0));
        let _ = linker.define_scalar_func(&path, name, ty.clone(), callback);
    } else {
        let callback: host::HostCallback = Arc::new(|_| Ok(()));
        let _ = linker.define_func(&path, name, ty.clone(), callback);
    }
    let resource = names.get(2).copied().unwrap_or("r");
    let destructor: host::HostDestructor = Arc::new(|_, _| Ok(()));
    let _ = linker.define_resource(
        &path,
        resource,
        0x6675_7a00 | u32::from(flags >> 5),
        destructor,
    );
}

/// The fewest bytes a value of `t` takes in the call-buffer format.
fn min_size(t: &ValType) -> usize {
    use ValType as T;
    match t {
        T::Bool | T::S8 | T::U8 | T::Option(_) | T::Result { .. } => 1,
        T::S16 | T::U16 => 2,
        T::S32 | T::U32 | T::F32 | T::Char | T::String | T::List(_) | T::Map(..) => 4,
        T::Variant(_) | T::Enum(_) => 4,
        T::S64 | T::U64 | T::F64 => 8,
        T::Own(_) | T::Borrow(_) => 5,
        T::FixedList(e, n) => min_size(e).saturating_mul(*n as usize),
        // Saturating: a few nested fixed-length lists reach usize::MAX.
        T::Record(fields) => fields
            .iter()
            .fold(0, |sum, f| sum.saturating_add(min_size(&f.ty))),
        T::Tuple(types) => types
            .iter()
            .fold(0, |sum, t| sum.saturating_add(min_size(t))),
        T::Flags(names) => 4 * names.len().div_ceil(32),
        T::Future(_) | T::Stream(_) | T::ErrorContext => 1,
    }
}

/// How many values reading a value of `t` makes when it takes no bytes (`t` having a
/// [`min_size`] of 0): empty records, tuples and flags, and fixed-length lists of them.
fn zero_sized_values(t: &ValType) -> u64 {
    use ValType as T;
    match t {
        T::FixedList(e, n) => {
            1u64.saturating_add(u64::from(*n).saturating_mul(zero_sized_values(e)))
        }
        T::Record(fields) => fields
            .iter()
            .fold(1u64, |sum, f| sum.saturating_add(zero_sized_values(&f.ty))),
        T::Tuple(types) => types
            .iter()
            .fold(1u64, |sum, t| sum.saturating_add(zero_sized_values(t))),
        _ => 1,
    }
}

/// Whether `t` holds a list or map of elements that take no bytes, or a zero-sized value that
/// stands for many values (nested fixed-length lists of them): reading it makes values that no
/// byte of the input pays for.
fn repeats_nothing(t: &ValType) -> bool {
    use ValType as T;
    if min_size(t) == 0 && zero_sized_values(t) > 4096 {
        return true;
    }
    match t {
        T::List(e) => min_size(e) == 0 || repeats_nothing(e),
        T::Map(k, v) => {
            min_size(k).saturating_add(min_size(v)) == 0 || repeats_nothing(k) || repeats_nothing(v)
        }
        T::FixedList(e, _) | T::Option(e) => repeats_nothing(e),
        T::Record(fields) => fields.iter().any(|f| repeats_nothing(&f.ty)),
        T::Tuple(types) => types.iter().any(repeats_nothing),
        T::Variant(cases) => cases
            .iter()
            .filter_map(|c| c.ty.as_ref())
            .any(repeats_nothing),
        T::Result { ok, err } => ok.iter().chain(err.iter()).any(|t| repeats_nothing(t)),
        _ => false,
    }
}

/// Whether a value of `t` read, written and read again must be the same value: no resources
/// (writing one moves it) and no repeated case or flag names (which the writer finds by name).
fn round_trips(t: &ValType) -> bool {
    use ValType as T;
    fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> bool {
        let mut seen: Vec<&str> = names.collect();
        let n = seen.len();
        seen.sort_unstable();
        seen.dedup();
        seen.len() == n
    }
    match t {
        T::Own(_) | T::Borrow(_) | T::Future(_) | T::Stream(_) | T::ErrorContext => false,
        T::List(e) | T::Option(e) | T::FixedList(e, _) => round_trips(e),
        T::Map(k, v) => round_trips(k) && round_trips(v),
        T::Record(fields) => fields.iter().all(|f| round_trips(&f.ty)),
        T::Tuple(types) => types.iter().all(round_trips),
        T::Variant(cases) => {
            distinct(cases.iter().map(|c| c.name.as_str()))
                && cases.iter().filter_map(|c| c.ty.as_ref()).all(round_trips)
        }
        T::Flags(names) => distinct(names.iter().map(String::as_str)),
        T::Result { ok, err } => ok.iter().chain(err.iter()).all(|t| round_trips(t)),
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------------
// The stable replay

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use super::xorshift;

    type Body = fn(&[u8]);

    fn fuzz_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
    }

    /// The files of `fuzz/<kind>/<target>/`, sorted by name (none when it does not exist).
    fn inputs(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or(".");
                p.is_file() && !name.starts_with('.') && name != "README.md"
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (p, bytes)
            })
            .collect()
    }

    /// Runs `body` on `input`; on a panic, saves the input where the message says and fails.
    fn run(target: &str, body: Body, what: &str, input: &[u8]) {
        let outcome = std::panic::catch_unwind(|| body(input));
        if let Err(panic) = outcome {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-replay");
            let _ = std::fs::create_dir_all(&dir);
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for &b in input {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            let saved = dir.join(format!("{target}-{h:016x}"));
            let _ = std::fs::write(&saved, input);
            panic!(
                "fuzz target {target} failed on {what} (input saved as {}; move it to \
                 fuzz/regressions/{target}/ once understood): {}",
                saved.display(),
                crate::core::panics::panic_message(&*panic)
            );
        }
    }

    /// One mutation of `input`, in the manner of libFuzzer's simplest mutators.
    fn mutate(input: &mut Vec<u8>, other: &[u8], rng: &mut u64) {
        let mut r = || xorshift(rng) as usize;
        match r() % 9 {
            0 if !input.is_empty() => {
                let i = r() % input.len();
                input[i] ^= 1 << (r() % 8);
            }
            1 if !input.is_empty() => {
                let i = r() % input.len();
                input[i] = r() as u8;
            }
            2 => {
                let i = r() % (input.len() + 1);
                input.insert(i, r() as u8);
            }
            3 if !input.is_empty() => {
                let i = r() % input.len();
                let n = (r() % 16).min(input.len() - i);
                input.drain(i..i + n);
            }
            4 if input.len() >= 4 => {
                let i = r() % (input.len() - 3);
                let v: u32 = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff][r() % 8];
                input[i..i + 4].copy_from_slice(&v.to_le_bytes());
            }
            5 if !input.is_empty() => {
                let i = r() % input.len();
                let n = (r() % 32).min(input.len() - i);
                let chunk = input[i..i + n].to_vec();
                let at = r() % (input.len() + 1);
                input.splice(at..at, chunk);
            }
            6 if !other.is_empty() => {
                let i = r() % other.len();
                let n = (r() % 64).min(other.len() - i);
                let at = r() % (input.len() + 1);
                input.splice(at..at, other[i..i + n].iter().copied());
            }
            7 if !input.is_empty() => {
                let at = r() % input.len();
                input.truncate(at.max(1));
            }
            _ if !input.is_empty() => input[0] = r() as u8,
            _ => input.push(r() as u8),
        }
    }

    /// Replays the reproducers and seeds of `target`, then mutations of the seeds for `budget`
    /// (at most `max` of them).
    fn replay(target: &str, body: Body, budget: Duration, max: usize) {
        let regressions = inputs("regressions", target);
        for (path, bytes) in &regressions {
            run(target, body, &path.display().to_string(), bytes);
        }
        let seeds = inputs("seeds", target);
        assert!(!seeds.is_empty(), "no seeds in fuzz/seeds/{target}");
        for (path, bytes) in &seeds {
            run(target, body, &path.display().to_string(), bytes);
        }
        // A budget given from outside (scripts/fuzz.sh without nightly) is all time-bound.
        let (budget, max) = match std::env::var("WJVM_FUZZ_REPLAY_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
        {
            Some(seconds) => (Duration::from_secs_f64(seconds), usize::MAX),
            None => (budget, max),
        };
        let start = Instant::now();
        let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ target.len() as u64;
        let mut done = 0;
        while done < max && start.elapsed() < budget {
            let pick = xorshift(&mut rng) as usize;
            let mut input = seeds[pick % seeds.len()].1.clone();
            let other = &seeds[(pick >> 16) % seeds.len()].1;
            for _ in 0..1 + xorshift(&mut rng) % 4 {
                mutate(&mut input, other, &mut rng);
            }
            run(target, body, &format!("mutation {done}"), &input);
            done += 1;
        }
        eprintln!(
            "fuzz replay {target}: {} reproducers, {} seeds, {done} mutations in {:.1?}",
            regressions.len(),
            seeds.len(),
            start.elapsed()
        );
    }

    #[test]
    fn replay_component_load() {
        replay(
            "component_load",
            super::component_load,
            Duration::from_secs(4),
            6_000,
        );
    }

    #[test]
    fn replay_value_codec() {
        replay(
            "value_codec",
            super::value_codec,
            Duration::from_secs(2),
            50_000,
        );
    }

    #[test]
    fn decoders_answer_for_hand_made_input() {
        // func(a: list<u8>) -> (), then the value [1, 2].
        let mut ty = vec![1, 0, 0, 0, 1, 0, 0, 0, b'a', 13, 2, 0, 0, 0, 0, 0];
        assert_eq!(super::decode_func_type(&ty).unwrap(), "func(a: list<u8>)");
        let values = [2, 0, 0, 0, 1, 2];
        assert_eq!(super::decode_values(&ty, &values).unwrap(), ["[1, 2]"]);
        assert!(super::decode_values(&ty, &values[..5]).is_err());
        ty.truncate(10);
        assert!(super::decode_func_type(&ty).is_err());
    }
}
