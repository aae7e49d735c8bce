"""eval / exec / compile on untrusted data (CWE-94)."""

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


@app.route("/calc")
def calculator():
    expression = request.args.get("expr", "0")
    result = eval(expression)  # vuln: CWE-94
    return jsonify(result=result)


@api.post("/filters")
def apply_filter(rule: str, rows: list[dict]):
    return [row for row in rows if eval(rule, {}, {"row": row})]  # vuln: CWE-94


def django_settings_update(request):
    value = request.POST["value"]
    parsed = eval("dict(" + value + ")")  # vuln: CWE-94
    return JsonResponse(parsed)


@app.route("/plugins", methods=["POST"])
def install_plugin():
    source = request.files["plugin"].read().decode()
    namespace = {}
    exec(source, namespace)  # vuln: CWE-94
    return jsonify(sorted(namespace))


def run_generated_code(task: str):
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"Write Python that {task}. Reply with code only."}])
    code = reply.choices[0].message.content
    scope = {}
    exec(code, scope)  # vuln: CWE-94
    return scope.get("result")


def repl_once():
    line = input(">>> ")
    print(eval(line))  # vuln: CWE-94


def load_transform_from_argv():
    body = sys.argv[2]
    transform = eval(f"lambda x: {body}")  # vuln: CWE-94
    return transform


def compile_formula():
    formula = os.environ.get("PRICE_FORMULA", "base * 1.2")
    code = compile(formula, "<formula>", "eval")  # vuln: CWE-94
    return code


@app.route("/hooks", methods=["POST"])
def run_hook():
    hook = request.json["hook"]
    compiled = compile(hook, "<hook>", "exec")
    exec(compiled)  # vuln: CWE-94
    return "", 204


def fetch_and_run_snippet(url):
    snippet = requests.get(url, timeout=10).text
    exec(snippet)  # vuln: CWE-94


def read_config_literal(path):
    with open(path, encoding="utf-8") as handle:
        return eval(handle.read())  # vuln: CWE-94
