"""Escapes user text for a report page and parses a query string."""
import cgi
import json
import urllib


def render(comment):
    return "<p>" + cgi.escape(comment) + "</p>"


def query(pairs):
    return urllib.urlencode(pairs)


def parse(body):
    # json.loads used to take an encoding= argument; the text says so: json.loads(x, encoding=...)
    return json.loads(body, encoding="utf-8")


print(render('Tom & "Jerry" <3'))
print(query({"q": "a b", "page": 2}))
print(parse('{"ok": true}'))
print("cgi.escape is mentioned in this string only")
