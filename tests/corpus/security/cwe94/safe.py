"""Literal parsing, dispatch tables and constant code instead of eval/exec (CWE-94 safe twins)."""

import ast
import json
import operator
import os
import sys

import requests
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()

COMPARISONS = {"eq": operator.eq, "lt": operator.lt, "gt": operator.gt}
TRANSFORMS = {"double": lambda x: x * 2, "square": lambda x: x * x, "negate": operator.neg}
SAFE_TOOLS = {"word_count": lambda text: len(text.split()), "upper": str.upper}


@app.route("/calc")
def calculator_literal():
    expression = request.args.get("expr", "0")
    result = ast.literal_eval(expression)  # safe: CWE-94
    return jsonify(result=result)


@api.post("/filters")
def apply_filter_table(field: str, op: str, value: int, rows: list[dict]):
    return [row for row in rows if COMPARISONS[op](row.get(field), value)]  # safe: CWE-94


def django_settings_update_json(request):
    value = request.POST["value"]
    parsed = json.loads("{" + value + "}")  # safe: CWE-94
    return JsonResponse(parsed)


@app.route("/plugins", methods=["POST"])
def install_plugin_manifest():
    source = request.files["plugin"].read().decode()
    namespace = json.loads(source)  # safe: CWE-94
    return jsonify(sorted(namespace))


def run_generated_tool(task: str):
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"Pick one tool of word_count, upper for: {task}. Reply as JSON with keys tool and text."}])
    call = json.loads(reply.choices[0].message.content)
    return SAFE_TOOLS[call["tool"]](call["text"])  # safe: CWE-94


def repl_once_literal():
    line = input(">>> ")
    print(ast.literal_eval(line))  # safe: CWE-94


def load_transform_by_name():
    body = sys.argv[2]
    transform = TRANSFORMS[body]  # safe: CWE-94
    return transform


def compile_default_formula():
    formula = os.environ.get("PRICE_FORMULA", "base * 1.2")
    formula = "base * 1.2"
    code = compile(formula, "<formula>", "eval")  # safe: CWE-94
    return code


@app.route("/hooks", methods=["POST"])
def run_builtin_hook():
    hook = "import gc; gc.collect()"
    if 1 == 2:
        hook = request.json["hook"]
    compiled = compile(hook, "<hook>", "exec")
    exec(compiled)  # safe: CWE-94
    return "", 204


def fetch_and_parse_snippet(url):
    snippet = requests.get(url, timeout=10).text
    json.loads(snippet)  # safe: CWE-94


def read_config_safe_literal(path):
    with open(path, encoding="utf-8") as handle:
        return ast.literal_eval(handle.read())  # safe: CWE-94
