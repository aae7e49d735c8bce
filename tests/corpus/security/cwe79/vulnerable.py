"""HTML built from untrusted strings without escaping (CWE-79)."""

from django.http import HttpResponse
from django.utils.safestring import mark_safe
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from flask import Flask, make_response, render_template_string, request
from jinja2 import Environment, FileSystemLoader, Template
from markupsafe import Markup

app = Flask(__name__)
api = FastAPI()


@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    return f"<h1>Hello {name}!</h1>"  # vuln: CWE-79


@app.route("/search")
def search_page():
    query = request.args.get("q", "")
    return render_template_string("<p>Results for " + query + "</p>")  # vuln: CWE-79


@app.route("/profile")
def profile_badge():
    bio = request.cookies.get("bio", "")
    badge = Markup(f"<span class='bio'>{bio}</span>")  # vuln: CWE-79
    return render_template_string("<div>{{ badge }}</div>", badge=badge)


@app.route("/error")
def error_page():
    message = request.args["msg"]
    response = make_response("<div class='error'>%s</div>" % message, 400)  # vuln: CWE-79
    return response


def django_greeting(request):
    visitor = request.GET.get("visitor", "guest")
    return HttpResponse("<p>Welcome back, {}</p>".format(visitor))  # vuln: CWE-79


def django_comment_preview(request):
    comment = request.POST["comment"]
    return HttpResponse(mark_safe("<blockquote>" + comment + "</blockquote>"))  # vuln: CWE-79


@api.get("/echo", response_class=HTMLResponse)
def echo(text: str):
    return HTMLResponse(f"<pre>{text}</pre>")  # vuln: CWE-79


@app.route("/card")
def greeting_card():
    recipient = request.args.get("to", "friend")
    return Template("<div class='card'>Dear {{ recipient }},</div>").render(recipient=recipient)  # vuln: CWE-79


@app.route("/report")
def report_page():
    title = request.args.get("title", "Report")
    return Environment(loader=FileSystemLoader("templates"), autoescape=False).get_template("report.html").render(title=title)  # vuln: CWE-79


@app.route("/tags", methods=["POST"])
def tag_list():
    tags = request.form.getlist("tag")
    items = "".join(f"<li>{tag}</li>" for tag in tags)
    return Markup("<ul>" + items + "</ul>")  # vuln: CWE-79
