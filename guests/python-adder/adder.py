"""The adder of issue 10's seed scenario in Python (componentize-py, wit/guests/calc, world
adder-world): docs:calc/adder@0.1.0, the same answers as the C and WAT adders.

Python integers do not wrap, so the sum is taken modulo 2^32 as u32 addition does (an
out-of-range result would otherwise trap when it is lowered).
"""

from wit_world import exports


def _add(a: int, b: int) -> int:
    return (a + b) & 0xFFFFFFFF


class Adder(exports.Adder):
    def add(self, a: int, b: int) -> int:
        return _add(a, b)

    def describe(self, a: int, b: int) -> str:
        return f"{a} + {b} = {_add(a, b)}"
