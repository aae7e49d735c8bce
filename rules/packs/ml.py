"""Fixture of the ml pack: `# expect: CODE` lines must be flagged, `# ok: CODE` lines not."""

import math

import numpy as np
import pandas as pd

df = pd.read_csv("data.csv")

missing = df[df["age"] == np.nan]  # expect: RV503
present = df[df["age"] != np.NaN]  # expect: RV503
if value == math.nan:  # expect: RV503
    pass
if float("nan") == 0 or value != float("nan"):  # expect: RV503
    pass
missing = df[df["age"].isna()]  # ok: RV503
same = value == other  # ok: RV503
flag = math.isnan(value)  # ok: RV503

df[df["age"] > 30]["group"] = "senior"  # expect: RV504
df["group"][df["age"].isin([1, 2])] = "child"  # expect: RV504
df.loc[rows]["group"] = "x"  # expect: RV504
df.iloc[0][1] = 5  # expect: RV504
df.loc[df["age"] > 30, "group"] = "senior"  # ok: RV504
grid = [[0] * 3 for _ in range(3)]
grid[1][2] = 7  # ok: RV504
config = {"a": {}}
config["a"]["b"] = 1  # ok: RV504
