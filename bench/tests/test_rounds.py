"""The benchmark pools a page's rounds into one set of figures."""

from bench.run import _pooled, _stats


def test_rounds_are_pooled_sample_by_sample():
    first = {"samples": [0.1, 0.2, 0.3], "elapsed": 2.0, "errors": ["x: HTTP 500"], "error_count": 1}
    second = {"samples": [0.4, 0.5], "elapsed": 3.0, "errors": [], "error_count": 0}
    pooled = _pooled([first, second])
    assert pooled["page"] == _stats([0.1, 0.2, 0.3, 0.4, 0.5], 5.0)
    assert pooled["page"]["p50"] == 300.0  # the median of all five, not a mean of the rounds' medians
    assert pooled["page"]["rps"] == 1.0
    assert (pooled["errors"], pooled["error_count"]) == (["x: HTTP 500"], 1)
