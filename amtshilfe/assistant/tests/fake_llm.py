"""A small OpenAI-compatible chat server on 127.0.0.1 for the language-model tests.

It records every request (headers and JSON body) and answers according to ``mode``:

- ``"cite"`` (default): a fixed answer citing [1] and an invented [7];
- ``"echo"``: the user message back (shows what the model was given) with [1];
- ``"reply"``: ``reply`` as it is;
- ``"sleep"``: waits ``delay`` seconds before answering (timeouts);
- ``"error"``: HTTP 500;
- ``"garbage"``: 200 with a body that is not JSON.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

CITING_ANSWER = (
    "1. Öffnen Sie die Einstellungen [1].\n"
    "2. Wählen Sie den Drucker [7].\n"
    "3. Drucken Sie eine Testseite [1, 9]."
)


@dataclass
class FakeLlm:
    url: str = ""
    mode: str = "cite"
    reply: str = ""
    delay: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def last(self) -> dict[str, Any]:
        return self.requests[-1]

    def sent_text(self) -> str:
        """Everything the model was sent, as one string."""
        return "\n".join(
            message["content"] for request in self.requests for message in request["messages"]
        )


def _handler(fake: FakeLlm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.requests.append({"path": self.path, "headers": dict(self.headers.items()), **body})
            if fake.mode == "error":
                self._send(500, b'{"error": "boom"}')
                return
            if fake.mode == "garbage":
                self._send(200, b"<html>kein JSON</html>")
                return
            if fake.mode == "sleep":
                time.sleep(fake.delay)
            if fake.mode == "echo":
                content = "Laut Quelle [1]:\n\n" + body["messages"][-1]["content"]
            elif fake.mode == "reply":
                content = fake.reply
            else:
                content = CITING_ANSWER
            payload = {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "model": body.get("model", ""),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
            }
            self._send(200, json.dumps(payload).encode())

        def _send(self, status: int, data: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

    return Handler


@pytest.fixture(name="fake_llm")
def fake_llm_fixture(settings: Any, tmp_path: Any) -> Iterator[FakeLlm]:
    """The fake server, running, with the settings pointing at it (key in a file)."""
    fake = FakeLlm()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    key_file = tmp_path / "llm-key"
    key_file.write_text("geheimer-schluessel-123\n", encoding="utf-8")
    settings.AMTSHILFE_LLM_URL = fake.url
    settings.AMTSHILFE_LLM_MODEL = "test-model"
    settings.AMTSHILFE_LLM_API_KEY_FILE = str(key_file)
    settings.AMTSHILFE_LLM_TIMEOUT = 2
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
