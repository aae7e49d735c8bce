"""Safe twins for CWE-611: defusedxml or parsers with entity resolution off."""
import xml.sax
from xml.sax.handler import feature_external_ges, feature_external_pes

import defusedxml.ElementTree as DET
import requests
from defusedxml import minidom as safe_minidom
from defusedxml import pulldom as safe_pulldom
from django.http import HttpResponse
from fastapi import FastAPI, Request
from flask import Flask, jsonify, request
from lxml import etree, objectify

app = Flask(__name__)
api = FastAPI()


@app.route("/invoices-safe", methods=["POST"])
def import_invoice_safe():
    root = etree.fromstring(request.data, etree.XMLParser(resolve_entities=False, no_network=True))  # safe: CWE-611
    return jsonify({"total": root.findtext("total")})


def parse_uploaded_feed_safe(request):
    upload = request.FILES["feed"]
    tree = DET.parse(upload)  # safe: CWE-611
    return HttpResponse(str(len(tree.getroot())))


@api.post("/soap/endpoint-safe")
async def soap_endpoint_safe(req: Request):
    body = await req.body()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)  # safe: CWE-611
    envelope = etree.fromstring(body, parser)
    return {"action": envelope.tag}


def call_partner_soap_safe(url, envelope_xml):
    resp = requests.post(url, data=envelope_xml, timeout=30)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)  # safe: CWE-611
    return etree.fromstring(resp.content, parser)


class _SafeCountingHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.count = 0

    def startElement(self, name, attrs):
        self.count += 1


@app.route("/sax/count-safe", methods=["POST"])
def sax_count_elements_safe():
    handler = _SafeCountingHandler()
    parser = xml.sax.make_parser()
    parser.setContentHandler(handler)
    parser.setFeature(feature_external_ges, False)  # safe: CWE-611
    parser.feed(request.get_data())
    parser.close()
    return jsonify({"elements": handler.count})


def sax_parse_without_pes(path):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_pes, False)  # safe: CWE-611
    parser.setContentHandler(xml.sax.ContentHandler())
    parser.parse(path)


@app.route("/dom/import-safe", methods=["POST"])
def dom_import_safe():
    doc = safe_minidom.parseString(request.data)  # safe: CWE-611
    return jsonify({"root": doc.documentElement.tagName})


def stream_orders_safe(xml_bytes):
    events = safe_pulldom.parseString(xml_bytes.decode("utf-8"))  # safe: CWE-611
    return [node.getAttribute("id") for ev, node in events if ev == "START_ELEMENT" and node.tagName == "order"]


def iter_records_safe(uploaded_path):
    for _, elem in etree.iterparse(uploaded_path, load_dtd=False, resolve_entities=False, no_network=True):  # safe: CWE-611
        yield elem.tag, elem.text


def load_objectified_config_safe(xml_text):
    parser = objectify.makeparser(resolve_entities=False, load_dtd=False, no_network=True)  # safe: CWE-611
    return objectify.fromstring(xml_text.encode(), parser)


def tool_parse_sitemap_safe(args: dict) -> list:
    """LLM tool: fetch a sitemap URL chosen by the model and list its URLs."""
    xml = requests.get(args["url"], timeout=15).content
    root = DET.fromstring(xml)  # safe: CWE-611
    return [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def import_svg_safe(request):
    data = request.body
    doc = etree.XML(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))  # safe: CWE-611
    return HttpResponse(doc.get("width", "0"))
