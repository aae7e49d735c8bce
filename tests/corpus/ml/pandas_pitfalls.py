"""Cleaning a frame the way an assistant might."""

import math

import numpy as np
import pandas as pd


def clean(path):
    df = pd.read_csv(path)
    df.dropna()  # bug: pandas
    df = df.dropna(subset=["id"])  # fine: pandas
    df.fillna(0, inplace=True)  # fine: pandas
    df = df.drop_duplicates(inplace=True)  # bug: pandas
    df.rename(columns={"A": "a"})  # bug: pandas
    df = df.rename(columns={"A": "a"})  # fine: pandas
    df.sort_values("a")  # bug: pandas
    return df


def select(df, value):
    missing = df[df["a"] == np.nan]  # bug: pandas
    present = df[df["a"].notna()]  # fine: pandas
    odd = value != math.nan  # bug: pandas
    equal = df["a"] == 3  # fine: pandas
    return missing, present, odd, equal


def update(df, grid, settings):
    df[df["a"] > 0]["b"] = 1  # bug: pandas
    df.loc[df["a"] > 0, "b"] = 1  # fine: pandas
    df["b"][df["a"].isna()] = 0  # bug: pandas
    grid[0][1] = 5  # fine: pandas
    settings["db"]["host"] = "localhost"  # fine: pandas
    df.iloc[0][2] = 9  # bug: pandas
    return df


def flag_rows(df):
    for idx, row in df.iterrows():
        if row["score"] > 0.5:
            row["flag"] = True  # bug: pandas
    for idx, row in df.iterrows():
        df.at[idx, "flag"] = row["score"] > 0.5  # fine: pandas
    for _, row in df.iterrows():
        row.total = row.a + row.b  # bug: pandas
    for row in df.itertuples():
        row.price = 0  # bug: pandas
    for i, row in df.iterrows():
        df.loc[i, "total"] = row.a + row.b  # fine: pandas
    return df


def expand(df):
    out = []
    for _, row in df.iterrows():
        row = row.copy()
        row["source"] = "import"  # fine: pandas
        out.append(row)
    for _, row in df.iterrows():
        row["rank"] = len(out)  # fine: pandas
        out.append(row.to_dict())
    return pd.DataFrame(out)
