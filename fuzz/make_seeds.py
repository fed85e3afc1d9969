#!/usr/bin/env python3
"""Writes the seeds of the fuzz targets (fuzz/seeds/<target>/) in the layouts that
native/src/fuzzing.rs documents:

    python3 fuzz/make_seeds.py [WAT2WASM]

component_load: every corpus component (corpus/components/*.wat) as WAT text under a few flag
combinations, and as a binary when a WAT-to-binary converter is given (any program taking
`INPUT.wat OUTPUT.wasm`, such as `wasm-tools parse -o`; see fuzz/README.md); a few compiled-image
edits. value_codec: hand-made function types with values for them, one per wire-format feature.
"""

import pathlib
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"

# component_load flags (fuzzing.rs).
TEXT, IMAGE, WASI, CHAOS, SCALAR, PRE = 1, 2, 4, 8, 16, 32


def u32(n):
    return struct.pack("<I", n)


def write(target, name, data):
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(bytes(data))


def component_load(wat2wasm):
    for wat in sorted((ROOT / "corpus" / "components").glob("*.wat")):
        text = wat.read_bytes()
        name = wat.stem
        values = bytes(range(7, 7 + 32))
        write("component_load", f"wat-{name}", bytes([TEXT, 0]) + text)
        write("component_load", f"wat-{name}-values",
              bytes([TEXT | SCALAR, len(values)]) + values + text)
        if wat2wasm:
            with tempfile.TemporaryDirectory() as tmp:
                out = pathlib.Path(tmp) / "out.wasm"
                subprocess.run([*wat2wasm, str(wat), str(out)], check=True)
                binary = out.read_bytes()
            write("component_load", f"bin-{name}", bytes([0, 0]) + binary)
            write("component_load", f"bin-{name}-chaos",
                  bytes([WASI | CHAOS | SCALAR | PRE, len(values)]) + values + binary)
    # Compiled images: unchanged (both kinds), edited, cut, raw bytes.
    # WIT text in the text mode: the target parses it as a WIT package too.
    for wit in sorted((ROOT / "wit" / "fixtures").glob("*.wit")) + [ROOT / "wit/guests/calc/calc.wit"]:
        write("component_load", f"wit-{wit.stem}", bytes([TEXT, 0]) + wit.read_bytes())
    write("component_load", "image-plain", bytes([IMAGE, 0]))
    write("component_load", "image-keyed", bytes([IMAGE | 1, 0]))
    write("component_load", "image-edit-header", bytes([IMAGE, 0]) + u32(9) + bytes([1]))
    write("component_load", "image-edit-payload", bytes([IMAGE | 1, 0]) + u32(4000) + bytes([0x40]))
    write("component_load", "image-cut", bytes([IMAGE | 0x80, 4, 1, 2, 3, 4]))
    write("component_load", "image-raw", bytes([IMAGE | 0x40, 0]) + b"WJVMCODE\x01c\x00\x00" + bytes(44))


# value_codec: type tags (jni/type_codec.rs).
BOOL, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, CHAR, STRING = range(13)
LIST, FIXED, MAP, RECORD, TUPLE, VARIANT, ENUM, OPTION, RESULT, FLAGS = range(13, 23)
OWN, BORROW, FUTURE, STREAM, ERROR_CONTEXT = range(23, 28)
NO_HOST = 0xFFFFFFFF


def s(text):
    b = text.encode()
    return u32(len(b)) + b


def names(*ns):
    return u32(len(ns)) + b"".join(s(n) for n in ns)


def t(tag, *parts):
    return bytes([tag]) + b"".join(parts)


def opt(ty=None):
    return b"\0" if ty is None else b"\1" + ty


def func(params, results=(), is_async=False):
    out = u32(len(params))
    for n, ty in params:
        out += s(n) + ty
    out += u32(len(results)) + b"".join(results)
    return out + bytes([1 if is_async else 0])


