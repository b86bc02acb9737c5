"""Every path of automatic assignment (optimum, draw, backups) against brute force on small random
rounds: the rules (loads within [min, max] counting held tasks, no conflicts, at most one expert per
authority counting the experts an application already has, every place filled), feasibility
agreement, the draw's preference for domain experts and its lots, and the reasons given for experts
left out."""

import itertools
import random
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yanxiu.reviews.domain import matching as m

# --- an independent reading of the rules ----------------------------------------------------------


def allowed(problem, application, expert):
    if (application.id, expert.id) in problem.forbidden:
        return False
    return not (
        problem.one_per_authority
        and expert.authority_id is not None
        and expert.authority_id in application.held_authorities
    )


def solutions(problem):
    """Every assignment that keeps the rules (tiny rounds only). A round with no place to fill is a
    no-op, whatever the minimum load (nothing is assigned, nothing refused)."""
    if all(a.need <= 0 for a in problem.applications):
        yield []
        return
    per_application = []
    for application in problem.applications:
        candidates = [e for e in problem.experts if allowed(problem, application, e)]
        options = []
        for chosen in itertools.combinations(candidates, max(application.need, 0)):
            authorities = [e.authority_id for e in chosen if e.authority_id is not None]
            if problem.one_per_authority and len(set(authorities)) != len(authorities):
                continue
            options.append([(application.id, e.id) for e in chosen])
        per_application.append(options)
    for choice in itertools.product(*per_application):
        pairs = [pair for option in choice for pair in option]
        load = Counter({e.id: e.load for e in problem.experts})
        load.update(e for _, e in pairs)
        if all(problem.min_load <= load[e.id] <= problem.max_load for e in problem.experts):
            yield sorted(pairs)


def broken_rules(problem, pairs):
    """Every rule the assignment breaks, in words (empty when it keeps them all)."""
    if all(a.need <= 0 for a in problem.applications):
        return [] if pairs == [] else ["assigned where nothing was needed"]
    broken = []
    if len(set(pairs)) != len(pairs):
        broken.append("a pair twice")
    load = Counter({e.id: e.load for e in problem.experts})
    load.update(e for _, e in pairs)
    broken.extend(
        f"load {load[e.id]} of {e.id} outside [{problem.min_load}, {problem.max_load}]"
        for e in problem.experts
        if not problem.min_load <= load[e.id] <= problem.max_load
    )
    per_application = defaultdict(list)
    for application_id, expert_id in pairs:
        per_application[application_id].append(problem.expert(expert_id))
        if (application_id, expert_id) in problem.forbidden:
            broken.append(f"conflict {application_id}-{expert_id}")
    for application in problem.applications:
        experts = per_application[application.id]
        if len(experts) != max(application.need, 0):
            broken.append(f"{application.id} has {len(experts)} of {application.need}")
        if problem.one_per_authority:
            authorities = [e.authority_id for e in experts if e.authority_id is not None]
            authorities += list(application.held_authorities)
            if len(set(authorities)) != len(authorities):
                broken.append(f"{application.id} has two experts of one authority")
    return broken


def lot_sum(problem, seed, pairs):
    lots = {}
    order = sorted(e.id for e in problem.experts)
    for application in problem.applications:
        shuffled = list(order)
        random.Random(f"{seed}:{application.id}").shuffle(shuffled)
        lots[application.id] = {e: n for n, e in enumerate(shuffled)}
    return sum(lots[a][e] for a, e in pairs)


def domain_pairs(problem, pairs):
    return sum(m.domain_match(problem.application(a), problem.expert(e)) for a, e in pairs)


# --- random small rounds -------------------------------------------------------------------------


@st.composite
def rounds(draw):
    n_apps = draw(st.integers(1, 3))
    n_experts = draw(st.integers(2, 5))
    authorities = draw(st.lists(st.sampled_from([None, 1, 2, 3]), min_size=n_experts, max_size=n_experts))
    experts = [
        m.ExpertNode(
            id=100 + i,
            primary_domain_id=(domain := draw(st.integers(1, 3))),
            domain_ids=frozenset({domain} | set(draw(st.lists(st.integers(1, 3), max_size=1)))),
            authority_id=authorities[i],
            load=draw(st.integers(0, 1)),
            keywords=tuple(draw(st.lists(st.sampled_from(["数据", "大数据", "AI", "种业"]), max_size=2))),
            label=f"专家{i}",
        )
        for i in range(n_experts)
    ]
    applications = [
        m.AppNode(
            id=i + 1,
            need=draw(st.integers(0, 2)),
            domain_id=draw(st.integers(1, 3)),
            text=draw(st.sampled_from(["大数据平台", "AI种业", "数据治理与大数据", "maintain"])),
            held_authorities=frozenset(draw(st.sets(st.sampled_from([1, 2, 3]), max_size=1))),
            label=f"申报{i + 1}",
            domain_label=f"领域{i + 1}",
        )
        for i in range(n_apps)
    ]
    forbidden = draw(st.sets(st.tuples(st.integers(1, n_apps), st.sampled_from([e.id for e in experts])), max_size=3))
    max_load = draw(st.integers(1, 3))
    return m.Problem(
        applications,
        experts,
        forbidden,
        min_load=draw(st.integers(0, 2)),
        max_load=max_load,
        one_per_authority=draw(st.booleans()),
    )


