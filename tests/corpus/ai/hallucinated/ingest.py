"""Document ingestion pipeline, as an assistant might draft it."""

import json  # ok: RV303
import os  # ok: RV303

import numpy as np  # ok: RV303
import pandas as pd  # ok: RV303
import requests  # ok: RV303
import yaml  # ok: RV303
from openai import OpenAI  # ok: RV303

import corpus_utils  # ok: RV303
import langchain_helpers  # expect: RV303
import openai_tools  # expect: RV303
import pandas_cleaner as pc  # expect: RV303
from langchain.text_splitter import RecursiveCharacterTextSplitter  # expect: RV315
from sklearn.feature_extraction.text import TfidfVectorizer  # expect: RV315
from requests_retry import RetrySession  # expect: RV303
from yaml_config import load_settings  # expect: RV315
from numpy_utils.vectors import cosine_similarity  # expect: RV303
from dotenv import load_dotenv  # expect: RV315
import tiktoken  # expect: RV315

try:
    import ujson as fast_json  # ok: RV303
except ImportError:
    fast_json = json


def ingest(path):
    load_dotenv()
    settings = load_settings(os.environ.get("SETTINGS", "settings.yaml"))
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    splitter = RecursiveCharacterTextSplitter(chunk_size=settings["chunk_size"])
    chunks = corpus_utils.chunk(splitter.split_text(text), 16)
    encoder = tiktoken.get_encoding("cl100k_base")
    tokens = [len(encoder.encode(c)) for batch in chunks for c in batch]
    vectors = TfidfVectorizer().fit_transform(pc.normalize(text.splitlines()))
    client = OpenAI()
    session = RetrySession(retries=3)
    summary = openai_tools.summarize(client, text)
    frame = pd.DataFrame({"tokens": tokens})
    config = yaml.safe_load(settings["extra"])
    payload = fast_json.dumps({"summary": summary, "config": config})
    session.post(settings["endpoint"], data=payload, timeout=10)
    requests.head(settings["endpoint"], timeout=5)
    similarity = cosine_similarity(np.asarray(vectors.toarray()), np.ones(3))
    return langchain_helpers.wrap(frame, similarity, json.loads(payload))
