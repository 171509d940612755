"""Variant D of `bench ratios`: a WSGI app with no framework, under the same gunicorn config."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
