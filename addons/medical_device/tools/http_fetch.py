"""One HTTP GET with a timeout, retries and a proxy, for the suite's clients
(EUDAMED look-ups, vulnerability advisory feeds).

:func:`get` retries network errors, timeouts and server errors (5xx),
``backoff`` seconds apart (times the attempt number); a client error (4xx) is
not retried. TLS certificates are verified. Failures raise
:class:`FetchError` with a ``kind`` (``offline``, ``timeout``, ``http``,
``too_large``) and its parameters, which the model layer words in the user's
language. Pure of Odoo: the tests run it against a local ``http.server``.
"""

import time

import requests


class FetchError(Exception):
    """The server could not answer: ``kind`` is ``offline`` (no connection),
    ``timeout``, ``http`` (an error status, ``status``) or ``too_large``
    (``max_bytes``); ``params`` hold the details (url, attempts…)."""

    def __init__(self, kind, **params):
        super().__init__(f"{kind}: {params}")
        self.kind = kind
        self.params = params


def proxies(proxy):
    """The ``requests`` proxies of one proxy URL (``None``: none)."""
    return {"http": proxy, "https": proxy} if proxy else None


def get(
    url,
    params=None,
    *,
    session=None,
    timeout=10,
    retries=2,
    proxy=None,
    backoff=1.0,
    headers=None,
    not_found=False,
    max_bytes=None,
):
    """The ``requests.Response`` of ``GET url`` (its body read, at most
    ``max_bytes``), retrying network errors, timeouts and server errors.
    ``not_found``: a 404 returns ``None`` instead of raising."""
    session = session or requests.Session()
    attempts = max(0, int(retries or 0)) + 1
    for attempt in range(1, attempts + 1):
        last = attempt == attempts
        try:
            response = session.get(
                url,
                params=params,
                timeout=timeout,
                proxies=proxies(proxy),
                headers=headers or {},
                stream=bool(max_bytes),
                verify=True,
            )
            if max_bytes:
                _read(response, max_bytes, url)
        except requests.Timeout as error:
            if last:
                raise FetchError(
                    "timeout", url=url, timeout=timeout, attempts=attempts
                ) from error
        except requests.RequestException as error:
            if last:
                raise FetchError(
                    "offline", url=url, attempts=attempts, reason=str(error)
                ) from error
        else:
            if response.status_code == 404 and not_found:
                return None
            if response.status_code >= 500 and not last:
                _wait(backoff, attempt)
                continue
            if response.status_code >= 400:
                raise FetchError(
                    "http", url=url, status=response.status_code, attempts=attempt
                )
            return response
        _wait(backoff, attempt)
    raise FetchError("offline", url=url, attempts=attempts)  # pragma: no cover


def _read(response, max_bytes, url):
    """Read the body, refusing more than ``max_bytes`` (a wrong URL serving
    gigabytes must not fill the server's memory)."""
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=1 << 16):
        size += len(chunk)
        if size > max_bytes:
            response.close()
            raise FetchError("too_large", url=url, max_bytes=max_bytes)
        chunks.append(chunk)
    response._content = b"".join(chunks)  # what .content and .json() read


def _wait(backoff, attempt):
    if backoff:
        time.sleep(backoff * attempt)