def value_codec():
    # value_codec flags (fuzzing.rs).
    RESULTS, LENDING, DEFINE = 1, 2, 16
    guests = lambda n: n << 2
    list_u8 = t(LIST, t(U8))
    seeds = {
        "list-u8": (0, func([("a", list_u8)]), u32(2) + b"\1\2"),
        "string-u32": (DEFINE, func([("s", t(STRING)), ("n", t(U32))], [t(OPTION, t(STRING))]),
                       s("hi") + u32(7)),
        "record-tuple": (0, func([
            ("r", t(RECORD, u32(2), s("x"), t(S32), s("y"), t(F64))),
            ("t", t(TUPLE, u32(2), t(BOOL), t(CHAR))),
        ]), u32(0xFFFFFFFF) + struct.pack("<d", 1.5) + b"\1" + u32(0x1F30D)),
        "variant-enum-flags": (0, func([
            ("v", t(VARIANT, u32(2), s("none"), opt(), s("some"), opt(t(U64)))),
            ("e", t(ENUM, names("a", "b", "c"))),
            ("f", t(FLAGS, names("r", "w", "x"))),
        ]), u32(1) + struct.pack("<Q", 2**64 - 1) + u32(2) + u32(5)),
        "result-option": (RESULTS, func([], [
            t(RESULT, opt(t(U32)), opt(t(STRING))),
            t(OPTION, t(OPTION, t(U8))),
        ]), b"\1" + s("bad") + b"\1\1\xff"),
        "map-fixed": (0, func([
            ("m", t(MAP, t(STRING), t(U32))),
            ("l", t(FIXED, t(U16), u32(3))),
        ]), u32(1) + s("k") + u32(9) + struct.pack("<HHH", 1, 2, 65535)),
        "own-guest": (guests(2), func([("o", t(OWN, s("thing"), u32(NO_HOST))),
                                       ("b", t(BORROW, s("thing"), u32(NO_HOST)))]),
                      b"\0" + struct.pack("<Q", (1 << 32) | 0) + b"\0" + struct.pack("<Q", (1 << 32) | 1)),
        "own-twice": (guests(1), func([("o", t(OWN, s("thing"), u32(NO_HOST))),
                                       ("p", t(OWN, s("thing"), u32(NO_HOST)))]),
                      (b"\0" + struct.pack("<Q", (1 << 32) | 0)) * 2),
        "host-resource": (DEFINE, func([("self", t(BORROW, s("bucket"), u32(5))),
                                        ("docs:kv/store@1.0.0", t(STRING)),
                                        ("bucket", t(OWN, s("bucket"), u32(5)))]),
                          b"\1" + u32(7) + s("k") + b"\1" + u32(8)),
        "lending-results": (RESULTS | LENDING | guests(1), func([], [t(OWN, s("thing"), u32(NO_HOST))]),
                            b"\0" + struct.pack("<Q", (1 << 32) | 0)),
        "scalars": (DEFINE, func([(n, t(tag)) for n, tag in [
            ("a", S8), ("b", U8), ("c", S16), ("d", U16), ("e", S32), ("f", U32),
            ("g", S64), ("h", U64), ("i", F32), ("j", F64), ("k", CHAR), ("l", BOOL)]],
            [t(U64)]),
            b"\x80\xff" + struct.pack("<hHiIqQfd", -1, 2, -3, 4, -5, 6, float("nan"), -0.0)
            + u32(0xD800) + b"\2"),
        "flags-40": (0, func([("f", t(FLAGS, names(*[f"f{i}" for i in range(40)])))]),
                     u32(0xFFFFFFFF) + u32(0xFF)),
        "deep": (0, func([("d", bytes([LIST]) * 60 + t(U8))]), (u32(1) * 60) + b"\7"),
        "async-future": (0, func([("x", t(FUTURE, opt(t(U8)))), ("y", t(STREAM, opt())),
                                  ("z", t(ERROR_CONTEXT))], [], True), b""),
        "char-string-bad": (0, func([("c", t(CHAR)), ("s", t(STRING))]), u32(0x41) + u32(2) + b"\xc3\x28"),
        "list-records": (0, func([("l", t(LIST, t(RECORD, u32(1), s("n"), t(STRING))))]),
                         u32(2) + s("a") + s("bc")),
    }
    for name, (flags, ty, values) in seeds.items():
        write("value_codec", name, bytes([flags]) + ty + values)


def main():
    wat2wasm = sys.argv[1:] or None
    component_load(wat2wasm)
    value_codec()


if __name__ == "__main__":
    main()
