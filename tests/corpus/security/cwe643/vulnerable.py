"""XPath expressions built from untrusted input (CWE-643)."""

import sys
import xml.etree.ElementTree as ET

import requests
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from lxml import etree
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()

USERS = etree.parse("data/users.xml", etree.XMLParser(resolve_entities=False, no_network=True))


@app.route("/login", methods=["POST"])
def xml_login():
    user = request.form["user"]
    password = request.form["password"]
    matches = USERS.xpath(f"//user[name/text()='{user}' and password/text()='{password}']")  # vuln: CWE-643
    return {"ok": bool(matches)}


@app.route("/books")
def books_by_author():
    author = request.args.get("author", "")
    catalog = etree.parse("data/catalog.xml")
    titles = catalog.xpath("//book[author='" + author + "']/title/text()")  # vuln: CWE-643
    return jsonify(titles)


@api.get("/products/{sku}")
def product_price(sku: str):
    tree = etree.parse("data/products.xml")
    return {"price": tree.xpath("string(//product[@sku='%s']/price)" % sku)}  # vuln: CWE-643


def django_employee(request):
    emp_id = request.GET["id"]
    root = etree.parse("data/staff.xml").getroot()
    found = root.xpath("//employee[@id='{}']".format(emp_id))  # vuln: CWE-643
    return JsonResponse({"found": len(found)})


@app.route("/config/value")
def config_value():
    key = request.args["key"]
    tree = etree.parse("config.xml")
    find_setting = etree.XPath(f"/config/setting[@name='{key}']/@value")  # vuln: CWE-643
    return jsonify(find_setting(tree))


def inventory_cli():
    location = sys.argv[1]
    tree = ET.parse("inventory.xml")
    for item in tree.getroot().findall(f".//item[@location='{location}']"):  # vuln: CWE-643
        print(item.get("name"))


@app.route("/orders")
def orders_for_customer():
    customer = request.cookies.get("customer", "")
    orders = etree.parse("data/orders.xml")
    evaluator = etree.XPathEvaluator(orders)
    return jsonify(evaluator("//order[customer='" + customer + "']/@id"))  # vuln: CWE-643


def search_catalog_tool(question: str):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Which genre does this ask about? {question}"}])
    genre = reply.choices[0].message.content.strip()
    catalog = etree.parse("data/catalog.xml")
    return catalog.xpath(f"//book[@genre='{genre}']/title/text()")  # vuln: CWE-643


def remote_feed_titles(feed_url):
    doc = etree.fromstring(requests.get(feed_url, timeout=10).content, etree.XMLParser(resolve_entities=False))
    wanted = requests.get("https://prefs.example.com/api/topic", timeout=10).json()["topic"]
    return doc.xpath("//item[category='%s']/title/text()" % wanted)  # vuln: CWE-643
