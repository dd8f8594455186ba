"""User agent strings: parsed once each, kept in a table, cached in front.

Parsing goes through the `user-agents` package's UserAgent, fed by
ua-parser's Rust resolver instead of the pure-Python regexes that
`user-agents` calls on its own: same regexes, same results (see
tests/test_activity_agents.py), ~25 µs for an unseen agent instead of
~700 µs or more (activity.benchmarks measures both). Parsing runs in the
writer, never in the request.
"""

import threading
from collections import OrderedDict
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

import user_agents
from ua_parser import OS as ParsedOS
from ua_parser import Device as ParsedDevice
from ua_parser import Domain, Resolver, load_lazy_builtins
from ua_parser import UserAgent as ParsedBrowser
from user_agents.parsers import parse_browser, parse_device, parse_operating_system

from activity.cleaning import printable
from activity.models import UserAgent

try:
    from ua_parser.regex import Resolver as RustResolver
except ImportError:  # ua-parser-rs missing: fall back to user-agents' own parse
    RustResolver = None

CACHE_SIZE = 10_000


class AgentParse(NamedTuple):
    browser_family: str
    browser_version: str
    os_family: str
    os_version: str


@cache
def rust_resolver() -> Resolver:
    # Building the resolver compiles the regexes: ~0.3 s, once per process.
    return RustResolver(load_lazy_builtins())


class RustUserAgent(user_agents.parsers.UserAgent):
    """user-agents' UserAgent, resolved by the Rust resolver.

    Only the browser and the OS are resolved, the two parts the store
    keeps; the device is left as "Other", which saves a third of the time.
    """

    def __init__(self, user_agent_string: str):
        result = rust_resolver()(user_agent_string, Domain.USER_AGENT | Domain.OS)
        browser = result.user_agent or ParsedBrowser()
        os = result.os or ParsedOS()
        device = ParsedDevice()
        self.ua_string = user_agent_string
        self.browser = parse_browser(
            browser.family, browser.major, browser.minor, browser.patch
        )
        self.os = parse_operating_system(os.family, os.major, os.minor, os.patch)
        self.device = parse_device(device.family, device.brand, device.model)


def parse_with(user_agent_class, string: str) -> AgentParse:
    agent = user_agent_class(string)
    return AgentParse(
        printable(agent.browser.family or "", 100),
        printable(agent.browser.version_string, 50),
        printable(agent.os.family or "", 100),
        printable(agent.os.version_string, 50),
    )


def parse_agent(string: str) -> AgentParse:
    """Browser and OS of a user agent string (already truncated and cleaned)."""
    if RustResolver is None:
        return parse_with(user_agents.parsers.UserAgent, string)
    return parse_with(RustUserAgent, string)


class AgentCache:
    """Maps user agent strings to UserAgent row ids, most recent kept.

    Misses are looked up in the table; strings never seen are parsed and
    added. Safe to share between threads (the synchronous write mode writes
    from request threads).
    """

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._ids: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def ids_for(self, strings: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        missing: set[str] = set()
        with self._lock:
            for string in strings:
                agent_id = self._ids.get(string)
                if agent_id is None:
                    missing.add(string)
                else:
                    self._ids.move_to_end(string)
                    found[string] = agent_id
        if missing:
            fetched = agent_ids_fetch(missing)
            found.update(fetched)
            self._remember(fetched)
        return found

    def clear(self) -> None:
        with self._lock:
            self._ids.clear()

    def _remember(self, ids: dict[str, int]) -> None:
        with self._lock:
            self._ids.update(ids)
            while len(self._ids) > self.size:
                self._ids.popitem(last=False)


def agent_ids_fetch(strings: set[str]) -> dict[str, int]:
    """Row ids for these strings, adding a parsed row for each one not stored."""
    ids = dict(UserAgent.objects.filter(string__in=strings).values_list("string", "id"))
    new = strings - ids.keys()
    if new:
        # Another process may add the same agent meanwhile: ignore_conflicts
        # keeps its row, and the lookup below finds it either way.
        UserAgent.objects.bulk_create(
            [
                UserAgent(string=string, **parse_agent(string)._asdict())
                for string in new
            ],
            ignore_conflicts=True,
        )
        ids.update(UserAgent.objects.filter(string__in=new).values_list("string", "id"))
    return ids


agent_cache = AgentCache()
