//! `wast-convert <suite-dir> <out-dir>`: turns every `.wast` script under `<suite-dir>` into a
//! JSON directive script that the Java conformance runner executes through the public API.
//!
//! Both suites go through it: wasmtime's component-model scripts and the WebAssembly core spec
//! suite. This tool only parses. It never compiles, instantiates or runs anything: each
//! `(component ...)` and `(module ...)` is encoded to a binary by the `wast` crate (the text
//! parser wasmtime 48 itself uses) and written next to the JSON; every argument and expected
//! value (component values, core numbers, v128s, references and the GC result patterns) becomes
//! a JSON tree with an explicit kind. A directive it cannot convert becomes an `unsupported` directive carrying the
//! reason, which the runner counts as a failure unless the exclusion list names it.
//!
//! Output, for `<suite-dir>/a/b.wast`: `<out-dir>/a/b/script.json` and `<out-dir>/a/b/N.wasm`
//! (or `N.wat` for quoted text that does not encode), plus `<out-dir>/index.json` listing every
//! script. The JSON format is documented in `tests/conformance/README.md`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{json, Map, Value};
use wast::component::WastVal;
use wast::core::{
    AbstractHeapType, HeapType, NanPattern, V128Const, V128Pattern, WastArgCore, WastRetCore,
};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::Span;
use wast::token::{Index, F32, F64};
use wast::{
    QuoteWat, QuoteWatTest, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat,
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: wast-convert <suite-dir> <out-dir>");
        return ExitCode::from(2);
    }
    match run(Path::new(&args[0]), Path::new(&args[1])) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wast-convert: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(suite: &Path, out: &Path) -> Result<(), String> {
    let mut files = Vec::new();
    collect_wast(suite, &mut files).map_err(|e| format!("reading {}: {e}", suite.display()))?;
    files.sort();
    if files.is_empty() {
        return Err(format!("no .wast files under {}", suite.display()));
    }
    let mut index = Vec::new();
    let mut total = 0usize;
    for path in &files {
        let rel = path
            .strip_prefix(suite)
            .expect("collected under the suite")
            .to_string_lossy()
            .replace('\\', "/");
        let stem = rel.strip_suffix(".wast").expect("a .wast file");
        let dir = out.join(stem);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("cleaning {}: {e}", dir.display()))?;
        }
        fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let text =
            fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let script = convert_file(&rel, &text, &dir)?;
        total += script["directives"].as_array().map_or(0, Vec::len);
        let json_path = dir.join("script.json");
        write(
            &json_path,
            serde_json::to_string_pretty(&script).unwrap().as_bytes(),
        )?;
        index.push(json!({ "source": rel, "script": format!("{stem}/script.json") }));
    }
    fs::create_dir_all(out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    write(
        &out.join("index.json"),
        serde_json::to_string_pretty(&json!({ "scripts": index }))
            .unwrap()
            .as_bytes(),
    )?;
    println!(
        "wast-convert: {} scripts, {total} directives -> {}",
        files.len(),
        out.display()
    );
    Ok(())
}

fn collect_wast(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_wast(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "wast") {
            out.push(path);
        }
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// The JSON script of one `.wast` file. A file the `wast` crate cannot parse becomes one
/// `unsupported` directive, so the runner reports it instead of silently finding nothing.
fn convert_file(rel: &str, text: &str, dir: &Path) -> Result<Value, String> {
    let mut conv = Converter {
        text,
        dir,
        files: 0,
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
    };
    let features = features(text);
    let directives = match parse(text, rel.ends_with("names.wast")) {
        Ok(buf) => match parser::parse::<Wast>(&buf) {
            Ok(wast) => {
                let mut out = Vec::new();
                for d in wast.directives {
                    out.push(conv.directive(d)?);
                }
                out
            }
            Err(e) => vec![conv.parse_failure(e)],
        },
        Err(e) => vec![conv.parse_failure(e)],
    };
    Ok(json!({ "source": rel, "features": features, "directives": directives }))
}

/// wasmtime's runner lets `names.wast` (only) use the "confusing" Unicode characters the lexer
/// otherwise rejects.
fn parse(text: &str, allow_confusing_unicode: bool) -> Result<ParseBuffer<'_>, wast::Error> {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(allow_confusing_unicode);
    ParseBuffer::new_with_lexer(lexer)
}

