//! Restricts the symbols the shared library exports to `Java_*` (the JNI face) and `wjvm_*`
//! (the C face) with the linker version script `exports.map` on Linux, and names the macOS
//! library by its file name.

use std::path::PathBuf;

fn main() {
    let map = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"))
        .join("exports.map");
    println!("cargo:rerun-if-changed={}", map.display());
    println!("cargo:rerun-if-changed=build.rs");
    match std::env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("linux") => println!(
            "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
            map.display()
        ),
        // The library's own name, instead of the path it was built at, as the install name that
        // a program linking it records.
        Ok("macos") => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libwasmtime_jvm.dylib")
        }
        _ => {}
    }
}
