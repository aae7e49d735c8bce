"""The same pages with escaping, template variables or autoescaping (CWE-79 safe twins)."""

import html

from django.http import HttpResponse
from django.utils.html import escape as django_escape
from django.utils.html import format_html
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from flask import Flask, make_response, render_template_string, request
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from markupsafe import Markup, escape

app = Flask(__name__)
api = FastAPI()


@app.route("/hello")
def hello_escaped():
    name = request.args.get("name", "world")
    return f"<h1>Hello {escape(name)}!</h1>"  # safe: CWE-79


@app.route("/search")
def search_page_variable():
    query = request.args.get("q", "")
    return render_template_string("<p>Results for {{ query }}</p>", query=query)  # safe: CWE-79


@app.route("/profile")
def profile_badge_escaped():
    bio = request.cookies.get("bio", "")
    badge = Markup("<span class='bio'>{}</span>").format(bio)  # safe: CWE-79
    return render_template_string("<div>{{ badge }}</div>", badge=badge)


@app.route("/error")
def error_page_escaped():
    message = request.args["msg"]
    response = make_response("<div class='error'>%s</div>" % html.escape(message), 400)  # safe: CWE-79
    return response


def django_greeting_formatted(request):
    visitor = request.GET.get("visitor", "guest")
    return HttpResponse(format_html("<p>Welcome back, {}</p>", visitor))  # safe: CWE-79


def django_comment_preview_escaped(request):
    comment = request.POST["comment"]
    return HttpResponse("<blockquote>" + django_escape(comment) + "</blockquote>")  # safe: CWE-79


@api.get("/echo", response_class=HTMLResponse)
def echo_escaped(text: str):
    return HTMLResponse(f"<pre>{html.escape(text)}</pre>")  # safe: CWE-79


@app.route("/card")
def greeting_card_autoescaped():
    recipient = request.args.get("to", "friend")
    return Template("<div class='card'>Dear {{ recipient }},</div>", autoescape=True).render(recipient=recipient)  # safe: CWE-79


@app.route("/report")
def report_page_autoescaped():
    title = request.args.get("title", "Report")
    return Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape()).get_template("report.html").render(title=title)  # safe: CWE-79


@app.route("/tags", methods=["POST"])
def tag_list_escaped():
    tags = request.form.getlist("tag")
    items = "".join(f"<li>{escape(tag)}</li>" for tag in tags)
    return Markup("<ul>" + items + "</ul>")  # safe: CWE-79