/// The `;;! name = value` lines at the top of a script: the wasm features wasmtime's own runner
/// enables for it.
fn features(text: &str) -> Value {
    let mut map = Map::new();
    for line in text.lines().take_while(|l| l.starts_with(";;!")) {
        if let Some((k, v)) = line[3..].split_once('=') {
            let v = v.trim();
            let value = match v {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => Value::String(other.to_string()),
            };
            map.insert(k.trim().to_string(), value);
        }
    }
    Value::Object(map)
}

struct Converter<'t> {
    text: &'t str,
    dir: &'t Path,
    files: u32,
    line_starts: Vec<usize>,
}

/// Why a directive could not be converted.
type Unsupported = String;

impl Converter<'_> {
    fn line(&self, span: Span) -> usize {
        match self.line_starts.binary_search(&span.offset()) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    fn parse_failure(&self, mut e: wast::Error) -> Value {
        e.set_text(self.text);
        let line = self.line(e.span());
        json!({
            "type": "unsupported",
            "line": line,
            "reason": format!("the wast crate cannot parse the script: {}", e.message()),
        })
    }

    fn directive(&mut self, d: WastDirective<'_>) -> Result<Value, String> {
        let line = self.line(d.span());
        let result: Result<Value, Unsupported> = match d {
            WastDirective::Module(module) => {
                let name = module.name().map(|id| id.name().to_string());
                self.module(module, false)
                    .map(|m| json!({ "type": "module", "name": name, "module": m }))
            }
            WastDirective::ModuleDefinition(module) => {
                let name = module.name().map(|id| id.name().to_string());
                self.module(module, false)
                    .map(|m| json!({ "type": "module_definition", "name": name, "module": m }))
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => Ok(json!({
                "type": "module_instance",
                "instance": instance.map(|i| i.name()),
                "definition": module.map(|i| i.name()),
            })),
            WastDirective::AssertMalformed {
                module, message, ..
            } => self
                .module(module, true)
                .map(|m| json!({ "type": "assert_malformed", "module": m, "text": message })),
            WastDirective::AssertInvalid {
                module, message, ..
            } => self
                .module(module, false)
                .map(|m| json!({ "type": "assert_invalid", "module": m, "text": message })),
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self
                .module(QuoteWat::Wat(module), false)
                .map(|m| json!({ "type": "assert_unlinkable", "module": m, "text": message })),
            WastDirective::Register { name, module, .. } => Ok(json!({
                "type": "register",
                "as": name,
                "instance": module.map(|i| i.name()),
            })),
            WastDirective::Invoke(invoke) => self
                .invoke(invoke)
                .map(|a| json!({ "type": "action", "action": a })),
            WastDirective::AssertReturn { exec, results, .. } => self.execute(exec).and_then(|a| {
                let expected = results.iter().map(ret).collect::<Result<Vec<_>, _>>()?;
                Ok(json!({ "type": "assert_return", "action": a, "expected": expected }))
            }),
            WastDirective::AssertTrap { exec, message, .. } => self
                .execute(exec)
                .map(|a| json!({ "type": "assert_trap", "action": a, "text": message })),
            WastDirective::AssertExhaustion { call, message, .. } => self
                .invoke(call)
                .map(|a| json!({ "type": "assert_exhaustion", "action": a, "text": message })),
            WastDirective::AssertException { exec, .. } => self
                .execute(exec)
                .map(|a| json!({ "type": "assert_exception", "action": a })),
            WastDirective::AssertSuspension { .. } => {
                Err("assert_suspension (stack switching) is not supported".into())
            }
            WastDirective::AssertInvalidCustom { .. }
            | WastDirective::AssertMalformedCustom { .. } => {
                Err("custom-section assertions are not run by wasmtime's runner either".into())
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => Err(
                "thread/wait directives (scripts running on other threads against shared memory) \
                 cannot be expressed in the JSON script"
                    .into(),
            ),
        };
        Ok(match result {
            Ok(mut v) => {
                v.as_object_mut()
                    .unwrap()
                    .insert("line".into(), json!(line));
                v
            }
            Err(reason) => json!({ "type": "unsupported", "line": line, "reason": reason }),
        })
    }

    /// Writes the module or component to a file and describes it: `kind` (component or module),
    /// `file` (relative to the script) and `format` (binary, or text for quoted text that the
    /// `wast` crate cannot encode, or any text when `malformed`, so the runtime's own parser
    /// judges it).
    fn module(&mut self, mut module: QuoteWat<'_>, malformed: bool) -> Result<Value, Unsupported> {
        let kind = match &module {
            QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..) => "component",
            QuoteWat::Wat(Wat::Module(_)) | QuoteWat::QuoteModule(..) => "module",
        };
        let (bytes, format, note) = match &mut module {
            QuoteWat::Wat(wat) => match wat.encode() {
                Ok(bytes) => (bytes, "binary", None),
                Err(e) => {
                    // Text that parses but does not encode (an unknown name, say). Hand the
                    // source text to the runtime's own text parser, which must reject it too.
                    let src = self.source_of(wat.span()).ok_or_else(|| {
                        format!("the wast crate cannot encode this {kind}: {}", e.message())
                    })?;
                    (src.into_bytes(), "text", Some(e.message()))
                }
            },
            other => match other.to_test().map_err(|e| e.message())? {
                QuoteWatTest::Binary(bytes) => (bytes, "binary", None),
                QuoteWatTest::Text(text) => {
                    if malformed {
                        (text, "text", None)
                    } else {
                        match module.encode() {
                            Ok(bytes) => (bytes, "binary", None),
                            Err(e) => (text, "text", Some(e.message())),
                        }
                    }
                }
            },
        };
        let file = format!(
            "{}.{}",
            self.files,
            if format == "binary" { "wasm" } else { "wat" }
        );
        self.files += 1;
        fs::write(self.dir.join(&file), bytes).map_err(|e| format!("writing {file}: {e}"))?;
        let mut v = json!({ "kind": kind, "file": file, "format": format });
        if let Some(note) = note {
            v.as_object_mut()
                .unwrap()
                .insert("encode_error".into(), json!(note));
        }
        Ok(v)
    }

    /// The source text of the parenthesised form whose keyword is at `span`.
    fn source_of(&self, span: Span) -> Option<String> {
        let bytes = self.text.as_bytes();
        let mut start = span.offset();
        while start > 0 && bytes[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
        if start == 0 || bytes[start - 1] != b'(' {
            return None;
        }
        start -= 1;
        let mut depth = 0usize;
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'(' if bytes.get(i + 1) == Some(&b';') => {
                    // Block comment, which nests.
                    let mut nest = 1;
                    i += 2;
                    while i < bytes.len() && nest > 0 {
                        if bytes[i] == b'(' && bytes.get(i + 1) == Some(&b';') {
                            nest += 1;
                            i += 2;
                        } else if bytes[i] == b';' && bytes.get(i + 1) == Some(&b')') {
                            nest -= 1;
                            i += 2;
                        } else {
                            i += 1;
                        }
                    }
                    continue;
                }
                b';' if bytes.get(i + 1) == Some(&b';') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(self.text[start..=i].to_string());
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Value, Unsupported> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(invoke),
            WastExecute::Wat(wat) => self
                .module(QuoteWat::Wat(wat), false)
                .map(|m| json!({ "type": "instantiate", "module": m })),
            WastExecute::Get { module, global, .. } => Ok(json!({
                "type": "get",
                "instance": module.map(|i| i.name()),
                "field": global,
            })),
        }
    }

    fn invoke(&mut self, invoke: WastInvoke<'_>) -> Result<Value, Unsupported> {
        let args = invoke.args.iter().map(arg).collect::<Result<Vec<_>, _>>()?;
        Ok(json!({
            "type": "invoke",
            "instance": invoke.module.map(|i| i.name()),
            "field": invoke.name,
            "args": args,
        }))
    }
}

fn arg(a: &WastArg<'_>) -> Result<Value, Unsupported> {
    match a {
        WastArg::Component(v) => Ok(val(v)),
        WastArg::Core(core) => core_arg(core),
        other => Err(format!("unknown argument kind {other:?}")),
    }
}

/// A core argument. Integers are JSON numbers as the signed value they spell, floats their bits,
/// a v128 its 16 little-endian bytes; `ref.null` carries its heap type's family (see
/// [`null_family`]), `ref.extern N` / `ref.host N` the host value N.
fn core_arg(a: &WastArgCore<'_>) -> Result<Value, Unsupported> {
    Ok(match a {
        WastArgCore::I32(n) => json!({ "kind": "i32", "value": n }),
        WastArgCore::I64(n) => json!({ "kind": "i64", "value": n }),
        // `f32.const`/`f64.const` also stand for component f32/f64 values: the same JSON.
        WastArgCore::F32(f) => json!({ "kind": "f32", "bits": f.bits }),
        WastArgCore::F64(f) => json!({ "kind": "f64", "bits": f.bits }),
        WastArgCore::V128(v) => json!({ "kind": "v128", "bytes": v128_bytes(v) }),
        WastArgCore::RefNull(ty) => json!({ "kind": "ref_null", "heap": null_family(ty)? }),
        WastArgCore::RefExtern(n) => json!({ "kind": "ref_extern", "host": n }),
        WastArgCore::RefHost(n) => json!({ "kind": "ref_host", "host": n }),
    })
}

fn v128_bytes(v: &V128Const) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

/// The family of a `ref.null`'s heap type, which decides which null references it matches:
/// `func`, `extern`, `any` (also eq, i31, struct, array, none), `exn`, `cont`; a concrete type
/// index gives JSON null (any null reference matches).
fn null_family(ty: &HeapType<'_>) -> Result<Value, Unsupported> {
    use AbstractHeapType::*;
    Ok(match ty {
        HeapType::Abstract { shared: true, .. } => {
            return Err(
                "shared abstract heap types (shared-everything threads) are not supported".into(),
            )
        }
        HeapType::Abstract { ty, .. } => json!(match ty {
            Func | NoFunc => "func",
            Extern | NoExtern => "extern",
            Any | None | Eq | Struct | Array | I31 => "any",
            Exn | NoExn => "exn",
            Cont | NoCont => "cont",
        }),
        HeapType::Concrete(_) | HeapType::Exact(_) => Value::Null,
    })
}

fn nan_pattern_f32(p: &NanPattern<F32>) -> Value {
    match p {
        NanPattern::CanonicalNan => json!({ "kind": "f32", "nan": "canonical" }),
        NanPattern::ArithmeticNan => json!({ "kind": "f32", "nan": "arithmetic" }),
        NanPattern::Value(f) => json!({ "kind": "f32", "bits": f.bits }),
    }
}

fn nan_pattern_f64(p: &NanPattern<F64>) -> Value {
    match p {
        NanPattern::CanonicalNan => json!({ "kind": "f64", "nan": "canonical" }),
        NanPattern::ArithmeticNan => json!({ "kind": "f64", "nan": "arithmetic" }),
        NanPattern::Value(f) => json!({ "kind": "f64", "bits": f.bits }),
    }
}

fn ret(r: &WastRet<'_>) -> Result<Value, Unsupported> {
    match r {
        WastRet::Component(v) => Ok(val(v)),
        WastRet::Core(core) => core_ret(core),
        other => Err(format!("unknown result kind {other:?}")),
    }
}

/// An expected core result. Besides the values of [`core_arg`]: NaN patterns; a v128 as its
/// `shape` and `lanes` (integers as numbers, floats as f32/f64 values or NaN patterns); the
/// reference patterns `ref_func` (with `index` when one is written), `ref_extern` (with or
/// without `host`), `ref_host`, `ref_any`, `ref_eq`, `ref_i31`, `ref_struct`, `ref_array`; and
/// `either` with `values`, any of which may match.
fn core_ret(r: &WastRetCore<'_>) -> Result<Value, Unsupported> {
    Ok(match r {
        WastRetCore::I32(n) => json!({ "kind": "i32", "value": n }),
        WastRetCore::I64(n) => json!({ "kind": "i64", "value": n }),
        WastRetCore::F32(p) => nan_pattern_f32(p),
        WastRetCore::F64(p) => nan_pattern_f64(p),
        WastRetCore::V128(p) => {
            let (shape, lanes): (&str, Vec<Value>) = match p {
                V128Pattern::I8x16(l) => ("i8x16", l.iter().map(|n| json!(n)).collect()),
                V128Pattern::I16x8(l) => ("i16x8", l.iter().map(|n| json!(n)).collect()),
                V128Pattern::I32x4(l) => ("i32x4", l.iter().map(|n| json!(n)).collect()),
                V128Pattern::I64x2(l) => ("i64x2", l.iter().map(|n| json!(n)).collect()),
                V128Pattern::F32x4(l) => ("f32x4", l.iter().map(nan_pattern_f32).collect()),
                V128Pattern::F64x2(l) => ("f64x2", l.iter().map(nan_pattern_f64).collect()),
            };
            json!({ "kind": "v128", "shape": shape, "lanes": lanes })
        }
        WastRetCore::RefNull(ty) => json!({
            "kind": "ref_null",
            "heap": match ty { Some(t) => null_family(t)?, None => Value::Null },
        }),
        WastRetCore::RefExtern(n) => json!({ "kind": "ref_extern", "host": n }),
        WastRetCore::RefHost(n) => json!({ "kind": "ref_host", "host": n }),
        WastRetCore::RefFunc(index) => json!({
            "kind": "ref_func",
            "index": index.as_ref().map(|i| match i {
                Index::Num(n, _) => json!(n),
                Index::Id(id) => json!(id.name()),
            }),
        }),
        WastRetCore::RefAny => json!({ "kind": "ref_any" }),
        WastRetCore::RefEq => json!({ "kind": "ref_eq" }),
        WastRetCore::RefArray => json!({ "kind": "ref_array" }),
        WastRetCore::RefStruct => json!({ "kind": "ref_struct" }),
        WastRetCore::RefI31 => json!({ "kind": "ref_i31" }),
        WastRetCore::RefI31Shared => {
            return Err("`ref.i31_shared` (shared-everything threads) is not supported".into())
        }
        WastRetCore::Either(alts) => json!({
            "kind": "either",
            "values": alts.iter().map(core_ret).collect::<Result<Vec<_>, _>>()?,
        }),
    })
}

fn payload(v: &Option<Box<WastVal<'_>>>) -> Value {
    v.as_deref().map_or(Value::Null, val)
}

/// A component value as JSON with an explicit kind. Integers are JSON numbers (u64 and s64
/// included: the runner reads them exactly), floats are their bit patterns, chars code points.
fn val(v: &WastVal<'_>) -> Value {
    match v {
        WastVal::Bool(b) => json!({ "kind": "bool", "value": b }),
        WastVal::U8(n) => json!({ "kind": "u8", "value": n }),
        WastVal::S8(n) => json!({ "kind": "s8", "value": n }),
        WastVal::U16(n) => json!({ "kind": "u16", "value": n }),
        WastVal::S16(n) => json!({ "kind": "s16", "value": n }),
        WastVal::U32(n) => json!({ "kind": "u32", "value": n }),
        WastVal::S32(n) => json!({ "kind": "s32", "value": n }),
        WastVal::U64(n) => json!({ "kind": "u64", "value": n }),
        WastVal::S64(n) => json!({ "kind": "s64", "value": n }),
        WastVal::F32(f) => json!({ "kind": "f32", "bits": f.bits }),
        WastVal::F64(f) => json!({ "kind": "f64", "bits": f.bits }),
        WastVal::Char(c) => json!({ "kind": "char", "value": *c as u32 }),
        WastVal::String(s) => json!({ "kind": "string", "value": s }),
        WastVal::List(vs) => {
            json!({ "kind": "list", "values": vs.iter().map(val).collect::<Vec<_>>() })
        }
        WastVal::Map(entries) => json!({
            "kind": "map",
            "entries": entries.iter().map(|(k, v)| json!([val(k), val(v)])).collect::<Vec<_>>(),
        }),
        WastVal::Record(fields) => json!({
            "kind": "record",
            "fields": fields
                .iter()
                .map(|(name, v)| json!({ "name": name, "value": val(v) }))
                .collect::<Vec<_>>(),
        }),
        WastVal::Tuple(vs) => {
            json!({ "kind": "tuple", "values": vs.iter().map(val).collect::<Vec<_>>() })
        }
        WastVal::Variant(case, p) => {
            json!({ "kind": "variant", "case": case, "payload": payload(p) })
        }
        WastVal::Enum(case) => json!({ "kind": "enum", "case": case }),
        WastVal::Option(p) => json!({ "kind": "option", "value": payload(p) }),
        WastVal::Result(Ok(p)) => json!({ "kind": "result", "ok": true, "value": payload(p) }),
        WastVal::Result(Err(p)) => json!({ "kind": "result", "ok": false, "value": payload(p) }),
        WastVal::Flags(names) => json!({ "kind": "flags", "names": names }),
    }
}
