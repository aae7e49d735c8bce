"""Safe twins for CWE-489: debug off, or opt-in from the environment with a False default."""
import os

import uvicorn
from fastapi import FastAPI
from flask import Flask, jsonify
from starlette.applications import Starlette
from starlette.routing import Route
from werkzeug.serving import run_simple

app = Flask(__name__)
app.config["DEBUG"] = False  # safe: CWE-489


@app.route("/health-v2")
def health_v2():
    return jsonify(status="ok")


def create_app_v2():
    application = Flask("orders")
    application.debug = os.environ.get("ORDERS_DEBUG") == "1"  # safe: CWE-489
    return application


def build_api_v2():
    return FastAPI(title="Inference API", debug=False)  # safe: CWE-489


async def homepage_v2(request):
    return None


def build_starlette_v2():
    return Starlette(debug=False, routes=[Route("/", homepage_v2)])  # safe: CWE-489


def serve_flask_v2():
    app.run(host="127.0.0.1", port=5000, debug=False)  # safe: CWE-489


def serve_fastapi_v2():
    uvicorn.run("service.main:api", port=8000, reload=False, workers=4)  # safe: CWE-489


def serve_wsgi_v2(wsgi_app):
    run_simple("127.0.0.1", 8080, wsgi_app, use_debugger=False, use_reloader=False)  # safe: CWE-489


def wsgi_entrypoint_v2():
    return app.wsgi_app  # safe: CWE-489


def serve_from_env_v2():
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")  # safe: CWE-489


class ServerCommandV2:
    def __init__(self, port):
        self.port = port

    def handle(self):
        app.run(port=self.port, debug=False, use_reloader=False)  # safe: CWE-489


if __name__ == "__main__":
    app.run(debug=False)  # safe: CWE-489
