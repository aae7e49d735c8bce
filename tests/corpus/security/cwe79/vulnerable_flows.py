"""Tainted strings reaching HTML responses through helpers, containers and other sources (CWE-79)."""

import requests
from django.http import HttpResponse
from flask import Flask, request
from markupsafe import Markup
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()


def render_alert(text):
    return Markup('<div class="alert">' + text + "</div>")  # vuln: CWE-79


@app.route("/notify")
def notify():
    return render_alert(request.args["text"])


def table_row(cells):
    return "<tr>" + "".join("<td>%s</td>" % c for c in cells) + "</tr>"


@app.route("/table", methods=["POST"])
def data_table():
    row = table_row(request.json["cells"])
    return "<table>{}</table>".format(row)  # vuln: CWE-79


@app.route("/breadcrumbs")
def breadcrumbs():
    crumbs = ["Home"]
    crumbs.append(request.args.get("section", "Docs"))
    return "<nav>" + " / ".join(crumbs) + "</nav>"  # vuln: CWE-79


@app.route("/banner")
def banner():
    texts = {"default": "Welcome!", "custom": request.cookies.get("banner", "")}
    return f"<header>{texts['custom']}</header>"  # vuln: CWE-79


@app.route("/assistant", methods=["POST"])
def assistant_answer():
    question = request.form["question"]
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])
    answer = reply.choices[0].message.content
    return Markup(f"<div class='answer'>{answer}</div>")  # vuln: CWE-79


@app.route("/weather")
def weather_widget():
    data = requests.get("https://weather.example.com/api/today", timeout=5).json()
    return "<aside>Today: " + data["summary"] + "</aside>"  # vuln: CWE-79


def django_referrer_note(request):
    ref = request.META.get("HTTP_REFERER", "")
    return HttpResponse(f"<p>You came from {ref}</p>")  # vuln: CWE-79


def django_raw_body(request):
    body = request.body.decode()
    return HttpResponse("<pre>%s</pre>" % body)  # vuln: CWE-79


@app.route("/motd")
def message_of_the_day():
    motd = "Have a nice day"
    if request.args.get("motd"):
        motd = request.args["motd"]
    return "<marquee>" + motd + "</marquee>"  # vuln: CWE-79


@app.route("/ua")
def user_agent_echo():
    agent = request.headers.get("User-Agent", "")
    return "<code>{}</code>".format(agent)  # vuln: CWE-79


@app.route("/greeting-default")
def greeting_titled_name():
    name = request.args.get("name", "world")
    name = name.strip().title()
    return f"<h1>Hello {name}!</h1>"  # vuln: CWE-79
