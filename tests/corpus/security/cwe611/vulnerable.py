"""XML external entity processing enabled on untrusted XML (CWE-611)."""
import xml.sax
from xml.dom import minidom, pulldom
from xml.sax.handler import feature_external_ges, feature_external_pes

import requests
from django.http import HttpResponse
from fastapi import FastAPI, Request
from flask import Flask, jsonify, request
from lxml import etree, objectify

app = Flask(__name__)
api = FastAPI()


@app.route("/invoices", methods=["POST"])
def import_invoice():
    root = etree.fromstring(request.data, etree.XMLParser(resolve_entities=True))  # vuln: CWE-611
    return jsonify({"total": root.findtext("total")})


def parse_uploaded_feed(request):
    upload = request.FILES["feed"]
    tree = etree.parse(upload, etree.XMLParser(load_dtd=True, resolve_entities=True, no_network=False))  # vuln: CWE-611
    return HttpResponse(str(len(tree.getroot())))


@api.post("/soap/endpoint")
async def soap_endpoint(req: Request):
    body = await req.body()
    parser = etree.XMLParser(resolve_entities=True, no_network=False)  # vuln: CWE-611
    envelope = etree.fromstring(body, parser)
    return {"action": envelope.tag}


def call_partner_soap(url, envelope_xml):
    resp = requests.post(url, data=envelope_xml, timeout=30)
    parser = etree.XMLParser(resolve_entities=True, huge_tree=True)  # vuln: CWE-611
    return etree.fromstring(resp.content, parser)


class _CountingHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.count = 0

    def startElement(self, name, attrs):
        self.count += 1


@app.route("/sax/count", methods=["POST"])
def sax_count_elements():
    handler = _CountingHandler()
    parser = xml.sax.make_parser()
    parser.setContentHandler(handler)
    parser.setFeature(feature_external_ges, True)  # vuln: CWE-611
    parser.feed(request.get_data())
    parser.close()
    return jsonify({"elements": handler.count})


def sax_parse_with_pes(path):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_pes, True)  # vuln: CWE-611
    parser.setContentHandler(xml.sax.ContentHandler())
    parser.parse(path)


@app.route("/dom/import", methods=["POST"])
def dom_import():
    sax_parser = xml.sax.make_parser()
    sax_parser.setFeature(xml.sax.handler.feature_external_ges, True)  # vuln: CWE-611
    doc = minidom.parseString(request.data, parser=sax_parser)
    return jsonify({"root": doc.documentElement.tagName})


def stream_orders(xml_bytes):
    sax_parser = xml.sax.make_parser()
    sax_parser.setFeature(feature_external_ges, True)  # vuln: CWE-611
    events = pulldom.parseString(xml_bytes.decode("utf-8"), parser=sax_parser)
    return [node.getAttribute("id") for ev, node in events if ev == pulldom.START_ELEMENT and node.tagName == "order"]


def iter_records(uploaded_path):
    for _, elem in etree.iterparse(uploaded_path, load_dtd=True, resolve_entities=True):  # vuln: CWE-611
        yield elem.tag, elem.text


def load_objectified_config(xml_text):
    parser = objectify.makeparser(resolve_entities=True, load_dtd=True)  # vuln: CWE-611
    return objectify.fromstring(xml_text.encode(), parser)


def tool_parse_sitemap(args: dict) -> list:
    """LLM tool: fetch a sitemap URL chosen by the model and list its URLs."""
    xml = requests.get(args["url"], timeout=15).content
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=True, no_network=False))  # vuln: CWE-611
    return [loc.text for loc in root.iter("{*}loc")]


def import_svg(request):
    data = request.body
    doc = etree.XML(data, etree.XMLParser(dtd_validation=True, resolve_entities=True))  # vuln: CWE-611
    return HttpResponse(doc.get("width", "0"))
