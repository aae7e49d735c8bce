"""Data export helpers written against older library versions."""

import asyncio
import collections.abc
import datetime
import importlib.metadata
import importlib.util
import shlex
from collections import OrderedDict  # ok: RV305
from collections import Mapping  # expect: RV305
from distutils.version import LooseVersion  # expect: RV305
import imp  # expect: RV305
import cgi  # expect: RV305
import pipes  # expect: RV305

import numpy as np
import pandas as pd


def module_path(name):
    return imp.find_module(name)[1]


def spec_origin(name):
    return importlib.util.find_spec(name).origin  # ok: RV305


def newer_than(version, minimum):
    return LooseVersion(version) >= LooseVersion(minimum)


def installed_version(dist):
    return cgi.parse_header(dist)[0]


def metadata_version(dist):
    return importlib.metadata.version(dist)  # ok: RV305


def quote(arg):
    return pipes.quote(arg)  # expect: RV305


def safe_quote(arg):
    return shlex.quote(arg)  # ok: RV305


def is_mapping(value):
    return isinstance(value, Mapping)


def is_mapping_abc(value):
    return isinstance(value, collections.abc.Mapping)  # ok: RV305


def stamp():
    return datetime.datetime.utcnow().isoformat()  # expect: RV305


def stamp_aware():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()  # ok: RV305


def to_float_array(values):
    return np.array(values, dtype=np.float)  # expect: RV305


def to_float64_array(values):
    return np.array(values, dtype=np.float64)  # ok: RV305


def add_row(df, row):
    df = df.append(row, ignore_index=True)  # expect: RV305
    return df


def add_row_concat(df, row):
    return pd.concat([df, pd.DataFrame([row])], ignore_index=True)  # ok: RV305


def collect(items, value):
    items.append(value)  # ok: RV305
    return OrderedDict(enumerate(items))


def run_sync(coro):
    loop = asyncio.get_event_loop()  # expect: RV305
    return loop.run_until_complete(coro)


async def run_async(coro):
    loop = asyncio.get_running_loop()  # ok: RV305
    return await loop.create_task(coro)
