"""Expert assignment at a real year's scale: 5,000 applications, 300 experts, 3 experts each.

Prints the solve time of the optimal assignment (min-cost flow) and of a random draw, and the
total affinity of each against the previous greedy method and against the upper bound.

    .venv/bin/python bench/assignment.py
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yanxiu.reviews.domain import matching as m

APPLICATIONS, EXPERTS, PER_APPLICATION, DOMAINS, AUTHORITIES = 5000, 300, 3, 40, 20
WORDS = [
    "人工智能",
    "大数据",
    "集成电路",
    "种业",
    "海洋",
    "新材料",
    "新能源",
    "智能制造",
    "文物",
    "医学",
    "生态",
    "数字",
]


def world(seed=2026):
    rng = random.Random(seed)
    experts = []
    for i in range(EXPERTS):
        primary = rng.randrange(DOMAINS)
        experts.append(
            m.ExpertNode(
                id=10_000 + i,
                primary_domain_id=primary,
                domain_ids=frozenset({primary, rng.randrange(DOMAINS)}),
                keywords=tuple(rng.sample(WORDS, 2)),
                authority_id=rng.randrange(AUTHORITIES),
            )
        )
    applications = [
        m.AppNode(
            id=i + 1,
            need=PER_APPLICATION,
            domain_id=rng.randrange(DOMAINS),
            authority_id=rng.randrange(AUTHORITIES),
            text="".join(rng.sample(WORDS, 3)),
        )
        for i in range(APPLICATIONS)
    ]
    # Same authority as the host: avoid (the rule the system applies).
    forbidden = {(a.id, e.id) for a in applications for e in experts if a.authority_id == e.authority_id}
    max_load = -(-APPLICATIONS * PER_APPLICATION // EXPERTS) + 5
    return m.Problem(applications, experts, forbidden, max_load=max_load)


def timed(function, *args, repeat=3, **kwargs):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def main():
    problem = world()
    bound = m.upper_bound(problem)
    greedy, greedy_s = timed(m.greedy, problem, repeat=1)
    optimal, optimal_s = timed(m.solve_optimal, problem, repeat=3)
    (drawn, _), draw_s = timed(m.draw, problem, "bench-2026", repeat=3)
    g, o, d = (m.total_affinity(problem, pairs) for pairs in (greedy, optimal, drawn))
    print(
        f"expert assignment: {APPLICATIONS} applications × {PER_APPLICATION}, {EXPERTS} experts, max load {problem.max_load}"
    )
    print(
        f"  optimal (min-cost flow): {optimal_s:.2f} s median of 3; affinity {o} = {o / g:.3f} × greedy, {o / bound:.3f} × bound"
    )
    print(
        f"  random draw:             {draw_s:.2f} s median of 3; affinity {d} = {d / g:.3f} × greedy, {d / bound:.3f} × bound"
    )
    print(
        f"  greedy (previous):       {greedy_s:.2f} s; affinity {g}; {len(greedy)} of {APPLICATIONS * PER_APPLICATION} tasks assigned"
    )
    report = m.quality(problem, optimal)
    print(f"  optimal: {report.domain_matched} of {APPLICATIONS} applications with every expert in their domain")


if __name__ == "__main__":
    main()
