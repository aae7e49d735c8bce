"""Data-frame helpers written against an API that does not exist."""

import pandas as pd


def load_sales(path):
    return pd.read_csv(path).to_dataframe()  # label: AI301


def load_sales_ok(path):
    return pd.read_csv(path, parse_dates=["day"])


def weekly(df):
    return df.resample("W", on="day").sum(numeric_only=True)


def top_customers(df, n=10):
    return df.nlargest_by("revenue", n)  # label: AI301
