"""Expert assignment as an optimisation, over plain data (no database here).

A round asks for N experts per application, each expert between a minimum
and a maximum load, never a conflicted pair, and (optionally) at most one
expert of the same authority on an application. Among all assignments that
satisfy this, `solve_optimal` finds one of maximum total affinity, as a
min-cost flow (OR-Tools), the way OpenReview's matcher and HotCRP's
autoassigner do:

    source ─need─▶ application ─1, −affinity─▶ [authority group ─1─▶] expert ─(max−min)─▶ sink

Minimum loads are lower bounds on the expert → sink arcs, written as node
demands so the flow is feasible only if every expert gets them. When no
assignment exists, `Infeasible` says why in Chinese and what to change; there
is never a partial result.

Affinity puts the professional domain first and keyword overlap second:
the expert's primary domain scores 100, another of their domains 60, and each
of the expert's keywords found in the application's text 10 (at most 30), so
no keyword overlap outweighs a domain match.

`draw` is the alternative the office may choose (NSFC practice): a random draw
from the eligible experts of the application's domain, reproducible from its
seed. `greedy` is the previous method (least-loaded first), kept to compare.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

PRIMARY_DOMAIN = 100
OTHER_DOMAIN = 60
KEYWORD = 10
MAX_KEYWORDS = 3
BALANCE_ARCS = 200  # unit arcs per expert for the load-balancing costs; beyond that one arc


@dataclass(frozen=True)
class AppNode:
    id: int
    need: int  # experts still to assign
    domain_id: int | None = None
    authority_id: int | None = None
    text: str = ""  # title, purpose, topic explanations: where keywords are looked for
    label: str = ""
    domain_label: str = ""


@dataclass(frozen=True)
class ExpertNode:
    id: int
    domain_ids: frozenset = frozenset()
    primary_domain_id: int | None = None
    keywords: tuple = ()
    authority_id: int | None = None
    load: int = 0  # tasks already held in this round
    label: str = ""


@dataclass
class Problem:
    applications: list
    experts: list
    forbidden: set = field(default_factory=set)  # (application id, expert id): conflicts and existing pairs
    min_load: int = 0
    max_load: int = 10
    one_per_authority: bool = False

    def __post_init__(self):
        self._experts = {e.id: e for e in self.experts}
        self._applications = {a.id: a for a in self.applications}

    def expert(self, expert_id):
        return self._experts[expert_id]

    def application(self, application_id):
        return self._applications[application_id]

    def capacity(self, expert):
        return max(0, self.max_load - expert.load)

    def minimum(self, expert):
        return max(0, self.min_load - expert.load)

    def eligible(self, application):
        return [e for e in self.experts if (application.id, e.id) not in self.forbidden and self.capacity(e) > 0]

    def distinct_eligible(self, application):
        """How many experts the application could get at most (the spread rule counts an authority once)."""
        experts = self.eligible(application)
        if not self.one_per_authority:
            return len(experts)
        groups = {e.authority_id for e in experts if e.authority_id is not None}
        return len(groups) + sum(1 for e in experts if e.authority_id is None)


def affinity(application, expert):
    score = 0
    if application.domain_id is not None:
        if application.domain_id == expert.primary_domain_id:
            score += PRIMARY_DOMAIN
        elif application.domain_id in expert.domain_ids:
            score += OTHER_DOMAIN
    hits = sum(1 for word in expert.keywords if word and word in application.text)
    return score + KEYWORD * min(hits, MAX_KEYWORDS)


def domain_match(application, expert):
    return application.domain_id is not None and (
        application.domain_id == expert.primary_domain_id or application.domain_id in expert.domain_ids
    )


class Infeasible(Exception):
    """No assignment satisfies the round's rules; `reasons` say why and what to change (Chinese)."""

    def __init__(self, reasons):
        super().__init__("；".join(reasons))
        self.reasons = reasons


# --- the optimum ---------------------------------------------------------------------------


