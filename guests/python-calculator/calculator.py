"""The calculator of issue 10's seed scenario in Python (componentize-py, wit/guests/calc, world
calculator): docs:calc/calc@0.1.0 on top of the imported docs:calc/adder@0.1.0, making every sum
by calls to the imported add, like the C calculator.
"""

from typing import List

from wit_world import exports
from wit_world.imports import adder


class Calc(exports.Calc):
    def add_three(self, a: int, b: int, c: int) -> int:
        return adder.add(adder.add(a, b), c)

    def sum(self, xs: List[int]) -> int:
        total = 0
        for x in xs:
            total = adder.add(total, x)
        return total

    def explain(self, a: int, b: int) -> str:
        return adder.describe(a, b)
