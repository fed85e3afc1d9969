//! Composition tests with small WAT components: a calculator socket importing an adder
//! interface, adders exporting it (right and wrong types), and a root-level adder.

use super::*;
use crate::core::{Component, Engine, EngineConfig, Error, Linker, Store, StoreOptions};

/// Exports `docs:calc/adder@0.1.0` with `add: func(a: u32, b: u32) -> u32`.
const ADDER: &str = r#"(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m))
  (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (instance $adder (export "add" (func $add)))
  (export "docs:calc/adder@0.1.0" (instance $adder)))"#;

/// Exports `add: func(a: u32, b: u32) -> u32` at the root (its instance is an adder).
const ROOT_ADDER: &str = r#"(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32)
      (i32.add (i32.const 100) (i32.add (local.get 0) (local.get 1)))))
  (core instance $i (instantiate $m))
  (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (export "add" (func $add)))"#;

/// Exports `docs:calc/adder@0.1.0` with the wrong type: `add: func(a: s64) -> s64`.
const WRONG_ADDER: &str = r#"(component
  (core module $m (func (export "add") (param i64) (result i64) (local.get 0)))
  (core instance $i (instantiate $m))
  (func $add (param "a" s64) (result s64) (canon lift (core func $i "add")))
  (instance $adder (export "add" (func $add)))
  (export "docs:calc/adder@0.1.0" (instance $adder)))"#;

/// Exports only `docs:other/thing` (`ping: func()`), which no socket here imports.
const UNRELATED: &str = r#"(component
  (core module $m (func (export "ping")))
  (core instance $i (instantiate $m))
  (func $ping (canon lift (core func $i "ping")))
  (instance $thing (export "ping" (func $ping)))
  (export "docs:other/thing" (instance $thing)))"#;

