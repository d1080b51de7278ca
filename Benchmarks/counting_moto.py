#!/usr/bin/env python3
"""moto_server with every request counted: moto's own application, served the way moto_server serves it (werkzeug,
threaded), behind a WSGI layer that counts each request before moto sees it. GET /_bench/requests answers the count
so far and is not counted. Counting inside moto's process instead of in a proxy in front of it adds no hop, so both
tools' requests are counted the same way without slowing either.

Usage: counting_moto.py -H 127.0.0.1 -p PORT
"""
import argparse
import os
import threading

from moto.moto_server.threaded_moto_server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

REQUESTS_PATH = "/_bench/requests"


class Counting:
    """WSGI middleware: counts the requests it passes on to the application."""

    def __init__(self, application):
        self.application = application
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == REQUESTS_PATH:
            with self.lock:
                body = str(self.count).encode()
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        with self.lock:
            self.count += 1
        return self.application(environ, start_response)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))   # as moto_server sets it (moto builds some URLs with it)
    application = DomainDispatcherApplication(create_backend_app)
    application.debug = True   # as moto_server sets it
    run_simple(args.host, args.port, Counting(application), threaded=True)


if __name__ == "__main__":
    main()
