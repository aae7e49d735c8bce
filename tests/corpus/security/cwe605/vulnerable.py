"""Servers bound to all network interfaces (CWE-605)."""
import asyncio
import socket
import socketserver
from http.server import HTTPServer, SimpleHTTPRequestHandler
from xmlrpc.server import SimpleXMLRPCServer

import uvicorn
from aiohttp import web
from fastapi import FastAPI
from flask import Flask
from werkzeug.serving import run_simple

app = Flask(__name__)
api = FastAPI()


def run_dashboard():
    app.run(host="0.0.0.0", port=5000)  # vuln: CWE-605


def metrics_listener(port: int):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("0.0.0.0", port))  # vuln: CWE-605
    sock.listen(5)
    return sock


def serve_model():
    uvicorn.run(api, host="0.0.0.0", port=8000)  # vuln: CWE-605


class DebugShell:
    def __init__(self, port=7777):
        self.port = port
        self.sock = socket.socket()

    def start(self):
        self.sock.bind(("", self.port))  # vuln: CWE-605
        self.sock.listen(1)


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(self.request.recv(1024))


def echo_server():
    with socketserver.TCPServer(("", 8080), EchoHandler) as server:  # vuln: CWE-605
        server.serve_forever()


# %% notebook cell: share the generated plots folder
def share_plots():
    HTTPServer(("0.0.0.0", 8000), SimpleHTTPRequestHandler).serve_forever()  # vuln: CWE-605


async def handle_client(reader, writer):
    writer.write(await reader.read(100))
    await writer.drain()


async def tcp_gateway():
    server = await asyncio.start_server(handle_client, "0.0.0.0", 9000)  # vuln: CWE-605
    async with server:
        await server.serve_forever()


def run_aiohttp(application: web.Application):
    web.run_app(application, host="0.0.0.0", port=8081)  # vuln: CWE-605


def run_wsgi(wsgi_app):
    run_simple("0.0.0.0", 5001, wsgi_app)  # vuln: CWE-605


def run_ipv6():
    app.run(host="::", port=5002)  # vuln: CWE-605


def uvicorn_config():
    config = uvicorn.Config(api, host="0.0.0.0", port=8001, log_level="info")  # vuln: CWE-605
    return uvicorn.Server(config)


def tool_rpc_server(args: dict) -> str:
    """LLM tool: expose helper functions over XML-RPC for the agent's sub-processes."""
    server = SimpleXMLRPCServer(("0.0.0.0", int(args.get("port", 8765))))  # vuln: CWE-605
    server.register_function(pow)
    server.serve_forever()
    return "stopped"
