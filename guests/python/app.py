"""The Python guest: a WASI 0.2 command built with componentize-py (world python-app).

Prints one line per thing it was given, so the host can check each:
    argv <json list of the arguments after the program name>
    env <NAME>=<value>            for every variable, sorted
    file <path> <json contents>   for every regular file in /data, sorted
    words <n>                     words counted in /data/input.txt
and exits with 0, or with 3 when /data/input.txt is missing.
"""

import json
import os
import sys

from wit_world import exports


class Run(exports.Run):
    def run(self) -> None:
        print("argv", json.dumps(sys.argv[1:]))
        for name in sorted(os.environ):
            print(f"env {name}={os.environ[name]}")
        try:
            names = sorted(os.listdir("/data"))
        except OSError as e:
            print("listdir /data failed:", e.strerror)
            sys.exit(3)
        for name in names:
            path = os.path.join("/data", name)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    print("file", path, json.dumps(f.read()))
        try:
            with open("/data/input.txt", encoding="utf-8") as f:
                print("words", len(f.read().split()))
        except OSError:
            sys.exit(3)
        sys.stdout.flush()
