"""The assignment optimiser on plain data: conflicts, loads, infeasibility explained, optimal against
greedy and against brute force, reproducible draws."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yanxiu.reviews.domain import matching as m


def experts(n, *, domains=None, authorities=None, load=0):
    return [
        m.ExpertNode(
            id=100 + i,
            domain_ids=frozenset([domains[i]]) if domains else frozenset(),
            primary_domain_id=domains[i] if domains else None,
            authority_id=authorities[i] if authorities else None,
            load=load,
            label=f"专家{i}",
        )
        for i in range(n)
    ]


def applications(n, need, *, domains=None, authorities=None):
    return [
        m.AppNode(
            id=i + 1,
            need=need,
            domain_id=domains[i] if domains else None,
            authority_id=authorities[i] if authorities else None,
            label=f"申报{i + 1}",
            domain_label=f"领域{domains[i]}" if domains else "",
        )
        for i in range(n)
    ]


def test_affinity_puts_the_domain_before_keywords():
    application = m.AppNode(id=1, need=1, domain_id=7, text="人工智能 大数据 工业互联网 集成电路")
    primary = m.ExpertNode(id=1, primary_domain_id=7, domain_ids=frozenset([7]))
    other = m.ExpertNode(id=2, primary_domain_id=3, domain_ids=frozenset([3, 7]))
    keywords = m.ExpertNode(id=3, keywords=("人工智能", "大数据", "工业互联网", "集成电路"))
    assert [m.affinity(application, e) for e in (primary, other, keywords)] == [100, 60, 30]


def test_conflicts_are_never_assigned_and_loads_stay_within_limits():
    problem = m.Problem(
        applications(4, 2, domains=[1, 1, 2, 2]),
        experts(5, domains=[1, 1, 2, 2, 1]),
        forbidden={(1, 100), (2, 100), (3, 102)},
        min_load=1,
        max_load=2,
    )
    pairs = m.solve_optimal(problem)
    assert not set(pairs) & problem.forbidden
    load = {e.id: sum(1 for _, x in pairs if x == e.id) for e in problem.experts}
    assert all(1 <= n <= 2 for n in load.values())
    assert all(sum(1 for a, _ in pairs if a == app.id) == 2 for app in problem.applications)


def test_at_most_one_expert_per_authority_when_asked():
    problem = m.Problem(
        applications(1, 2),
        experts(3, authorities=[5, 5, 6]),
        one_per_authority=True,
    )
    pairs = m.solve_optimal(problem)
    assert sorted(problem.expert(e).authority_id for _, e in pairs) == [5, 6]


def test_an_application_with_too_few_experts_is_explained_and_nothing_is_assigned():
    problem = m.Problem(
        applications(2, 3, domains=[1, 2]),
        experts(3, domains=[1, 1, 1]),
        forbidden={(2, 100)},
    )
    with pytest.raises(m.Infeasible) as refused:
        m.solve_optimal(problem)
    assert refused.value.reasons == [
        "“申报2”只有2位可分配的专家，少于所需的3位：请增加“领域2”领域的专家，或减少每项申报的评审专家人数。"
    ]


def test_total_capacity_and_minimum_loads_are_explained():
    problem = m.Problem(applications(3, 2), experts(2), max_load=2)
    with pytest.raises(m.Infeasible) as refused:
        m.solve_optimal(problem)
    assert refused.value.reasons[0].startswith("需要分配6人次，而专家任务上限之和只有4人次")
    problem = m.Problem(applications(1, 1), experts(3), min_load=1)
    with pytest.raises(m.Infeasible) as refused:
        m.solve_optimal(problem)
    assert refused.value.reasons == ["各专家最低任务量之和为3人次，多于待分配的1人次：请降低最低任务量。"]


def test_a_domain_competing_for_too_few_experts_is_named():
    # Each application alone has two eligible experts, but the three in 领域1 share the same two.
    problem = m.Problem(
        [*applications(3, 1, domains=[1, 1, 1]), m.AppNode(id=9, need=1, domain_id=2, domain_label="领域2")],
        experts(4, domains=[1, 1, 2, 2]),
        forbidden={(a, e) for a in (1, 2, 3) for e in (102, 103)},
        max_load=1,
    )
    with pytest.raises(m.Infeasible) as refused:
        m.solve_optimal(problem)
    assert refused.value.reasons == [
        "“领域1”领域的申报共需3人次，能评审它们的专家最多只能承担2人次：请增加“领域1”领域的专家或提高任务上限。"
    ]


def brute_force(problem):
    """The best total over every assignment that keeps the rules (tiny problems only)."""
    best = None
    per_app = []
    for application in problem.applications:
        options = list(itertools.combinations(problem.eligible(application), application.need))
        if problem.one_per_authority:
            options = [
                c
                for c in options
                if len({e.authority_id for e in c if e.authority_id}) == sum(1 for e in c if e.authority_id)
            ]
        per_app.append([(application, c) for c in options])
    for choice in itertools.product(*per_app):
        load = {e.id: e.load for e in problem.experts}
        for _, chosen in choice:
            for e in chosen:
                load[e.id] += 1
        if any(not problem.min_load <= n <= problem.max_load for n in load.values()):
            continue
        total = sum(m.affinity(app, e) for app, chosen in choice for e in chosen)
        best = total if best is None else max(best, total)
    return best


small = st.builds(
    lambda n_apps, n_experts, need, app_domains, expert_domains, forbidden, max_load, spread, authorities: m.Problem(
        applications(n_apps, need, domains=app_domains[:n_apps]),
        experts(n_experts, domains=expert_domains[:n_experts], authorities=authorities[:n_experts]),
        forbidden={(a, 100 + e) for a, e in forbidden if a <= n_apps and e < n_experts},
        max_load=max_load,
        one_per_authority=spread,
    ),
    st.integers(1, 3),
    st.integers(2, 5),
    st.integers(1, 2),
    st.lists(st.integers(1, 3), min_size=3, max_size=3),
    st.lists(st.integers(1, 3), min_size=5, max_size=5),
    st.sets(st.tuples(st.integers(1, 3), st.integers(0, 4)), max_size=4),
    st.integers(1, 3),
    st.booleans(),
    st.lists(st.sampled_from([None, 1, 2]), min_size=5, max_size=5),
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(small)
def test_the_optimum_equals_brute_force_and_beats_greedy(problem):
    best = brute_force(problem)
    if best is None:
        with pytest.raises(m.Infeasible):
            m.solve_optimal(problem)
        return
    pairs = m.solve_optimal(problem)
    assert m.total_affinity(problem, pairs) == best
    greedy = m.greedy(problem)
    if len(greedy) == len(pairs):
        assert m.total_affinity(problem, pairs) >= m.total_affinity(problem, greedy)
    else:
        assert len(greedy) < len(pairs)  # greedy left shortfalls where an assignment exists
    assert m.total_affinity(problem, pairs) <= m.upper_bound(problem)


def test_the_same_seed_draws_the_same_experts_and_another_seed_may_not():
    problem = m.Problem(applications(6, 2, domains=[1] * 6), experts(12, domains=[1] * 12), max_load=3)
    first, reserves = m.draw(problem, "2026-第一轮-8391", backups=2)
    again, reserves_again = m.draw(problem, "2026-第一轮-8391", backups=2)
    assert (first, reserves) == (again, reserves_again)
    others = {tuple(m.draw(problem, f"seed-{i}")[0]) for i in range(5)}
    assert len(others) > 1
    assert all(len(r) == 2 and not set(r) & {e for a, e in first if a == app} for app, r in reserves.items())


def test_the_draw_prefers_the_applications_domain():
    problem = m.Problem(applications(1, 2, domains=[1]), experts(6, domains=[1, 1, 2, 2, 2, 2]))
    pairs, _ = m.draw(problem, "x")
    assert sorted(e for _, e in pairs) == [100, 101]


def test_quality_reports_bound_matches_and_who_was_left_out():
    problem = m.Problem(
        applications(2, 1, domains=[1, 1]), experts(3, domains=[1, 1, 2]), forbidden={(1, 101)}, max_load=1
    )
    pairs = m.solve_optimal(problem)
    report = m.quality(problem, pairs)
    assert (report.total, report.bound, report.domain_matched) == (200, 200, 2)
    assert report.load_histogram == {1: 2, 0: 1}
    assert report.left_out == {102: "熟悉的领域与本轮申报均不相同，匹配度更高的专家优先。"}


def test_backups_are_the_best_unassigned_eligible_experts():
    problem = m.Problem(applications(1, 1, domains=[1]), experts(4, domains=[1, 2, 1, 2]), forbidden={(1, 102)})
    pairs = m.solve_optimal(problem)
    assert pairs == [(1, 100)]
    assert m.backups_for(problem, pairs, 2) == {1: [101, 103]}