def solve_optimal(problem):
    """[(application id, expert id)] of maximum total affinity, or raise Infeasible."""
    needing = [a for a in problem.applications if a.need > 0]
    if not needing:
        return []
    _refuse_if_obviously_infeasible(problem)
    total = sum(a.need for a in needing)
    nodes = _Nodes()
    source, sink = nodes.new(), nodes.new()
    tails, heads, capacities, costs, pairs = [], [], [], [], {}

    def arc(tail, head, capacity, cost=0, pair=None):
        if pair is not None:
            pairs[len(tails)] = pair
        tails.append(tail)
        heads.append(head)
        capacities.append(capacity)
        costs.append(cost)

    expert_node = {e.id: nodes.new() for e in problem.experts}
    supplies = defaultdict(int)
    supplies[source] = total
    minimum_total = 0
    # Balance second: each task beyond an even share costs a little more than the one before
    # (convex), but every affinity point is worth more than all those costs together, so the
    # result has the maximum total affinity and, among those, the most even loads.
    fair = -(-(total + sum(e.load for e in problem.experts)) // max(len(problem.experts), 1))
    penalty_bound = 1
    for expert in problem.experts:
        minimum = problem.minimum(expert)
        minimum_total += minimum
        supplies[expert_node[expert.id]] -= minimum
        free = problem.capacity(expert) - minimum
        held = expert.load + minimum
        units = min(free, BALANCE_ARCS)
        for k in range(1, units + 1):
            step = max(0, held + k - fair)
            penalty_bound += step
            arc(expert_node[expert.id], sink, 1, step)
        if free > units:
            step = max(0, held + units + 1 - fair)
            penalty_bound += step * (free - units)
            arc(expert_node[expert.id], sink, free - units, step)
    supplies[sink] -= total - minimum_total
    weight = penalty_bound + 1

    for application in needing:
        app_node = nodes.new()
        arc(source, app_node, application.need)
        groups = {}
        for expert in problem.eligible(application):
            target = app_node
            if problem.one_per_authority and expert.authority_id is not None:
                if expert.authority_id not in groups:
                    groups[expert.authority_id] = nodes.new()
                    arc(app_node, groups[expert.authority_id], 1)
                target = groups[expert.authority_id]
            arc(target, expert_node[expert.id], 1, -weight * affinity(application, expert), (application.id, expert.id))

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int64),
        np.array(heads, dtype=np.int64),
        np.array(capacities, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    node_ids = np.array(list(supplies), dtype=np.int64)
    flow.set_nodes_supplies(node_ids, np.array([supplies[n] for n in node_ids], dtype=np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise Infeasible(explain(problem))
    flows = flow.flows(arcs)
    return sorted(pairs[i] for i in pairs if flows[i] > 0)


class _Nodes:
    def __init__(self):
        self.count = 0

    def new(self):
        self.count += 1
        return self.count - 1


def _refuse_if_obviously_infeasible(problem):
    reasons = explain(problem, deep=False)
    if reasons:
        raise Infeasible(reasons)


def explain(problem, *, deep=True):
    """Why no assignment exists, each with what to change (OpenReview-style), as Chinese sentences."""
    reasons = []
    needing = [a for a in problem.applications if a.need > 0]
    total = sum(a.need for a in needing)
    capacity = sum(problem.capacity(e) for e in problem.experts)
    minimum = sum(problem.minimum(e) for e in problem.experts)
    if capacity < total:
        reasons.append(
            f"需要分配{total}人次，而专家任务上限之和只有{capacity}人次：请提高每位专家的任务上限、"
            "减少每项申报的评审专家人数，或增加评审专家。"
        )
    if minimum > total:
        reasons.append(f"各专家最低任务量之和为{minimum}人次，多于待分配的{total}人次：请降低最低任务量。")
    short = [(a, problem.distinct_eligible(a)) for a in needing if problem.distinct_eligible(a) < a.need]
    for application, available in short[:5]:
        rule = "（每个主管部门最多一位）" if problem.one_per_authority else ""
        domain = f"增加“{application.domain_label}”领域的专家，" if application.domain_label else "增加专家，"
        reasons.append(
            f"“{application.label or application.id}”只有{available}位可分配的专家{rule}，少于所需的{application.need}位："
            f"请{domain}或减少每项申报的评审专家人数。"
        )
    if len(short) > 5:
        reasons.append(f"另有{len(short) - 5}项申报可分配的专家不足。")
    if reasons or not deep:
        return reasons
    # Every application has enough experts on its own: some group of them competes for too few.
    by_domain = defaultdict(list)
    for application in needing:
        by_domain[application.domain_label or "未填写领域"].append(application)
    for label, applications in sorted(by_domain.items()):
        need = sum(a.need for a in applications)
        usable = Counter()
        for application in applications:
            for expert in problem.eligible(application):
                usable[expert.id] += 1
        most = sum(min(problem.capacity(problem.expert(e)), n) for e, n in usable.items())
        if most < need:
            reasons.append(
                f"“{label}”领域的申报共需{need}人次，能评审它们的专家最多只能承担{most}人次："
                f"请增加“{label}”领域的专家或提高任务上限。"
            )
    if not reasons:
        reasons.append(
            "回避规则、任务上下限和分散规则同时满足不了：请提高任务上限、降低最低任务量、"
            "取消“每个主管部门最多一位”或减少每项申报的评审专家人数。"
        )
    return reasons


# --- the alternatives ------------------------------------------------------------------------


def greedy(problem):
    """The previous method: the most constrained application first, then the least-loaded eligible
    experts, preferring domain matches among equals. May leave shortfalls."""
    load = Counter({e.id: e.load for e in problem.experts})
    pairs = []
    order = sorted(problem.applications, key=lambda a: (len(problem.eligible(a)), a.id))
    for application in order:
        used_authorities = set()
        candidates = sorted(
            problem.eligible(application),
            key=lambda e: (load[e.id], not domain_match(application, e), e.id),
        )
        chosen = 0
        for expert in candidates:
            if chosen >= application.need:
                break
            if load[expert.id] >= problem.max_load:
                continue
            if problem.one_per_authority and expert.authority_id is not None:
                if expert.authority_id in used_authorities:
                    continue
                used_authorities.add(expert.authority_id)
            pairs.append((application.id, expert.id))
            load[expert.id] += 1
            chosen += 1
    return sorted(pairs)


def draw(problem, seed, *, backups=0):
    """A random draw reproducible from `seed`: for each application in id order, experts drawn from the
    eligible ones of its domain (all eligible ones when the domain has too few), respecting loads and
    the spread rule. Returns (pairs, {application id: [backup expert ids]}); raises Infeasible when an
    application cannot be served."""
    load = Counter({e.id: e.load for e in problem.experts})
    pairs, reserves = [], {}
    short = []
    for application in sorted(problem.applications, key=lambda a: a.id):
        if application.need <= 0:
            continue
        rng = random.Random(f"{seed}:{application.id}")
        eligible = sorted(
            (e for e in problem.eligible(application) if load[e.id] < problem.max_load), key=lambda e: e.id
        )
        in_domain = [e for e in eligible if domain_match(application, e)]
        pool = in_domain if len(in_domain) >= application.need else eligible
        rng.shuffle(pool)
        chosen, authorities = [], set()
        for expert in pool:
            if len(chosen) >= application.need:
                break
            if load[expert.id] >= problem.max_load:
                continue
            if problem.one_per_authority and expert.authority_id is not None:
                if expert.authority_id in authorities:
                    continue
                authorities.add(expert.authority_id)
            chosen.append(expert.id)
            load[expert.id] += 1
        if len(chosen) < application.need:
            short.append(application)
        pairs.extend((application.id, e) for e in chosen)
        reserves[application.id] = [e.id for e in pool if e.id not in chosen][:backups]
    if short:
        raise Infeasible(explain(problem) or [f"抽取后仍有{len(short)}项申报的专家不足：请增加专家或提高任务上限。"])
    return sorted(pairs), reserves


def backups_for(problem, pairs, count):
    """For each application, the best `count` eligible experts not assigned to it (by affinity, then
    lighter load), to call on when an assigned expert declines or declares a conflict."""
    assigned = defaultdict(set)
    load = Counter({e.id: e.load for e in problem.experts})
    for application_id, expert_id in pairs:
        assigned[application_id].add(expert_id)
        load[expert_id] += 1
    reserves = {}
    for application in problem.applications:
        candidates = [e for e in problem.eligible(application) if e.id not in assigned[application.id]]
        candidates.sort(key=lambda e: (-affinity(application, e), load[e.id], e.id))
        reserves[application.id] = [e.id for e in candidates[:count]]
    return reserves


# --- how good it is -------------------------------------------------------------------------------


def total_affinity(problem, pairs):
    return sum(affinity(problem.application(a), problem.expert(e)) for a, e in pairs)


def upper_bound(problem):
    """Each application's best possible experts, ignoring loads: no assignment can score more."""
    bound = 0
    for application in problem.applications:
        scores = sorted((affinity(application, e) for e in problem.eligible(application)), reverse=True)
        bound += sum(scores[: application.need])
    return bound


@dataclass
class Quality:
    total: int
    bound: int
    per_application: dict  # id -> (mean, min)
    domain_matched: int  # applications whose experts all know their domain
    load_histogram: dict  # load -> number of experts
    left_out: dict  # expert id -> reasons (Chinese)

    @property
    def ratio(self):
        return self.total / self.bound if self.bound else 1.0

    def as_dict(self):
        return {
            "total": self.total,
            "bound": self.bound,
            "ratio": round(self.ratio, 4),
            "mean_affinity": round(
                sum(mean for mean, _ in self.per_application.values()) / len(self.per_application), 2
            )
            if self.per_application
            else 0,
            "min_affinity": min((low for _, low in self.per_application.values()), default=0),
            "domain_matched": self.domain_matched,
            "applications": len(self.per_application),
            "load_histogram": {str(k): v for k, v in sorted(self.load_histogram.items())},
            "left_out": {str(k): v for k, v in self.left_out.items()},
        }


def quality(problem, pairs):
    by_application = defaultdict(list)
    load = Counter({e.id: e.load for e in problem.experts})
    for application_id, expert_id in pairs:
        by_application[application_id].append(expert_id)
        load[expert_id] += 1
    per_application, matched = {}, 0
    for application_id, experts in by_application.items():
        application = problem.application(application_id)
        scores = [affinity(application, problem.expert(e)) for e in experts]
        per_application[application_id] = (sum(scores) / len(scores), min(scores))
        matched += all(domain_match(application, problem.expert(e)) for e in experts)
    histogram = Counter(load[e.id] for e in problem.experts)
    return Quality(
        total=total_affinity(problem, pairs),
        bound=upper_bound(problem),
        per_application=per_application,
        domain_matched=matched,
        load_histogram=dict(histogram),
        left_out=why_left_out(problem, {e for _, e in pairs}),
    )


def why_left_out(problem, used):
    """For each expert given nothing new, why (Chinese)."""
    domains = {a.domain_id for a in problem.applications if a.need > 0}
    reasons = {}
    for expert in problem.experts:
        if expert.id in used:
            continue
        found = []
        if problem.capacity(expert) <= 0:
            found.append(f"本轮已有{expert.load}项任务，达到任务上限")
        conflicted = sum(1 for a in problem.applications if (a.id, expert.id) in problem.forbidden)
        if conflicted:
            found.append(f"需回避或已在评审{conflicted}项申报")
        if not (expert.domain_ids | {expert.primary_domain_id}) & domains:
            found.append("熟悉的领域与本轮申报均不相同，匹配度更高的专家优先")
        if not found:
            found.append("其他专家的匹配度更高，本轮无需其承担任务")
        reasons[expert.id] = "；".join(found) + "。"
    return reasons