@settings(max_examples=200, deadline=None, derandomize=True)
@given(rounds(), st.sampled_from(["2026-一轮-17", "seed-2"]))
def test_the_draw_keeps_every_rule_and_refuses_exactly_when_brute_force_finds_nothing(problem, seed):
    found = list(solutions(problem))
    if not found:
        with pytest.raises(m.Infeasible):
            m.draw(problem, seed)
        with pytest.raises(m.Infeasible):
            m.solve_optimal(problem)
        assert not m.feasible(problem)
        return
    pairs, reserves = m.draw(problem, seed, backups=2)
    assert broken_rules(problem, pairs) == []
    # Domain experts first: as many domain pairs as any assignment has; then the smallest lots.
    best_domain = max(domain_pairs(problem, s) for s in found)
    assert domain_pairs(problem, pairs) == best_domain
    assert lot_sum(problem, seed, pairs) == min(
        lot_sum(problem, seed, s) for s in found if domain_pairs(problem, s) == best_domain
    )
    assert m.draw(problem, seed, backups=2) == (pairs, reserves)  # replayable
    assert_backups_keep_the_rules(problem, pairs, reserves)
    optimum = m.solve_optimal(problem)
    assert broken_rules(problem, optimum) == []
    assert m.total_affinity(problem, optimum) == max(m.total_affinity(problem, s) for s in found)
    assert_backups_keep_the_rules(problem, optimum, m.backups_for(problem, optimum, 2))
    assert m.feasible(problem)


def assert_backups_keep_the_rules(problem, pairs, reserves):
    load = Counter({e.id: e.load for e in problem.experts})
    load.update(e for _, e in pairs)
    for application in problem.applications:
        mine = {e for a, e in pairs if a == application.id}
        authorities = {problem.expert(e).authority_id for e in mine} - {None}
        valid = {
            e.id
            for e in problem.experts
            if allowed(problem, application, e)
            and e.id not in mine
            and load[e.id] < problem.max_load
            and not (problem.one_per_authority and e.authority_id in authorities)
        }
        backups = reserves[application.id]
        assert set(backups) <= valid
        assert len(backups) == min(2, len(valid))
        # Calling any one of them after an expert of the application withdraws keeps the maximum and
        # the spread rule (the withdrawn expert's own load may drop below the minimum: their choice).
        for backup in backups:
            assert load[backup] + 1 <= problem.max_load


@settings(max_examples=150, deadline=None, derandomize=True)
@given(rounds())
def test_reasons_for_experts_left_out_are_true(problem):
    if not list(solutions(problem)):
        return
    for method, pairs in (("draw", m.draw(problem, "r")[0]), ("optimal", m.solve_optimal(problem))):
        used = {e for _, e in pairs}
        reasons = m.why_left_out(problem, pairs, method)
        assert set(reasons) == {e.id for e in problem.experts} - used
        for expert_id, reason in reasons.items():
            expert = problem.expert(expert_id)
            open_ = [
                a
                for a in problem.applications
                if a.need > 0 and allowed(problem, a, expert) and expert.load < problem.max_load
            ]
            assert ("达到任务上限" in reason) == (expert.load >= problem.max_load)
            if method == "draw":
                in_domain = sum(1 for a in open_ if m.domain_match(a, expert))
                assert ("领域相符申报的抽取" in reason) == (in_domain > 0)
                if in_domain:
                    assert f"参加了{in_domain}项领域相符申报的抽取，均未抽中" in reason
                assert "匹配度" not in reason
            elif "其他专家的匹配度更高" in reason:
                chosen = defaultdict(list)
                for a, e in pairs:
                    chosen[a].append(m.affinity(problem.application(a), problem.expert(e)))
                assert open_
                assert all(min(chosen[a.id]) > m.affinity(a, expert) for a in open_)


