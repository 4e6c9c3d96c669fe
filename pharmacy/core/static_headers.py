"""WhiteNoise's add-headers hook (WHITENOISE_ADD_HEADERS_FUNCTION). Imported
by settings, so it imports nothing from Django."""


def static_file_headers(headers, path: str, url: str) -> None:
    """Static files are never sniffed as another type, whatever middleware
    does or does not run for them."""
    headers["X-Content-Type-Options"] = "nosniff"
