"""The inferred state and its comparison: added, removed and changed statements with evidence."""

from __future__ import annotations

from archinfer.infer.state import Change, Entry, compare, dumps, loads
from archinfer.model import Loc


def test_compare_names_added_removed_and_changed() -> None:
    old = (Entry("8.2.1", "prod · Azure Cache for Redis r", "sku", "Standard", (Loc("main.tf", 42),)),
           Entry("7.2.1", "k8s · Deployment old", "replicas", "2", (Loc("k8s/old.yaml", 1),)))
    new = (Entry("8.2.1", "prod · Azure Cache for Redis r", "sku", "Premium", (Loc("main.tf", 42),)),
           Entry("7.2.1", "k8s · Deployment analytics", "replicas", "1", (Loc("k8s/analytics.yaml", 1),)))
    changes = compare(old, new)
    assert [c.describe() for c in changes] == [
        "7.2.1: k8s · Deployment analytics added (k8s/analytics.yaml:1)",
        "7.2.1: k8s · Deployment old removed (k8s/old.yaml:1)",
        "8.2.1: prod · Azure Cache for Redis r sku Standard -> Premium (main.tf:42)",
    ]
    assert compare(new, new) == ()


def test_state_file_round_trip_is_stable_and_line_per_entry() -> None:
    entries = (Entry("12.2.1", "prod · HPA api", "maxReplicas", "20", (Loc("k8s/hpa.yaml", 7),)),
               Entry("8.2.1", "dev · 캐시 r", "sku", "Basic", ()))
    text = dumps(entries)
    assert text == dumps(reversed(entries)) and text.count("\n") == 2
    assert loads(text) == tuple(sorted(entries))


def test_a_broken_state_file_is_an_error_with_its_line() -> None:
    try:
        loads('{"section": "8.2.1"}\n')
    except ValueError as exc:
        assert "line 1" in str(exc)
    else:
        raise AssertionError("no error")
    assert Change("changed", "1", "s", "p", "a", "b").describe() == "1: s p a -> b"
