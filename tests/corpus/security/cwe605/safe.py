"""Safe twins for CWE-605: loopback binds or host taken from configuration."""
import asyncio
import os
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
BIND_HOST = os.environ.get("BIND_HOST", "127.0.0.1")


def run_dashboard_v2():
    app.run(host="127.0.0.1", port=5000)  # safe: CWE-605


def metrics_listener_v2(port: int):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", port))  # safe: CWE-605
    sock.listen(5)
    return sock


def serve_model_v2():
    uvicorn.run(api, host=os.environ.get("HOST", "127.0.0.1"), port=8000)  # safe: CWE-605


class DebugShellV2:
    def __init__(self, port=7777):
        self.port = port
        self.sock = socket.socket()

    def start(self):
        self.sock.bind(("localhost", self.port))  # safe: CWE-605
        self.sock.listen(1)


class EchoHandlerV2(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(self.request.recv(1024))


def echo_server_v2():
    with socketserver.TCPServer(("127.0.0.1", 8080), EchoHandlerV2) as server:  # safe: CWE-605
        server.serve_forever()


# %% notebook cell: share the generated plots folder
def share_plots_v2():
    HTTPServer(("localhost", 8000), SimpleHTTPRequestHandler).serve_forever()  # safe: CWE-605


async def handle_client_v2(reader, writer):
    writer.write(await reader.read(100))
    await writer.drain()


async def tcp_gateway_v2():
    server = await asyncio.start_server(handle_client_v2, BIND_HOST, 9000)  # safe: CWE-605
    async with server:
        await server.serve_forever()


def run_aiohttp_v2(application: web.Application):
    web.run_app(application, host="127.0.0.1", port=8081)  # safe: CWE-605


def run_wsgi_v2(wsgi_app):
    run_simple("localhost", 5001, wsgi_app)  # safe: CWE-605


def run_ipv6_v2():
    app.run(host="::1", port=5002)  # safe: CWE-605


def uvicorn_config_v2():
    config = uvicorn.Config(api, host=BIND_HOST, port=8001, log_level="info")  # safe: CWE-605
    return uvicorn.Server(config)


def tool_rpc_server_v2(args: dict) -> str:
    """LLM tool: expose helper functions over XML-RPC for the agent's sub-processes."""
    server = SimpleXMLRPCServer(("127.0.0.1", int(args.get("port", 8765))))  # safe: CWE-605
    server.register_function(pow)
    server.serve_forever()
    return "stopped"
