#!/usr/bin/env python3
"""Pairs JMH results with the native bench and prints the Java/native ratios as Markdown.

    ratios.py jmh.json native-before.json [native-after.json]

The native bench runs before and after JMH (benchmarks/run.sh): a ratio divides by the mean of
the runs, and the native column shows both, so drift of the machine during the run is visible.
The targets are those of issue 9 (the one-call-path issue).
"""
import json
import sys

jmh = {}
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)[1]
    params = r.get("params") or {}
    if "size" in params:
        name += "/" + params["size"]
    # Everything in ns/op (the compute kernels report ms/op).
    scale = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}[r["primaryMetric"]["scoreUnit"]]
    jmh[name] = (r["primaryMetric"]["score"] * scale, r["primaryMetric"]["scoreError"] * scale)
runs = [{r["benchmark"]: r["nsPerOp"] for r in json.load(open(p))} for p in sys.argv[2:]]

# (JMH benchmark, native benchmark, how the target is stated, target)
PAIRS = [
    ("addDynamic", "add.dynamic", "time ratio <=", 1.3),
    ("addPlain", "add.dynamic", "time ratio <=", None),
    ("addFast", "add.typed", "time ratio <=", 1.15),
    ("echoString/16", "echoString.dynamic/16", "time ratio <=", None),
    ("echoString/1024", "echoString.dynamic/1024", "time ratio <=", 1.6),
    ("echoString/1048576", "echoString.dynamic/1048576", "throughput ratio >=", 0.6),
    ("echoString/1048576", "echoString.typed/1048576", "throughput ratio >=", None),
    ("echoBytes/1024", "echoBytes.typed/1024", "time ratio <=", None),
    ("echoBytes/1048576", "echoBytes.dynamic/1048576", "throughput ratio >=", None),
    ("echoBytes/1048576", "echoBytes.typed/1048576", "throughput ratio >=", None),
    ("recordRoundTrip", "recordRoundTrip.dynamic", "time ratio <=", 1.3),
    ("instancePre", "instancePre.instantiate", "time ratio <=", 1.3),
    ("noop", "hostCall.noop", "time ratio <=", 3.0),
    ("twoU32", "hostCall.twoU32", "time ratio <=", 3.0),
    ("string1KiB", "hostCall.string1KiB", "time ratio <=", 2.5),
    ("commandStartToExit", "wasiCommand.startToExit", "time ratio <=", 1.2),
    ("stdout16MiB", "wasiStdout.16MiB", "throughput", None),
    # Core WebAssembly (issue 11).
    ("coreAddRaw", "core.add.typed", "time ratio <=", 1.2),
    ("coreAddDynamic", "core.add.dynamic", "time ratio <=", 1.5),
    ("fibWasmtime", "core.fib.10M", "time ratio <=", None),
    ("memoryRead1MiB", "core.memoryRead.1MiB", "throughput ratio >=", 0.8),
    ("memoryWrite1MiB", "core.memoryWrite.1MiB", "throughput ratio >=", 0.8),
]

# Pairs within the JMH run: (benchmark, against, how stated, target): wasmtime-jvm's compute
# kernel against the pure-Java compilers (issue 11: >= 5x faster).
JAVA_PAIRS = [
    ("fibChicory", "fibWasmtime", "speedup >=", 5.0),
    ("fibEndive", "fibWasmtime", "speedup >=", 5.0),
    ("coreAddRaw", "chicoryAdd", "time ratio", None),
    ("coreAddRaw", "endiveAdd", "time ratio", None),
    ("memoryRead1MiB", "arraycopy1MiB", "time ratio", None),
]

print("| operation | native baseline | Java (ns/op) | native (ns/op, before / after JMH) | Java/native | target | met |")
print("|---|---|---:|---:|---:|---|---|")
for j, n, how, target in PAIRS:
    if j not in jmh or any(n not in r for r in runs):
        continue
    score, err = jmh[j]
    values = [r[n] for r in runs]
    base = sum(values) / len(values)
    spread = " / ".join(f"{v:.1f}" for v in values)
    ratio = score / base
    lo, hi = score / max(values), score / min(values)
    if how == "throughput":
        mib = 16.0
        java_rate = mib / (score / 1e9)
        native_rate = mib / (base / 1e9)
        print(f"| {j} | {n} | {score:.0f} ± {err:.0f} ({java_rate:.0f} MiB/s) | {spread} ({native_rate:.0f} MiB/s) | {ratio:.2f}x time | report MiB/s | |")
        continue
    if how.startswith("throughput"):
        shown = base / score
        tgt = f"throughput >= {target}x native" if target else ""
        met = "" if target is None else ("yes" if shown >= target else "no")
        print(f"| {j} | {n} | {score:.1f} ± {err:.1f} | {spread} | {ratio:.2f}x time ({shown:.2f}x throughput; {1 / hi:.2f}-{1 / lo:.2f}) | {tgt} | {met} |")
    else:
        tgt = f"<= {target}x" if target else ""
        met = "" if target is None else ("yes" if ratio <= target else "no")
        print(f"| {j} | {n} | {score:.1f} ± {err:.1f} | {spread} | {ratio:.2f}x ({lo:.2f}-{hi:.2f}) | {tgt} | {met} |")

print()
print("| JMH pair | a | b | a/b | target | met |")
print("|---|---:|---:|---:|---|---|")
for a, b, how, target in JAVA_PAIRS:
    if a not in jmh or b not in jmh:
        continue
    ratio = jmh[a][0] / jmh[b][0]
    tgt = f"{how} {target}x" if target else ""
    met = "" if target is None else ("yes" if ratio >= target else "no")
    print(f"| {a} / {b} | {jmh[a][0]:.2f} | {jmh[b][0]:.2f} | {ratio:.2f}x | {tgt} | {met} |")
