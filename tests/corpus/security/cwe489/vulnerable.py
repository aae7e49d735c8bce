"""Debug mode / interactive debugger enabled in deployable server code (CWE-489)."""
import os

import uvicorn
from fastapi import FastAPI
from flask import Flask, jsonify
from starlette.applications import Starlette
from starlette.routing import Route
from werkzeug.debug import DebuggedApplication
from werkzeug.serving import run_simple

app = Flask(__name__)
app.config["DEBUG"] = True  # vuln: CWE-489


@app.route("/health")
def health():
    return jsonify(status="ok")


def create_app():
    application = Flask("orders")
    application.debug = True  # vuln: CWE-489
    return application


def build_api():
    return FastAPI(title="Inference API", debug=True)  # vuln: CWE-489


async def homepage(request):
    return None


def build_starlette():
    return Starlette(debug=True, routes=[Route("/", homepage)])  # vuln: CWE-489


def serve_flask():
    app.run(host="127.0.0.1", port=5000, debug=True)  # vuln: CWE-489


def serve_fastapi():
    uvicorn.run("service.main:api", port=8000, reload=True, debug=True)  # vuln: CWE-489


def serve_wsgi(wsgi_app):
    run_simple("127.0.0.1", 8080, wsgi_app, use_debugger=True, use_reloader=True)  # vuln: CWE-489


def wsgi_entrypoint():
    return DebuggedApplication(app, evalex=True)  # vuln: CWE-489


def serve_from_env():
    app.run(debug=os.getenv("FLASK_DEBUG", "1") == "1")  # vuln: CWE-489


class ServerCommand:
    def __init__(self, port):
        self.port = port

    def handle(self):
        app.run(port=self.port, debug=True, use_reloader=False)  # vuln: CWE-489


if __name__ == "__main__":
    app.run(debug=True)  # vuln: CWE-489
