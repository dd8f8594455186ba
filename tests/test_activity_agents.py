"""User agents: the Rust resolver agrees with user-agents, and each is stored once."""

import pytest
import user_agents

from activity.agents import AgentCache, parse_agent, parse_with
from activity.models import PageView, UserAgent

# Browsers a school's families use, old and new, plus robots and oddities.
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like "
    "Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; CrOS x86_64 15633.69.0) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/119.0.6045.212 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.4.0",
    "python-requests/2.31.0",
    "",
    "\ufffd\ufffd nonsense \ufffd",
]


@pytest.mark.parametrize("string", AGENTS)
def test_the_rust_resolver_parses_like_user_agents_itself(string):
    assert parse_agent(string) == parse_with(user_agents.parsers.UserAgent, string)


def test_browser_version_and_os_are_parsed():
    parsed = parse_agent(AGENTS[0])

    assert parsed.browser_family == "Chrome"
    assert parsed.browser_version == "120.0.0"
    assert (parsed.os_family, parsed.os_version) == ("Windows", "10")


@pytest.mark.django_db
def test_each_distinct_agent_is_stored_once(client):
    for _ in range(3):
        client.get("/", HTTP_USER_AGENT=AGENTS[4])
    client.get("/", HTTP_USER_AGENT=AGENTS[5])

    assert UserAgent.objects.count() == 2
    assert PageView.objects.filter(user_agent__browser_family="Firefox").count() == 3


@pytest.mark.django_db
def test_a_huge_agent_is_cut_before_it_is_parsed_and_stored(client):
    client.get("/", HTTP_USER_AGENT="Mozilla/5.0 " + "A" * 70_000)

    assert len(UserAgent.objects.get().string) == UserAgent.MAX_LENGTH


@pytest.mark.django_db
def test_the_cache_finds_agents_without_the_database(django_assert_num_queries):
    cache = AgentCache()
    first = cache.ids_for({"curl/8.4.0"})

    with django_assert_num_queries(0):
        assert cache.ids_for({"curl/8.4.0"}) == first


@pytest.mark.django_db
def test_the_cache_forgets_the_least_recently_used_agent():
    cache = AgentCache(size=2)
    cache.ids_for({"a/1"})
    cache.ids_for({"b/1"})
    cache.ids_for({"a/1"})

    cache.ids_for({"c/1"})

    assert list(cache._ids) == ["a/1", "c/1"]


@pytest.mark.django_db
def test_an_agent_stored_by_another_process_is_found_not_duplicated():
    stored = UserAgent.objects.create(string="curl/8.4.0", browser_family="curl")

    assert AgentCache().ids_for({"curl/8.4.0"}) == {"curl/8.4.0": stored.pk}
