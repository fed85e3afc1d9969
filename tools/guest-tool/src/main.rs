//! guest-tool: builds test guests from source without installing CLIs.
//!
//! ```text
//! guest-tool wat2wasm <in.wat> <out.wasm>
//! guest-tool componentize <module.wasm> <out.wasm> [--adapter command|reactor] [--wit <dir> --world <name>]
//! guest-tool bindgen-c <wit dir> <world> <out dir>
//! ```
//!
//! `componentize` turns a core module built for WASI preview 1 into a component with the preview 1
//! adapter shipped in `wasi-preview1-component-adapter-provider` (the same one wasmtime ships), and,
//! when `--wit` is given, embeds that world's type information first (for modules that were not
//! built with wit-bindgen's object file). `bindgen-c` writes wit-bindgen's C bindings for a world.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use wasi_preview1_component_adapter_provider::{
    WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
    WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
};
use wit_component::{ComponentEncoder, StringEncoding};
use wit_parser::Resolve;

fn usage() -> ! {
    eprintln!(
        "usage: guest-tool wat2wasm <in.wat> <out.wasm>\n       \
         guest-tool componentize <module.wasm> <out.wasm> [--adapter command|reactor] [--wit <dir> --world <name>]\n       \
         guest-tool bindgen-c <wit dir> <world> <out dir>"
    );
    std::process::exit(2)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn resolve(dir: &Path, world: &str) -> Result<(Resolve, wit_parser::WorldId)> {
    let mut resolve = Resolve::default();
    let (pkg, _) = resolve
        .push_path(dir)
        .with_context(|| format!("cannot parse WIT in {}", dir.display()))?;
    let world = resolve
        .select_world(&[pkg], Some(world))
        .with_context(|| format!("no world `{world}` in {}", dir.display()))?;
    Ok((resolve, world))
}

fn componentize(args: &[String]) -> Result<()> {
    let (input, output) = match args {
        [i, o, ..] => (PathBuf::from(i), PathBuf::from(o)),
        _ => usage(),
    };
    let mut adapter = "command";
    let mut wit: Option<PathBuf> = None;
    let mut world: Option<String> = None;
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            "--adapter" => adapter = rest.next().map(String::as_str).unwrap_or_else(|| usage()),
            "--wit" => wit = Some(PathBuf::from(rest.next().unwrap_or_else(|| usage()))),
            "--world" => world = Some(rest.next().unwrap_or_else(|| usage()).clone()),
            other => bail!("unknown option {other}"),
        }
    }
    let mut module = wat::parse_bytes(&read(&input)?)?.into_owned();
    if let Some(dir) = wit {
        let world = world.context("--wit needs --world")?;
        let (resolve, world) = resolve(&dir, &world)?;
        wit_component::embed_component_metadata(
            &mut module,
            &resolve,
            world,
            StringEncoding::UTF8,
            false,
        )?;
    }
    let adapter_bytes = match adapter {
        "command" => WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        "reactor" => WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        other => bail!("unknown adapter `{other}` (command or reactor)"),
    };
    let component = ComponentEncoder::default()
        .module(&module)?
        .adapter(WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, adapter_bytes)?
        .validate(true)
        .encode()
        .with_context(|| format!("cannot make a component of {}", input.display()))?;
    write(&output, &component)
}

fn bindgen_c(args: &[String]) -> Result<()> {
    let [dir, world, out] = args else { usage() };
    let (mut resolve, world) = {
        let mut resolve = wit_bindgen_core::wit_parser::Resolve::default();
        let (pkg, _) = resolve
            .push_path(dir)
            .with_context(|| format!("cannot parse WIT in {dir}"))?;
        let world = resolve.select_world(&[pkg], Some(world))?;
        (resolve, world)
    };
    let mut files = wit_bindgen_core::Files::default();
    wit_bindgen_c::Opts::default()
        .build()
        .generate(&mut resolve, world, &mut files)?;
    for (name, contents) in files.iter() {
        write(&Path::new(out).join(name), contents)?;
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("wat2wasm") => match &args[1..] {
            [i, o] => write(Path::new(o), &wat::parse_file(i)?),
            _ => usage(),
        },
        Some("componentize") => componentize(&args[1..]),
        Some("bindgen-c") => bindgen_c(&args[1..]),
        _ => usage(),
    }
}
