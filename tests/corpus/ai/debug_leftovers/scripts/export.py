"""Command-line export script: printing is its interface."""

import json
import sys


def export(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    print(json.dumps(data, indent=2))  # ok: RV306


export(sys.argv[1])
