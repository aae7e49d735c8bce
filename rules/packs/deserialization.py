"""Fixture of the deserialization pack: `# expect: CODE` lines must be flagged, `# ok: CODE` not."""

import json
import pickle
import xml.sax

import pandas
import torch
from lxml import etree
from tensorflow import keras


def load_upload(data: bytes) -> object:
    first = pickle.loads(data)  # expect: RV130
    second = json.loads(data)  # ok: RV130
    pickle.dumps(second)  # ok: RV130
    return first, second


def load_model(path: str) -> object:
    unsafe = torch.load(path)  # expect: RV130
    safe = torch.load(path, weights_only=True)  # ok: RV130
    shipped = pandas.read_pickle("data/reference_frame.pkl")  # ok: RV130
    absolute = pandas.read_pickle("/tmp/upload.pkl")  # expect: RV130
    lambdas = keras.models.load_model(path, safe_mode=False)  # expect: RV130
    layers = keras.models.load_model(path)  # ok: RV130
    return unsafe, safe, shipped, absolute, lambdas, layers


def parse(document: bytes) -> object:
    risky = etree.XMLParser(resolve_entities=True)  # expect: RV131
    hardened = etree.XMLParser(resolve_entities=False, no_network=True)  # ok: RV131
    sax = xml.sax.make_parser()
    sax.setFeature(xml.sax.handler.feature_external_ges, True)  # expect: RV131
    sax.setFeature(xml.sax.handler.feature_external_ges, False)  # ok: RV131
    return etree.fromstring(document, hardened), risky
