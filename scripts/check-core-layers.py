#!/usr/bin/env python3
"""Fails when the files of the Rust core (native/src/core) import each other in a cycle.

The core is meant to be a tree of layers (values and types at the bottom, then the store, then
calls, then linking): a file may use the files below it, never one that uses it back. This reads
every `use` of another core file outside test code (`super::x`, `crate::core::x`, also inside
paths such as `super::x::y`), builds the graph between files, and prints every cycle it finds.
A folder module (`wasi/`) is one node per file; its `mod.rs` is a node that depends on the files
it re-exports. `core/mod.rs` itself, the root that re-exports everything, is left out.

    python3 scripts/check-core-layers.py            # check; exit 1 on a cycle
    python3 scripts/check-core-layers.py --graph    # also print each file's imports
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "native" / "src" / "core"


def module_of(path: pathlib.Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts = parts[:-1]
    return "/".join(parts)


def strip_tests(text: str) -> str:
    """Drops `#[cfg(test)]` items (test modules and helpers) and comments."""
    text = re.sub(r"//[^\n]*", "", text)
    out, i = [], 0
    while True:
        j = text.find("#[cfg(test)]", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        # Skip the next item: up to its matching closing brace, or its semicolon.
        k = j + len("#[cfg(test)]")
        depth, started = 0, False
        while k < len(text):
            c = text[k]
            if c == "{":
                depth += 1
                started = True
            elif c == "}":
                depth -= 1
                if started and depth == 0:
                    k += 1
                    break
            elif c == ";" and not started:
                k += 1
                break
            k += 1
        i = k
    return "".join(out)


def resolve(current: str, path: str, modules: set) -> set:
    """The core modules named by a `::` path used in module `current`."""
    segs = [s for s in path.split("::") if s]
    if segs[:2] == ["crate", "core"]:
        base, rest = [], segs[2:]
    elif segs and segs[0] == "super":
        base = current.split("/")[:-1] if current else []
        rest = segs[1:]
        while rest and rest[0] == "super":
            base = base[:-1]
            rest = rest[1:]
    elif segs and segs[0] == "self":
        base, rest = current.split("/"), segs[1:]
    else:
        return set()
    found = set()
    name = list(base)
    for seg in rest:
        name.append(seg)
        key = "/".join(name)
        if key in modules:
            found = {key}
        else:
            break
    return found


def imports(path: pathlib.Path, modules: set) -> set:
    current = module_of(path)
    text = strip_tests(path.read_text())
    deps = set()
    # `use` trees: expand braces one level at a time.
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        for p in expand(m.group(1)):
            deps |= resolve(current, p, modules)
    # Paths used inline (`super::stack::with_stack(...)`).
    for m in re.finditer(r"\b((?:crate::core|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+)", text):
        deps |= resolve(current, m.group(1), modules)
    # A folder's mod.rs declares and re-exports its files.
    if path.name == "mod.rs":
        for m in re.finditer(r"\bmod\s+([a-z_0-9]+)\s*;", text):
            key = f"{current}/{m.group(1)}" if current else m.group(1)
            if key in modules:
                deps.add(key)
    deps.discard(current)
    return deps


def expand(tree: str) -> list:
    tree = re.sub(r"\s+", "", tree)
    j = tree.find("{")
    if j < 0:
        return [tree.split(" as ")[0]]
    prefix, inner = tree[:j], tree[j + 1 : tree.rfind("}")]
    parts, depth, cur = [], 0, ""
    for c in inner:
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += c == "{"
        depth -= c == "}"
        cur += c
    if cur:
        parts.append(cur)
    out = []
    for p in parts:
        out += [prefix + q if q != "self" else prefix.rstrip(":") for q in expand(p)]
    return out


def cycles(graph: dict) -> list:
    found, state, stack = [], {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                found.append(stack[stack.index(d) :] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    return found


def main() -> int:
    files = [p for p in ROOT.rglob("*.rs") if p != ROOT / "mod.rs"]
    modules = {module_of(p) for p in files}
    graph = {module_of(p): imports(p, modules) for p in files}
    if "--graph" in sys.argv:
        for n in sorted(graph):
            print(f"{n}: {', '.join(sorted(graph[n])) or '-'}")
    found = cycles(graph)
    if found:
        print(f"check-core-layers: {len(found)} import cycle(s) between files of native/src/core:")
        for c in found:
            print("  " + " -> ".join(c))
        return 1
    print(f"check-core-layers: {len(graph)} files of native/src/core, no import cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
