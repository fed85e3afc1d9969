//! The types of core WebAssembly as they cross the faces: a value kind per value type, and a
//! description of each import and export (function, memory, global, table, tag).

use wasmtime::{ExternType, HeapType, Mutability, RefType, ValType};

use crate::core::error::{Error, Result};

/// The kind of a core value. Reference kinds stand for their whole family (a typed function
/// reference is a `FuncRef`, `i31ref` or `structref` an `AnyRef`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ValKind {
    I32 = 0,
    I64 = 1,
    F32 = 2,
    F64 = 3,
    V128 = 4,
    FuncRef = 5,
    ExternRef = 6,
    AnyRef = 7,
    ExnRef = 8,
    ContRef = 9,
}

impl ValKind {
    /// The kind with this number (the order above).
    pub fn from_number(n: u8) -> Result<ValKind> {
        use ValKind::*;
        Ok(match n {
            0 => I32,
            1 => I64,
            2 => F32,
            3 => F64,
            4 => V128,
            5 => FuncRef,
            6 => ExternRef,
            7 => AnyRef,
            8 => ExnRef,
            9 => ContRef,
            _ => {
                return Err(Error::InvalidArgument(format!(
                    "no core value type numbered {n}"
                )))
            }
        })
    }

    /// Whether values of this kind are plain numbers (they take the raw fast path).
    pub fn is_number(self) -> bool {
        matches!(
            self,
            ValKind::I32 | ValKind::I64 | ValKind::F32 | ValKind::F64
        )
    }

    /// The nullable abstract type of this kind, for types the host builds (host functions,
    /// globals, tables).
    pub fn val_type(self) -> ValType {
        match self {
            ValKind::I32 => ValType::I32,
            ValKind::I64 => ValType::I64,
            ValKind::F32 => ValType::F32,
            ValKind::F64 => ValType::F64,
            ValKind::V128 => ValType::V128,
            ValKind::FuncRef => ValType::FUNCREF,
            ValKind::ExternRef => ValType::EXTERNREF,
            ValKind::AnyRef => ValType::ANYREF,
            ValKind::ExnRef => ValType::EXNREF,
            ValKind::ContRef => ValType::Ref(RefType::new(true, HeapType::Cont)),
        }
    }

    /// The reference type of this kind; fails for numbers.
    pub fn ref_type(self) -> Result<RefType> {
        match self.val_type() {
            ValType::Ref(r) => Ok(r),
            other => Err(Error::InvalidArgument(format!(
                "a table holds references, not {other}"
            ))),
        }
    }
}

/// The kind of a value type.
pub fn val_kind(ty: &ValType) -> ValKind {
    match ty {
        ValType::I32 => ValKind::I32,
        ValType::I64 => ValKind::I64,
        ValType::F32 => ValKind::F32,
        ValType::F64 => ValKind::F64,
        ValType::V128 => ValKind::V128,
        ValType::Ref(r) => ref_kind(r),
    }
}

/// The kind of a reference type.
pub fn ref_kind(r: &RefType) -> ValKind {
    match r.heap_type().top() {
        HeapType::Func => ValKind::FuncRef,
        HeapType::Extern => ValKind::ExternRef,
        HeapType::Exn => ValKind::ExnRef,
        HeapType::Cont => ValKind::ContRef,
        _ => ValKind::AnyRef,
    }
}

/// A function type: its parameter and result kinds, and wasmtime's text of the exact type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncSig {
    pub params: Vec<ValKind>,
    pub results: Vec<ValKind>,
}

impl FuncSig {
    pub fn of(ty: &wasmtime::FuncType) -> FuncSig {
        FuncSig {
            params: ty.params().map(|t| val_kind(&t)).collect(),
            results: ty.results().map(|t| val_kind(&t)).collect(),
        }
    }

    /// wasmtime's function type for a host function of this signature.
    pub fn to_wasmtime(&self, engine: &wasmtime::Engine) -> wasmtime::FuncType {
        wasmtime::FuncType::new(
            engine,
            self.params.iter().map(|k| k.val_type()),
            self.results.iter().map(|k| k.val_type()),
        )
    }
}

/// The type of an import or export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternDesc {
    Func(FuncSig),
    Memory {
        minimum: u64,
        maximum: Option<u64>,
        is_64: bool,
        shared: bool,
        page_size_log2: u8,
    },
    Global {
        content: ValKind,
        mutable: bool,
    },
    Table {
        element: ValKind,
        minimum: u64,
        maximum: Option<u64>,
        is_64: bool,
    },
    Tag(FuncSig),
}

impl ExternDesc {
    pub fn of(ty: &ExternType) -> ExternDesc {
        match ty {
            ExternType::Func(f) => ExternDesc::Func(FuncSig::of(f)),
            ExternType::Memory(m) => ExternDesc::Memory {
                minimum: m.minimum(),
                maximum: m.maximum(),
                is_64: m.is_64(),
                shared: m.is_shared(),
                page_size_log2: m.page_size_log2(),
            },
            ExternType::Global(g) => ExternDesc::Global {
                content: val_kind(g.content()),
                mutable: g.mutability() == Mutability::Var,
            },
            ExternType::Table(t) => ExternDesc::Table {
                element: ref_kind(t.element()),
                minimum: t.minimum(),
                maximum: t.maximum(),
                is_64: t.is_64(),
            },
            ExternType::Tag(t) => ExternDesc::Tag(FuncSig::of(t.ty())),
        }
    }
}