/// Imports the adder; exports `docs:calc/calc@0.1.0` with `add-ten: func(x: u32) -> u32`.
const CALC: &str = r#"(component
  (import "docs:calc/adder@0.1.0" (instance $adder
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
  (alias export $adder "add" (func $add))
  (core func $add_lowered (canon lower (func $add)))
  (core module $m
    (import "host" "add" (func $add (param i32 i32) (result i32)))
    (func (export "add-ten") (param i32) (result i32) (call $add (local.get 0) (i32.const 10))))
  (core instance $i (instantiate $m (with "host" (instance (export "add" (func $add_lowered))))))
  (func $add_ten (param "x" u32) (result u32) (canon lift (core func $i "add-ten")))
  (instance $calc (export "add-ten" (func $add_ten)))
  (export "docs:calc/calc@0.1.0" (instance $calc)))"#;

/// Imports the adder and exports it again unchanged.
const RELAY: &str = r#"(component
  (import "docs:calc/adder@0.1.0" (instance $in
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
  (alias export $in "add" (func $add))
  (instance $out (export "add" (func $add)))
  (export "docs:calc/adder@0.1.0" (instance $out)))"#;

const ADDER_IFACE: &str = "docs:calc/adder@0.1.0";
const CALC_IFACE: &str = "docs:calc/calc@0.1.0";

fn compose_message(result: crate::core::Result<Vec<u8>>) -> String {
    match result {
        Err(Error::Compose(message)) => message,
        Err(other) => panic!("expected a compose error, got {other:?}"),
        Ok(_) => panic!("expected a compose error, got a component"),
    }
}

/// Loads `bytes` with wasmtime, instantiates it with no imports and calls
/// `docs:calc/calc@0.1.0#add-ten` with `x`.
fn add_ten(bytes: &[u8], x: u32) -> u32 {
    use wasmtime::component::Val;
    let engine = Engine::new(EngineConfig::default()).unwrap();
    let component = Component::new(&engine, bytes).unwrap();
    let store = Store::new(&engine, &StoreOptions::default()).unwrap();
    let linker = Linker::new(&engine);
    let id = linker.instantiate(&store, &component).unwrap();
    store
        .enter(|s| {
            let func = s.instance_func(id, &[CALC_IFACE, "add-ten"])?;
            let mut out = [Val::Bool(false)];
            s.call(func, &[Val::U32(x)], &mut out)?;
            match out[0] {
                Val::U32(v) => Ok(v),
                ref other => panic!("unexpected result {other:?}"),
            }
        })
        .unwrap()
}

fn package(name: &str, wat: &str) -> PlanPackage {
    PlanPackage {
        name: name.to_string(),
        bytes: wat.as_bytes().to_vec(),
    }
}

fn instance(package: usize) -> PlanInstance {
    PlanInstance {
        package,
        name: None,
    }
}

/// adder -> calc, exporting calc's interface.
fn calc_plan() -> Plan {
    Plan {
        packages: vec![package("docs:adder", ADDER), package("docs:calc", CALC)],
        instances: vec![instance(0), instance(1)],
        wires: vec![Wire {
            from: 0,
            export: Some(ADDER_IFACE.to_string()),
            to: 1,
            import: ADDER_IFACE.to_string(),
        }],
        exports: vec![PlanExport {
            from: 1,
            export: Some(CALC_IFACE.to_string()),
            name: CALC_IFACE.to_string(),
        }],
    }
}

#[test]
fn plug_satisfies_the_socket_and_runs() {
    let bytes = plug(CALC.as_bytes(), &[ADDER.as_bytes()]).unwrap();
    assert!(bytes.starts_with(b"\0asm"));
    assert_eq!(add_ten(&bytes, 5), 15);
}

#[test]
fn plug_accepts_binaries() {
    let socket = wat::parse_str(CALC).unwrap();
    let adder = wat::parse_str(ADDER).unwrap();
    let bytes = plug(&socket, &[adder]).unwrap();
    assert_eq!(add_ten(&bytes, 1), 11);
}

#[test]
fn plug_with_a_wrong_type_names_both_types() {
    let message = compose_message(plug(CALC.as_bytes(), &[WRONG_ADDER.as_bytes()]));
    assert!(
        message.contains("plug 1 exports `docs:calc/adder@0.1.0`"),
        "{message}"
    );
    assert!(
        message.contains("instance { add: func(a: s64) -> s64 }"),
        "{message}"
    );
    assert!(
        message.contains("instance { add: func(a: u32, b: u32) -> u32 }"),
        "{message}"
    );
}

#[test]
fn a_plug_that_satisfies_nothing_is_named() {
    let message = compose_message(plug(
        CALC.as_bytes(),
        &[ADDER.as_bytes(), UNRELATED.as_bytes()],
    ));
    assert!(
        message.contains("plug 2 satisfies none of the socket's imports"),
        "{message}"
    );
    assert!(
        message.contains("`docs:other/thing`: instance { ping: func() }"),
        "{message}"
    );
    assert!(
        message.contains("the socket imports `docs:calc/adder@0.1.0`"),
        "{message}"
    );
}

#[test]
fn two_plugs_for_one_import_are_refused() {
    let message = compose_message(plug(CALC.as_bytes(), &[ADDER, ADDER]));
    assert!(
        message.contains("satisfied by plug 1 and by plug 2"),
        "{message}"
    );
}

#[test]
fn plug_needs_plugs_and_components() {
    let none: [&[u8]; 0] = [];
    assert!(compose_message(plug(CALC.as_bytes(), &none)).contains("no plugs given"));
    let message = compose_message(plug(b"(module)", &[ADDER]));
    assert!(message.contains("the socket is a core module"), "{message}");
    let message = compose_message(plug(CALC.as_bytes(), &["(component (oops))"]));
    assert!(
        message.contains("plug 1 is neither a component binary nor valid WAT"),
        "{message}"
    );
}

#[test]
fn graph_wires_an_export_to_an_import() {
    let bytes = compose(&calc_plan()).unwrap();
    assert_eq!(add_ten(&bytes, 32), 42);
}

#[test]
fn graph_wires_a_whole_instance() {
    let mut plan = calc_plan();
    plan.packages[0] = package("docs:root-adder", ROOT_ADDER);
    plan.wires[0].export = None;
    let bytes = compose(&plan).unwrap();
    assert_eq!(add_ten(&bytes, 1), 111);
}

#[test]
fn graph_leaves_unwired_imports_to_the_composition() {
    let mut plan = calc_plan();
    plan.wires.clear();
    plan.instances.remove(0);
    plan.packages.remove(0);
    plan.instances[0].package = 0;
    plan.exports[0].from = 0;
    let bytes = compose(&plan).unwrap();
    let engine = Engine::new(EngineConfig::default()).unwrap();
    let component = Component::new(&engine, &bytes).unwrap();
    let store = Store::new(&engine, &StoreOptions::default()).unwrap();
    let Err(err) = Linker::new(&engine).instantiate(&store, &component) else {
        panic!("the adder import is open, so instantiation must fail");
    };
    assert!(err.to_string().contains(ADDER_IFACE), "{err}");
}

#[test]
fn graph_mismatch_names_the_import_and_both_types() {
    let mut plan = calc_plan();
    plan.packages[0] = package("docs:wrong", WRONG_ADDER);
    plan.instances[1].name = Some("calc".to_string());
    let message = compose_message(compose(&plan));
    assert!(
        message.starts_with(
            "instance `calc` (of `docs:calc`) imports `docs:calc/adder@0.1.0` as \
             instance { add: func(a: u32, b: u32) -> u32 }, but the export \
             `docs:calc/adder@0.1.0` of instance #1 (of `docs:wrong`) is \
             instance { add: func(a: s64) -> s64 }"
        ),
        "{message}"
    );
}

#[test]
fn graph_unknown_import_and_export_list_the_names() {
    let mut plan = calc_plan();
    plan.wires[0].import = "docs:calc/subtractor".to_string();
    let message = compose_message(compose(&plan));
    assert!(
        message.contains("instance #2 (of `docs:calc`) has no import named `docs:calc/subtractor`"),
        "{message}"
    );
    assert!(
        message.contains("its imports are: `docs:calc/adder@0.1.0`: instance {"),
        "{message}"
    );

    let mut plan = calc_plan();
    plan.exports[0].export = Some("nope".to_string());
    let message = compose_message(compose(&plan));
    assert!(
        message.contains("instance #2 (of `docs:calc`) has no export named `nope`"),
        "{message}"
    );
    assert!(
        message.contains("its exports are: `docs:calc/calc@0.1.0`: instance { add-ten"),
        "{message}"
    );
}

#[test]
fn graph_wired_twice_exported_twice_and_cycles() {
    let mut plan = calc_plan();
    plan.wires.push(plan.wires[0].clone());
    plan.packages.push(package("docs:adder2", ADDER));
    plan.instances.push(instance(2));
    plan.wires[1].from = 2;
    let message = compose_message(compose(&plan));
    assert!(message.contains("is wired twice"), "{message}");

    let mut plan = calc_plan();
    plan.exports.push(plan.exports[0].clone());
    let message = compose_message(compose(&plan));
    assert!(
        message.contains("exports `docs:calc/calc@0.1.0` twice"),
        "{message}"
    );

    // calc's own instance as its adder: its exports do not match, so this is a type error.
    let mut plan = calc_plan();
    plan.wires[0].from = 1;
    plan.wires[0].export = None;
    assert!(compose_message(compose(&plan)).contains("imports `docs:calc/adder@0.1.0`"));
}

#[test]
fn graph_duplicate_package_and_bad_indices() {
    let mut plan = calc_plan();
    plan.packages[1].name = "docs:adder".to_string();
    let message = compose_message(compose(&plan));
    assert!(message.contains("already added"), "{message}");

    let mut plan = calc_plan();
    plan.wires[0].to = 7;
    assert!(matches!(compose(&plan), Err(Error::InvalidArgument(_))));
}

fn wire(from: usize, to: usize) -> Wire {
    Wire {
        from,
        export: Some(ADDER_IFACE.to_string()),
        to,
        import: ADDER_IFACE.to_string(),
    }
}

#[test]
fn graph_chains_three_instances() {
    let mut plan = calc_plan();
    plan.packages.push(package("docs:relay", RELAY));
    plan.instances.push(instance(2));
    plan.wires = vec![wire(0, 2), wire(2, 1)];
    let bytes = compose(&plan).unwrap();
    assert_eq!(add_ten(&bytes, 2), 12);
}

#[test]
fn graph_cycle_is_named() {
    let plan = Plan {
        packages: vec![package("docs:relay", RELAY)],
        instances: vec![
            PlanInstance {
                package: 0,
                name: Some("left".to_string()),
            },
            PlanInstance {
                package: 0,
                name: Some("right".to_string()),
            },
        ],
        wires: vec![wire(0, 1), wire(1, 0)],
        exports: vec![],
    };
    let message = compose_message(compose(&plan));
    assert!(
        message.starts_with("the wiring has a cycle through instance `"),
        "{message}"
    );
}
