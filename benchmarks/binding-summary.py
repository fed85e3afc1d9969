#!/usr/bin/env python3
"""Summarises a BindingBenchmark JMH JSON (issue 13): for each benchmark the fastest and the median
iteration over all forks, and for each bound/Func pair both ratios. On a machine whose noise only
adds time, the fastest iteration is the closest to each path's own cost.

    python3 benchmarks/binding-summary.py benchmarks/results/<date>/binding.json
"""
import json
import sys

PAIRS = [("addBound", "addScalarFunc"), ("echoStringBound", "echoStringFunc"), ("echoPersonBound", "echoPersonFunc")]

runs = {}
for b in json.load(open(sys.argv[1])):
    raw = sorted(x for fork in b["primaryMetric"]["rawData"] for x in fork)
    runs[b["benchmark"].rsplit(".", 1)[-1]] = (raw[0], raw[len(raw) // 2], len(raw))

print("| benchmark | fastest iteration | median iteration | iterations |")
print("|---|---:|---:|---:|")
for name, (fastest, median, n) in sorted(runs.items()):
    print(f"| {name} | {fastest:.1f} ns | {median:.1f} ns | {n} |")
print()
print("| bound / Func | ratio of fastest | ratio of medians |")
print("|---|---:|---:|")
for bound, func in PAIRS:
    if bound in runs and func in runs:
        print(f"| {bound} / {func} | {runs[bound][0] / runs[func][0]:.3f} | {runs[bound][1] / runs[func][1]:.3f} |")
