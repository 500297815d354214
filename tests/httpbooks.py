"""Lokalny serwer HTTP z „książkami” dla testów pobierania (bez internetu): wspólny dla testów
korpusu (``download_book``) i dalszego treningu (``llmkurs.finetune``)."""

from __future__ import annotations

import contextlib
import http.server
import threading


def book_handler(routes: dict[str, bytes]):
    """Klasa obsługi: ``routes`` to ścieżka → treść; inne ścieżki dają 404. ``hits`` liczy żądania."""

    class Handler(http.server.BaseHTTPRequestHandler):
        hits = 0

        def do_GET(self):  # noqa: N802
            type(self).hits += 1
            body = routes.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@contextlib.contextmanager
def serve(handler):
    """Uruchom serwer na wolnym porcie 127.0.0.1; daje adres folderu ``/ksiazki/``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/ksiazki/"
    finally:
        httpd.shutdown()
        httpd.server_close()
