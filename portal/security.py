"""Security headers for every response, from one place (the CSP is a dict serialised once); no file uploads
anywhere; trusted hosts only."""
from urllib.parse import urlsplit

from flask import abort, request

from portal.logs import security_event

CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"


def csp_header(policy=CSP):
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


def security_headers(debug):
    """The exact headers every response carries; HSTS only outside debug (a dev server is plain HTTP)."""
    headers = {
        "Content-Security-Policy": csp_header(),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        # same-origin, not no-referrer: Flask-WTF's HTTPS CSRF check needs the same-origin Referer,
        # and other sites must never learn that a visitor came from this portal.
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if not debug:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def init_app(app):
    fixed = [(name.lower(), name, value) for name, value in security_headers(app.debug).items()]

    def no_file_uploads():
        # No form of this site takes a file. A multipart file part in a text field would reach the field's
        # cleaning as a FileStorage object (review F-9): refuse the request before any view sees it.
        if request.method == "POST" and request.mimetype == "multipart/form-data" and request.files:
            security_event("file_part_refused", endpoint=request.endpoint)
            abort(400)

    # First of all before-request hooks, ahead of the CSRF check, which would read the file part as a field.
    app.before_request_funcs.setdefault(None, []).insert(0, no_file_uploads)

    @app.after_request
    def add_security_headers(response):
        # A header the view set itself wins. One pass over the list: werkzeug's `Headers.setdefault` raises
        # and catches a KeyError per missing header, which was a tenth of a cached page's cost.
        present = {key.lower() for key, _ in response.headers}
        for lower, name, value in fixed:
            if lower not in present:
                response.headers.add(name, value)
        if response.mimetype.startswith("text/") and "charset" not in response.content_type:
            response.content_type = f"{response.mimetype}; charset=utf-8"
        return response


UNTRUSTED_HOST_BODY = ("Этот адрес сайта не обслуживается. Откройте сайт по его обычному адресу.\n").encode()


def guard_hosts(app):
    """Answer 400 before anything else runs when the Host header is not one of TRUSTED_HOSTS (when set).

    Outside Flask on purpose: a cached page is answered before Flask, and Flask itself, refusing a host
    while building its URL adapter, would fail again inside its own error page (url_for needs the host)."""
    hosts = app.config.get("TRUSTED_HOSTS")
    if not hosts:
        return
    from werkzeug.sansio.utils import host_is_trusted
    inner = app.wsgi_app
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(UNTRUSTED_HOST_BODY))),
               ("Cache-Control", "no-store"), *security_headers(app.debug).items()]

    def trusted_hosts_only(environ, start_response):
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not host_is_trusted(host, hosts):
            start_response("400 Bad Request", headers)
            return [UNTRUSTED_HOST_BODY]
        return inner(environ, start_response)

    app.wsgi_app = trusted_hosts_only


def apply_proxy_fix(app):
    """Behind nginx, take the client address from X-Forwarded-For (PORTAL_PROXY_FIX_X_FOR proxies deep).

    Without it every visitor shares nginx's address, so per-client rate limits would count the whole city
    as one client. gunicorn already trusts X-Forwarded-Proto from 127.0.0.1 (its `forwarded_allow_ips`)."""
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0)


def same_origin(headers, host_url, site_url):
    """Whether a POST comes from this site's own pages: Sec-Fetch-Site first, else an exact Origin match."""
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = headers.get("Origin")
    if not origin:
        return False
    allowed = set()
    for url in (host_url, site_url):
        parts = urlsplit(url or "")
        if parts.scheme and parts.netloc:
            allowed.add(f"{parts.scheme}://{parts.netloc}".lower())
    return origin.rstrip("/").lower() in allowed
