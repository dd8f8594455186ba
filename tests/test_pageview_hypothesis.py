"""Garbage thrown at the whole stack: every request is served, every stored
value is bounded and printable, and the history page shows it as text."""

import ipaddress
from io import BytesIO

import pytest
from django.test.client import ClientHandler
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from activity.ingest import METHOD_LENGTH, REFERRER_LENGTH, URL_LENGTH
from activity.middleware import skipped_prefixes
from activity.models import PageView, UserAgent
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

# Markup that must never come back out of the history page as markup.
MARKUP = ["<zz-evil>", '"><zz-img src=x onerror=alert(1)>', "</td><zz-b>"]


def as_wsgi(text: str) -> str:
    """Text as a WSGI server hands it over: its UTF-8 bytes, read as latin-1."""
    return text.encode("utf-8").decode("latin-1")


# Any bytes at all (not UTF-8, NUL, controls), any text, or markup.
raw_bytes = st.binary(max_size=300).map(lambda data: data.decode("latin-1"))
text = st.text(max_size=300).map(as_wsgi)
garbage = st.one_of(raw_bytes, text, st.sampled_from(MARKUP))
huge = st.builds(
    lambda piece, size: as_wsgi(piece * (size // len(piece) + 1))[:size],
    st.text(min_size=1, max_size=10),
    st.integers(min_value=10_000, max_value=70_000),
)
addresses = st.one_of(
    st.ip_addresses().map(str),
    st.sampled_from(["", "999.1.1.1", "::ffff:999.1.1.1", "1.2.3.4:80", "[::1]"]),
    garbage,
)


def wsgi_environ(
    *, method, path, query, user_agent, referrer, remote_addr, forwarded_for
):
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_USER_AGENT": user_agent,
        "HTTP_REFERER": referrer,
        "HTTP_X_FORWARDED_FOR": forwarded_for,
        "REMOTE_ADDR": remote_addr,
        "CONTENT_LENGTH": "0",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


requests = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE"]),
        "path": st.one_of(
            st.builds(lambda tail: "/" + tail, garbage),
            st.builds(lambda tail: "/items/" + tail + "\x00/", garbage),
            st.builds(lambda tail: "/" + tail, huge),
        ),
        "query": st.one_of(garbage, huge, st.just("token=s3cr3t&page=1")),
        "user_agent": st.one_of(garbage, huge),
        "referrer": st.one_of(garbage, huge),
        "remote_addr": addresses,
        "forwarded_for": st.one_of(garbage, huge),
    }
)


def send(environ) -> int:
    """The raw environ through the whole stack, as a WSGI server would hand it
    over (ClientHandler is WSGIHandler that keeps the test's connection)."""
    return ClientHandler(enforce_csrf_checks=True)(environ).status_code


def assert_bounded_and_printable(value, limit):
    assert isinstance(value, str)
    assert len(value) <= limit
    assert value.isprintable(), repr(value)


def assert_stored_view_is_clean(view: PageView):
    assert_bounded_and_printable(view.method, METHOD_LENGTH)
    assert_bounded_and_printable(view.url, URL_LENGTH)
    assert_bounded_and_printable(view.referrer, REFERRER_LENGTH)
    assert "s3cr3t" not in view.url
    if view.ip is not None:
        ipaddress.ip_address(view.ip)
    if view.user_agent_id is not None:
        agent = UserAgent.objects.get(pk=view.user_agent_id)
        assert_bounded_and_printable(agent.string, UserAgent.MAX_LENGTH)
        assert_bounded_and_printable(agent.browser_family, 100)
        assert_bounded_and_printable(agent.os_family, 100)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests)
def test_garbage_requests_are_served_and_stored_clean(request):
    assume(not request["path"].startswith(skipped_prefixes()))
    before = set(PageView.objects.values_list("pk", flat=True))

    status = send(wsgi_environ(**request))

    assert status < 500
    new = PageView.objects.exclude(pk__in=before)
    assert new.count() == 1
    assert_stored_view_is_clean(new.get())


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests, markup=st.sampled_from(MARKUP))
def test_the_history_page_shows_garbage_as_text(admin_client, request, markup):
    customer = CustomerFactory()
    request = {
        **request,
        "path": "/" + markup,
        "referrer": "http://x/" + markup,
        "user_agent": markup,
    }
    send(wsgi_environ(**request))
    PageView.objects.filter(user__isnull=True).update(user=customer.user)

    response = admin_client.get(
        reverse("activity:navigation_history", args=[customer.pk])
    )
    assert response.status_code == 200
    assert b"<zz-" not in response.content
    assert b"&lt;zz-" in response.content
