"""The Content-Security-Policy of every response (grants_office.core.middleware), as settings read it:
our own origin only, no inline script or style; the middleware adds the S3 endpoint of
STORAGES["default"] to connect-src (browsers upload documents straight to storage), derived from the same
options that sign the upload URLs."""

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
# Swagger UI (the API docs) sets inline styles; its script still comes from a file.
EXCEPTIONS = {"/api/docs/": {"style-src": ["'self'", "'unsafe-inline'"]}}
