"""JSON over HTTP to a Runledger server (MLflow REST API + /api/2.0/runledger extensions).

One RestClient holds one keep-alive connection and is used by one thread at a time (it has a lock
anyway): a new TCP connection per request would cost more than encoding a 1000-metric batch.
"""
import http.client
import json
import random
import socket
import threading
import time
import urllib.parse

# What the server answers for a retryable condition (MLflow's client retries the same set).
RETRY_STATUSES = {408, 429, 500, 502, 503, 504}


class RunledgerError(Exception):
    """A request the server refused (4xx), or a client-side mistake such as an invalid key."""

    def __init__(self, message, error_code="INVALID_PARAMETER_VALUE", status=None):
        super().__init__(message)
        self.error_code = error_code
        self.status = status


class ServerUnavailable(RunledgerError):
    """No answer, or a retryable one (5xx, 429): worth retrying, then falling back to the spool."""

    def __init__(self, message, status=None):
        super().__init__(message, "TEMPORARILY_UNAVAILABLE", status)


class RestClient:
    def __init__(self, uri, token, timeout=30.0):
        parsed = urllib.parse.urlsplit(uri)
        if parsed.scheme not in ("http", "https"):
            raise RunledgerError("server URI must be http:// or https://, got %r" % uri)
        self.uri = uri.rstrip("/")
        self._https = parsed.scheme == "https"
        self._host = parsed.hostname or "127.0.0.1"
        self._port = parsed.port or (443 if self._https else 80)
        self._base = parsed.path.rstrip("/")
        self._headers = {"Authorization": "Bearer " + token} if token else {}
        self._timeout = timeout
        self._conn = None
        self._raw = None  # (socket, reader) of post_json_bytes
        self._host_header = self._host if parsed.port is None else "%s:%d" % (self._host, self._port)
        self._auth_line = "Authorization: Bearer %s\r\n" % token if token else ""
        self._lock = threading.Lock()

    def _connection(self):
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self._timeout)
        return self._conn

    def close(self):
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self._close_raw()

    def request(self, method, path, body=None, content_type="application/json", query=None, content_length=None):
        """Sends one request; returns the parsed JSON answer. `body` may be bytes, str, a file or a dict."""
        url = self._base + path
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        if isinstance(body, dict):
            body = json.dumps(body, allow_nan=False).encode("utf-8")
        elif isinstance(body, str):
            body = body.encode("utf-8")
        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = content_type
        if content_length is not None:  # a file body: without it http.client would send it chunked
            headers["Content-Length"] = str(content_length)
        with self._lock:
            # A keep-alive connection the server closed while idle fails on first use; that request
            # never reached the server, so one immediate retry on a fresh connection is safe.
            for attempt in (0, 1):
                conn = self._connection()
                try:
                    if hasattr(body, "seek"):
                        body.seek(0)
                    conn.request(method, url, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    break
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as err:
                    conn.close()
                    self._conn = None
                    if attempt == 1:
                        raise ServerUnavailable("%s %s: %s" % (method, path, err))
                except (OSError, http.client.HTTPException, socket.timeout) as err:
                    conn.close()
                    self._conn = None
                    raise ServerUnavailable("%s %s: %s" % (method, path, err))
        return _answer(method, path, resp.status, data)

    def post_json_bytes(self, path, body):
        """The log-batch hot path: the whole request in one send on a TCP_NODELAY socket.

        http.client sends headers and body in two writes; each blocking call releases the GIL and then
        waits to get it back from a busy training thread, and the second small-then-large write can
        meet Nagle's algorithm. One write and one buffered read per request avoid both."""
        if self._https:
            return self.request("POST", path, body)
        head = "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n" % (
            self._base + path, self._host_header, len(body), self._auth_line)
        request = head.encode("latin-1") + body
        with self._lock:
            for attempt in (0, 1):
                fresh = self._raw is None
                try:
                    if fresh:
                        sock = socket.create_connection((self._host, self._port), timeout=self._timeout)
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        self._raw = (sock, sock.makefile("rb"))
                    sock, reader = self._raw
                    sock.sendall(request)
                    status, data, keep = _read_response(reader)
                    if not keep:
                        self._close_raw()
                    break
                except (OSError, ValueError) as err:
                    self._close_raw()
                    # A keep-alive socket the server closed while idle: the request never arrived.
                    if fresh or attempt == 1:
                        raise ServerUnavailable("POST %s: %s" % (path, err))
        return _answer("POST", path, status, data)

    def _close_raw(self):
        if self._raw is not None:
            sock, reader = self._raw
            self._raw = None
            reader.close()
            sock.close()

    def get(self, path, **query):
        return self.request("GET", path, query=query)

    def post(self, path, body):
        return self.request("POST", path, body)


def _read_response(reader):
    """(status, body, keep_alive) of one HTTP/1.1 response with a Content-Length (what the server sends)."""
    line = reader.readline(65537)
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ValueError("not an HTTP response: %r" % line[:80])
    status = int(parts[1])
    length, keep = None, parts[0] == b"HTTP/1.1"
    while True:
        h = reader.readline(65537)
        if h in (b"\r\n", b"\n", b""):
            break
        name, _, value = h.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"connection":
            keep = value.strip().lower() != b"close"
        elif name == b"transfer-encoding":
            raise ValueError("chunked responses are not expected here")
    data = reader.read(length) if length is not None else reader.read()
    if length is not None and len(data) != length:
        raise ValueError("response cut short")
    return status, data, keep and length is not None


def _answer(method, path, status, data):
    if status == 200:
        return json.loads(data.decode("utf-8")) if data else {}
    try:
        err = json.loads(data.decode("utf-8"))
        code, message = err.get("error_code", "INTERNAL_ERROR"), err.get("message", "")
    except (ValueError, AttributeError):
        code, message = "INTERNAL_ERROR", data[:200].decode("utf-8", "replace")
    text = "%s %s: HTTP %d %s: %s" % (method, path, status, code, message)
    if status in RETRY_STATUSES:
        raise ServerUnavailable(text, status)
    raise RunledgerError(text, code, status)


def with_retries(fn, deadline_s, sleep=time.sleep, first_delay=0.2, max_delay=5.0):
    """Calls fn() until it succeeds, a non-retryable error, or `deadline_s` has passed (then re-raises).

    Exponential backoff with jitter, so several clients that lost one server do not return in step.
    """
    start = time.monotonic()
    delay = first_delay
    while True:
        try:
            return fn()
        except ServerUnavailable:
            if time.monotonic() - start + delay > deadline_s:
                raise
            sleep(delay * (0.5 + random.random()))
            delay = min(max_delay, delay * 2)
