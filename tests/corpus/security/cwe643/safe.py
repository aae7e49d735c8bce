"""The same XPath queries with variables or validated values (CWE-643 safe twins)."""

import re
import sys
import xml.etree.ElementTree as ET

import requests
from django.http import JsonResponse
from fastapi import FastAPI, HTTPException
from flask import Flask, abort, jsonify, request
from lxml import etree
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()

STAFF = etree.parse("data/staff.xml", etree.XMLParser(resolve_entities=False, no_network=True))
SKU = re.compile(r"^[A-Z0-9-]{1,20}$")
LOCATIONS = {"north", "south", "east", "west"}
GENRES = {"fantasy", "history", "science"}
FIND_SETTING = etree.XPath("/config/setting[@name=$key]/@value")


@app.route("/login", methods=["POST"])
def xml_login_variables():
    user = request.form["user"]
    password = request.form["password"]
    matches = STAFF.xpath("//user[name/text()=$user and password/text()=$password]", user=user, password=password)  # safe: CWE-643
    return {"ok": bool(matches)}


@app.route("/books")
def books_by_author_variable():
    author = request.args.get("author", "")
    catalog = etree.parse("data/catalog.xml")
    titles = catalog.xpath("//book[author=$author]/title/text()", author=author)  # safe: CWE-643
    return jsonify(titles)


@api.get("/products/{sku}")
def product_price_checked(sku: str):
    if not SKU.fullmatch(sku):
        raise HTTPException(status_code=400)
    tree = etree.parse("data/products.xml")
    return {"price": tree.xpath("string(//product[@sku='%s']/price)" % sku)}  # safe: CWE-643


def django_employee_numeric(request):
    emp_id = int(request.GET["id"])
    root = etree.parse("data/staff.xml").getroot()
    found = root.xpath("//employee[@id='{}']".format(emp_id))  # safe: CWE-643
    return JsonResponse({"found": len(found)})


@app.route("/config/value")
def config_value_compiled():
    key = request.args["key"]
    tree = etree.parse("config.xml")
    values = FIND_SETTING(tree, key=key)  # safe: CWE-643
    return jsonify(values)


def inventory_cli_checked():
    location = sys.argv[1]
    if location not in LOCATIONS:
        raise SystemExit(f"unknown location {location!r}")
    tree = ET.parse("inventory.xml")
    for item in tree.getroot().findall(f".//item[@location='{location}']"):  # safe: CWE-643
        print(item.get("name"))


@app.route("/orders")
def orders_for_customer_variable():
    customer = request.cookies.get("customer", "")
    orders = etree.parse("data/orders.xml")
    evaluator = etree.XPathEvaluator(orders)
    return jsonify(evaluator("//order[customer=$customer]/@id", customer=customer))  # safe: CWE-643


def search_catalog_tool_checked(question: str):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Which genre does this ask about? {question}"}])
    genre = reply.choices[0].message.content.strip()
    if genre not in GENRES:
        abort(400)
    catalog = etree.parse("data/catalog.xml")
    return catalog.xpath(f"//book[@genre='{genre}']/title/text()")  # safe: CWE-643


def remote_feed_titles_variable(feed_url):
    doc = etree.fromstring(requests.get(feed_url, timeout=10).content, etree.XMLParser(resolve_entities=False))
    wanted = requests.get("https://prefs.example.com/api/topic", timeout=10).json()["topic"]
    return doc.xpath("//item[category=$topic]/title/text()", topic=wanted)  # safe: CWE-643