def test_the_draw_meets_minimum_loads_the_old_draw_ignored():
    # Application 1 draws first; without the minimum nobody would give expert 102 a task.
    problem = m.Problem(
        [m.AppNode(id=i, need=1, domain_id=1) for i in (1, 2, 3)],
        [m.ExpertNode(id=100 + i, primary_domain_id=1, domain_ids=frozenset({1})) for i in range(3)],
        min_load=1,
        max_load=3,
    )
    pairs, _ = m.draw(problem, "x")
    assert sorted(Counter(e for _, e in pairs).values()) == [1, 1, 1]


def test_the_draw_fills_a_round_a_greedy_draw_could_not():
    # Expert 100 fits both applications, 101 only the first: taking 100 for the first strands the second.
    problem = m.Problem(
        [m.AppNode(id=1, need=1, domain_id=1), m.AppNode(id=2, need=1, domain_id=1)],
        [m.ExpertNode(id=100 + i, primary_domain_id=1, domain_ids=frozenset({1})) for i in range(2)],
        forbidden={(2, 101)},
        max_load=1,
    )
    for seed in ("a", "b", "c", "d"):
        assert m.draw(problem, seed)[0] == [(1, 101), (2, 100)]


def test_the_draw_takes_the_domain_experts_there_are_and_others_only_for_the_rest():
    problem = m.Problem(
        [m.AppNode(id=1, need=3, domain_id=1)],
        [
            m.ExpertNode(id=100 + i, primary_domain_id=1 if i < 2 else 2, domain_ids=frozenset({1 if i < 2 else 2}))
            for i in range(6)
        ],
        max_load=3,
    )
    for seed in ("a", "b", "c"):
        pairs, _ = m.draw(problem, seed)
        chosen = {e for _, e in pairs}
        assert {100, 101} <= chosen
        assert len(chosen) == 3


def test_the_spread_rule_counts_the_experts_an_application_already_has():
    problem = m.Problem(
        [m.AppNode(id=1, need=1, domain_id=1, held_authorities=frozenset({5}))],
        [
            m.ExpertNode(id=100, primary_domain_id=1, domain_ids=frozenset({1}), authority_id=5),
            m.ExpertNode(id=101, primary_domain_id=2, domain_ids=frozenset({2}), authority_id=6),
        ],
        one_per_authority=True,
    )
    assert m.solve_optimal(problem) == [(1, 101)]  # 100 knows the domain better, but 5 is taken
    assert m.draw(problem, "s")[0] == [(1, 101)]


def test_keywords_count_once_and_as_whole_latin_words():
    assert m.keyword_hits("大数据平台建设", ("大数据", "数据", "大数据")) == 1
    assert m.keyword_hits("大数据平台与数据治理", ("大数据", "数据")) == 2
    assert m.keyword_hits("maintain the main line", ("AI", "ai")) == 0
    assert m.keyword_hits("面向AI应用", ("ai",)) == 1
    expert = m.ExpertNode(id=1, keywords=("种业", "种业", "种业", "种业"))
    assert m.affinity(m.AppNode(id=1, need=1, text="现代种业"), expert) == m.KEYWORD


def test_the_default_maximum_is_an_even_share_plus_a_fifth_and_loosened_only_when_needed():
    problem = m.Problem(
        [m.AppNode(id=i, need=3, domain_id=1) for i in range(1, 51)],
        [m.ExpertNode(id=100 + i, primary_domain_id=1 if i < 3 else 2) for i in range(10)],
    )
    assert problem.even_share() == 15
    assert m.default_max_load(problem) == 18
    problem.max_load = 18
    assert m.loosen_max_load(problem) == 18
    loads = Counter(e for _, e in m.solve_optimal(problem))
    assert max(loads.values()) == 18  # the three domain experts, at the cap
    assert min(loads.values()) == 13  # the other seven share the other 96 evenly (13 or 14 each)
    # Six places, three experts: a share of 2, the default 3; with expert 102 conflicted everywhere
    # 3 still suffices, with 101 too the maximum is loosened to 6 (one expert takes every place).
    tight = m.Problem(
        [m.AppNode(id=i, need=1) for i in range(1, 7)],
        [m.ExpertNode(id=100 + i) for i in range(3)],
        forbidden={(a, 102) for a in range(1, 7)},
        max_load=m.default_max_load(
            m.Problem([m.AppNode(id=i, need=1) for i in range(1, 7)], [m.ExpertNode(id=100 + i) for i in range(3)])
        ),
    )
    assert tight.max_load == 3
    assert m.loosen_max_load(tight) == 3
    tighter = m.Problem(
        tight.applications, tight.experts, {(a, e) for a in range(1, 7) for e in (101, 102)}, max_load=3
    )
    assert m.loosen_max_load(tighter) == 6
