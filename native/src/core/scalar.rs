//! Scalars in 64-bit slots: the representation both fast paths (calls into the guest through
//! [`super::func`], host functions through [`super::host`]) pass numbers, bools and chars in.
//!
//! Integers travel sign- or zero-extended as their type says, `f32`/`f64` as their raw bits,
//! `char` as its code point, `bool` as 0 or 1. Converting a slot back checks the range, so an
//! unsigned value never wraps.

use wasmtime::component::Val;

use super::types::ValType;

/// The kind of one scalar slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32,
    F64,
    Char,
}

impl std::fmt::Display for ScalarKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ScalarKind::Bool => "bool",
            ScalarKind::S8 => "s8",
            ScalarKind::U8 => "u8",
            ScalarKind::S16 => "s16",
            ScalarKind::U16 => "u16",
            ScalarKind::S32 => "s32",
            ScalarKind::U32 => "u32",
            ScalarKind::S64 => "s64",
            ScalarKind::U64 => "u64",
            ScalarKind::F32 => "f32",
            ScalarKind::F64 => "f64",
            ScalarKind::Char => "char",
        })
    }
}

impl ScalarKind {
    /// The kind of a type, if it is a scalar.
    pub fn of(ty: &ValType) -> Option<ScalarKind> {
        Some(match ty {
            ValType::Bool => ScalarKind::Bool,
            ValType::S8 => ScalarKind::S8,
            ValType::U8 => ScalarKind::U8,
            ValType::S16 => ScalarKind::S16,
            ValType::U16 => ScalarKind::U16,
            ValType::S32 => ScalarKind::S32,
            ValType::U32 => ScalarKind::U32,
            ValType::S64 => ScalarKind::S64,
            ValType::U64 => ScalarKind::U64,
            ValType::F32 => ScalarKind::F32,
            ValType::F64 => ScalarKind::F64,
            ValType::Char => ScalarKind::Char,
            _ => return None,
        })
    }

    /// The value a slot holds, checked against the range of the kind.
    pub fn to_val(self, slot: u64) -> std::result::Result<Val, String> {
        fn range<T: TryFrom<i64>>(slot: u64, name: &str) -> std::result::Result<T, String> {
            T::try_from(slot as i64)
                .map_err(|_| format!("{} is out of range for {name}", slot as i64))
        }
        fn urange<T: TryFrom<u64>>(slot: u64, name: &str) -> std::result::Result<T, String> {
            T::try_from(slot).map_err(|_| format!("{} is out of range for {name}", slot as i64))
        }
        Ok(match self {
            ScalarKind::Bool => match slot {
                0 => Val::Bool(false),
                1 => Val::Bool(true),
                _ => return Err(format!("{} is not a bool (0 or 1)", slot as i64)),
            },
            ScalarKind::S8 => Val::S8(range(slot, "s8")?),
            ScalarKind::U8 => Val::U8(urange(slot, "u8")?),
            ScalarKind::S16 => Val::S16(range(slot, "s16")?),
            ScalarKind::U16 => Val::U16(urange(slot, "u16")?),
            ScalarKind::S32 => Val::S32(range(slot, "s32")?),
            ScalarKind::U32 => Val::U32(urange(slot, "u32")?),
            ScalarKind::S64 => Val::S64(slot as i64),
            ScalarKind::U64 => Val::U64(slot),
            ScalarKind::F32 => Val::Float32(f32::from_bits(urange::<u32>(slot, "f32 bits")?)),
            ScalarKind::F64 => Val::Float64(f64::from_bits(slot)),
            ScalarKind::Char => {
                let code: u32 = urange(slot, "char")?;
                Val::Char(char::from_u32(code).ok_or_else(|| {
                    format!("{code:#x} is not a Unicode scalar value, so not a char")
                })?)
            }
        })
    }

    /// The slot of a value of this kind.
    pub fn from_val(val: &Val) -> Option<u64> {
        Some(match *val {
            Val::Bool(b) => b as u64,
            Val::S8(v) => v as i64 as u64,
            Val::U8(v) => v as u64,
            Val::S16(v) => v as i64 as u64,
            Val::U16(v) => v as u64,
            Val::S32(v) => v as i64 as u64,
            Val::U32(v) => v as u64,
            Val::S64(v) => v as u64,
            Val::U64(v) => v,
            Val::Float32(v) => v.to_bits() as u64,
            Val::Float64(v) => v.to_bits(),
            Val::Char(c) => c as u64,
            _ => return None,
        })
    }
}

/// A value that fits a 64-bit slot, for the typed specialisations.
pub(crate) trait Slot: Sized {
    const KIND: ScalarKind;
    fn from_slot(slot: u64) -> std::result::Result<Self, String>;
    fn to_slot(self) -> u64;
}

macro_rules! int_slot {
    ($t:ty, $kind:ident, $signed:expr) => {
        impl Slot for $t {
            const KIND: ScalarKind = ScalarKind::$kind;
            #[inline]
            fn from_slot(slot: u64) -> std::result::Result<Self, String> {
                let ok = if $signed {
                    <$t>::try_from(slot as i64).ok()
                } else {
                    <$t>::try_from(slot).ok()
                };
                ok.ok_or_else(|| {
                    format!("{} is out of range for {}", slot as i64, ScalarKind::$kind)
                })
            }
            #[inline]
            fn to_slot(self) -> u64 {
                if $signed {
                    self as i64 as u64
                } else {
                    self as u64
                }
            }
        }
    };
}
int_slot!(u32, U32, false);
int_slot!(i32, S32, true);

impl Slot for u64 {
    const KIND: ScalarKind = ScalarKind::U64;
    #[inline]
    fn from_slot(slot: u64) -> std::result::Result<Self, String> {
        Ok(slot)
    }
    #[inline]
    fn to_slot(self) -> u64 {
        self
    }
}

impl Slot for i64 {
    const KIND: ScalarKind = ScalarKind::S64;
    #[inline]
    fn from_slot(slot: u64) -> std::result::Result<Self, String> {
        Ok(slot as i64)
    }
    #[inline]
    fn to_slot(self) -> u64 {
        self as u64
    }
}

impl Slot for f32 {
    const KIND: ScalarKind = ScalarKind::F32;
    #[inline]
    fn from_slot(slot: u64) -> std::result::Result<Self, String> {
        u32::try_from(slot)
            .map(f32::from_bits)
            .map_err(|_| format!("{slot:#x} is not the bits of an f32"))
    }
    #[inline]
    fn to_slot(self) -> u64 {
        self.to_bits() as u64
    }
}

impl Slot for f64 {
    const KIND: ScalarKind = ScalarKind::F64;
    #[inline]
    fn from_slot(slot: u64) -> std::result::Result<Self, String> {
        Ok(f64::from_bits(slot))
    }
    #[inline]
    fn to_slot(self) -> u64 {
        self.to_bits()
    }
}
