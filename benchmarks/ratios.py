#!/usr/bin/env python3
"""Pairs JMH results with the native bench and prints the Java/native ratios as Markdown."""
import json
import sys

jmh = {}
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)[1]
    params = r.get("params") or {}
    if "size" in params:
        name += "/" + params["size"]
    jmh[name] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
native = {r["benchmark"]: r["nsPerOp"] for r in json.load(open(sys.argv[2]))}

# (JMH benchmark, native benchmark, how the target is stated, target)
PAIRS = [
    ("addDynamic", "add.dynamic", "time ratio <=", 1.5),
    ("addPlain", "add.dynamic", "time ratio <=", None),
    ("addFast", "add.typed", "time ratio <=", 1.3),
    ("echoString/16", "echoString.dynamic/16", "time ratio <=", None),
    ("echoString/1024", "echoString.dynamic/1024", "time ratio <=", None),
    ("echoString/1048576", "echoString.dynamic/1048576", "throughput ratio >=", 0.7),
    ("recordRoundTrip", "recordRoundTrip.dynamic", "time ratio <=", None),
    ("instancePre", "instancePre.instantiate", "time ratio <=", None),
    ("noop", "hostCall.noop", "time ratio <=", 3.0),
    ("twoU32", "hostCall.twoU32", "time ratio <=", 3.0),
    ("string1KiB", "hostCall.string1KiB", "time ratio <=", 3.0),
    ("commandStartToExit", "wasiCommand.startToExit", "time ratio <=", 1.2),
    ("stdout16MiB", "wasiStdout.16MiB", "throughput", None),
]

print("| operation | Java (ns/op) | native (ns/op) | Java/native | target | met |")
print("|---|---:|---:|---:|---|---|")
for j, n, how, target in PAIRS:
    if j not in jmh or n not in native:
        continue
    score, err = jmh[j]
    base = native[n]
    ratio = score / base
    if how == "throughput":
        mib = 16.0
        java_rate = mib / (score / 1e9)
        native_rate = mib / (base / 1e9)
        print(f"| {j} | {score:.0f} ± {err:.0f} ({java_rate:.0f} MiB/s) | {base:.0f} ({native_rate:.0f} MiB/s) | {ratio:.2f}x time | report MiB/s | |")
        continue
    if how.startswith("throughput"):
        shown = base / score
        tgt = f"throughput >= {target}x native" if target else ""
        met = "" if target is None else ("yes" if shown >= target else "no")
        print(f"| {j} | {score:.1f} ± {err:.1f} | {base:.1f} | {ratio:.2f}x time ({shown:.2f}x throughput) | {tgt} | {met} |")
    else:
        tgt = f"<= {target}x" if target else ""
        met = "" if target is None else ("yes" if ratio <= target else "no")
        print(f"| {j} | {score:.1f} ± {err:.1f} | {base:.1f} | {ratio:.2f}x | {tgt} | {met} |")
