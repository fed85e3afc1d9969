//! Composition: a socket component plugged with components whose exports satisfy its imports
//! (like `wac plug`), producing the bytes of a new component.

#![allow(non_camel_case_types)]

use super::component::wjvm_byte_vec_t;
use super::error::wjvm_error_t;
use super::{guard, slice, write_out};
use crate::core::compose;

/// Bytes the caller lends: `len` bytes at `ptr` (NULL when `len` is 0).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct wjvm_bytes_t {
    pub ptr: *const u8,
    pub len: usize,
}

/// Plugs `plugs_len` components (`plugs`) into the `socket` component and stores the composed
/// component's bytes in `*out` (free them with `wjvm_byte_vec_delete`). Each component is a
/// binary or WAT text. The result exports what the socket exports; imports no plug satisfies
/// become its imports. Fails with `WJVM_ERROR_COMPOSE` when a plug satisfies none of the
/// socket's imports, when an export matches an import by name but not by type (the message
/// gives both types), or when two plugs satisfy the same import.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wjvm_compose_plug(
    socket: *const u8,
    socket_len: usize,
    plugs: *const wjvm_bytes_t,
    plugs_len: usize,
    out: *mut wjvm_byte_vec_t,
) -> *mut wjvm_error_t {
    guard(|| {
        let socket = unsafe { slice(socket, socket_len, "socket") }?;
        let plugs = unsafe { slice(plugs, plugs_len, "plugs") }?;
        let plugs = plugs
            .iter()
            .enumerate()
            .map(|(i, p)| unsafe { slice(p.ptr, p.len, &format!("plugs[{i}].ptr")) })
            .collect::<crate::core::Result<Vec<&[u8]>>>()?;
        super::check_out(out, "out")?;
        let composed = compose::plug(socket, &plugs)?;
        unsafe { write_out(out, "out", wjvm_byte_vec_t::from_vec(composed)) }
    })
}
