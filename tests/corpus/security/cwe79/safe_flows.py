"""Helpers, containers and other sources escaped or constant before reaching HTML (CWE-79 safe twins)."""

import html

import requests
from django.http import HttpResponse
from django.utils.html import escape as django_escape
from flask import Flask, request
from markupsafe import Markup, escape
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()


def render_escaped_alert(text):
    return Markup('<div class="alert">{}</div>').format(text)  # safe: CWE-79


@app.route("/notify")
def notify_escaped():
    return render_escaped_alert(request.args["text"])


def escaped_table_row(cells):
    return "<tr>" + "".join("<td>%s</td>" % html.escape(str(c)) for c in cells) + "</tr>"


@app.route("/table", methods=["POST"])
def escaped_data_table():
    row = escaped_table_row(request.json["cells"])
    return "<table>{}</table>".format(row)  # safe: CWE-79


@app.route("/breadcrumbs")
def escaped_breadcrumbs():
    crumbs = ["Home"]
    crumbs.append(html.escape(request.args.get("section", "Docs")))
    return "<nav>" + " / ".join(crumbs) + "</nav>"  # safe: CWE-79


@app.route("/banner")
def default_banner():
    texts = {"default": "Welcome!", "custom": request.cookies.get("banner", "")}
    return f"<header>{texts['default']}</header>"  # safe: CWE-79


@app.route("/assistant", methods=["POST"])
def assistant_answer_escaped():
    question = request.form["question"]
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])
    answer = reply.choices[0].message.content
    return Markup("<div class='answer'>{}</div>").format(answer)  # safe: CWE-79


@app.route("/weather")
def weather_widget_escaped():
    data = requests.get("https://weather.example.com/api/today", timeout=5).json()
    return "<aside>Today: " + str(escape(data["summary"])) + "</aside>"  # safe: CWE-79


def django_referrer_note_escaped(request):
    ref = request.META.get("HTTP_REFERER", "")
    return HttpResponse(f"<p>You came from {django_escape(ref)}</p>")  # safe: CWE-79


def django_raw_body_text(request):
    body = request.body.decode()
    return HttpResponse(body, content_type="text/plain")  # safe: CWE-79


@app.route("/motd")
def default_message_of_the_day():
    motd = "Have a nice day"
    if 1 == 2:
        motd = request.args["motd"]
    return "<marquee>" + motd + "</marquee>"  # safe: CWE-79


@app.route("/ua")
def user_agent_escaped():
    agent = request.headers.get("User-Agent", "")
    return "<code>{}</code>".format(html.escape(agent))  # safe: CWE-79


@app.route("/greeting-default")
def greeting_default_name():
    name = request.args.get("name", "world")
    name = "world"
    return f"<h1>Hello {name}!</h1>"  # safe: CWE-79
