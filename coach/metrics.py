"""What the service exposes at /metrics, in Prometheus' format (prometheus-client).

Each app gets its own registry (several apps in one process, as in the tests, never share
counters). Gauges whose value lives elsewhere (live sessions, the CPU worker's queue) are read
when scraped.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]

# Time to the first piece of a reply: a model's first token, or the offline coach's first words.
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.sessions_started = Counter("coach_sessions_started", "Interviews started", ["mode"], registry=r)
        self.sessions_ended = Counter("coach_sessions_ended", "Interviews graded", ["grader"], registry=r)
        self.connections = Gauge("coach_connections_open", "Websocket connections open now", registry=r)
        self.sessions_live = Gauge("coach_sessions_live", "Sessions held in this process's memory now", registry=r)
        self.turns = Counter("coach_turns", "Interviewer replies, by who produced them", ["source"], registry=r)
        self.first_delta = Histogram(
            "coach_first_delta_seconds", "From a candidate's turn being stored to the first piece of the reply", buckets=_LATENCY_BUCKETS, registry=r
        )
        self.provider_calls = Counter("coach_provider_calls", "Model calls, by kind (stream or complete) and outcome", ["kind", "outcome"], registry=r)
        self.provider_errors = Counter("coach_provider_errors", "Failed or refused model calls, by reason", ["reason"], registry=r)
        self.tokens = Counter("coach_llm_tokens", "LLM tokens used, as the server reported them or estimated", ["type"], registry=r)
        self.cost = Counter("coach_llm_cost_usd", "LLM cost in US dollars, where the model's price is known", registry=r)
        self.cpu_queue = Gauge("coach_cpu_queue_depth", "Jobs waiting for a CPU lane (quick: turn by turn; heavy: long turns, grading)", ["lane"], registry=r)
        self.provider_state = Gauge("coach_provider_up", "1 while the model provider is not in a cool-down (absent offline)", registry=r)

    def watch(self, *, live: Callable[[], int], cpu_queue: dict[str, Callable[[], int]], provider_up: Callable[[], float] | None) -> None:
        """Read these gauges from their owners when scraped."""
        self.sessions_live.set_function(live)
        for lane, depth in cpu_queue.items():
            self.cpu_queue.labels(lane).set_function(depth)
        if provider_up is not None:
            self.provider_state.set_function(provider_up)

    def usage(self, prompt_tokens: int, completion_tokens: int, cost_usd: float) -> None:
        self.tokens.labels("prompt").inc(prompt_tokens)
        self.tokens.labels("completion").inc(completion_tokens)
        self.cost.inc(cost_usd)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
