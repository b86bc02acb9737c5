"""Expert assignment as an optimisation, over plain data (no database here).

A round asks for N experts per application, each expert between a minimum
and a maximum load, never a conflicted pair, and (optionally) at most one
expert of the same authority on an application — counting the experts the
application already has. Among all assignments that satisfy this,
`solve_optimal` finds one of maximum total affinity, as a min-cost flow
(OR-Tools), the way OpenReview's matcher and HotCRP's autoassigner do:

    source ─need─▶ application ─1, cost─▶ [authority group ─1─▶] expert ─(max−min)─▶ sink

Minimum loads are lower bounds on the expert → sink arcs, written as node
demands so the flow is feasible only if every expert gets them. When no
assignment exists, `Infeasible` says why in Chinese and what to change; there
is never a partial result.

Affinity puts the professional domain first and keyword overlap second:
the expert's primary domain scores 100, another of their domains 60, and each
distinct keyword of the expert found in the application's text 10 (at most
30), so no keyword overlap outweighs a domain match.

`draw` is the alternative the office may choose (NSFC practice): a random draw,
reproducible from its seed, over the same network and rules: each application
gives every expert a lot number (their place in a shuffle seeded by the seed
and the application), and among the assignments that keep every rule the draw
takes the one with the most domain experts and then the smallest lots. So it
fills exactly the rounds the optimum fills. `greedy` is the previous method
(least-loaded first), kept to compare.
"""

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from ortools.graph.python import min_cost_flow

PRIMARY_DOMAIN = 100
OTHER_DOMAIN = 60
KEYWORD = 10
MAX_KEYWORDS = 3
BALANCE_ARCS = 200  # unit arcs per expert for the load-balancing costs; beyond that one arc
# Without a maximum from the office: an even share plus a fifth (at least one more task).
DEFAULT_MAX_SHARE = (6, 5)


@dataclass(frozen=True)
class AppNode:
    id: int
    need: int  # experts still to assign
    domain_id: int | None = None
    authority_id: int | None = None
    text: str = ""  # title, purpose, topic explanations: where keywords are looked for
    label: str = ""
    domain_label: str = ""
    # Authorities of the experts the application already has (active tasks): the spread rule counts them.
    held_authorities: frozenset = frozenset()


@dataclass(frozen=True)
class ExpertNode:
    id: int
    domain_ids: frozenset = frozenset()
    primary_domain_id: int | None = None
    keywords: tuple = ()
    authority_id: int | None = None
    load: int = 0  # tasks already held in this round
    label: str = ""


@dataclass(eq=False)
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
        self._position = {e.id: i for i, e in enumerate(self.experts)}
        self._row = {a.id: i for i, a in enumerate(self.applications)}
        self._allowed_matrix = None
        self._eligible = {}
        self._affinity = {}
        self._domain = {}

    def expert(self, expert_id):
        return self._experts[expert_id]

    def application(self, application_id):
        return self._applications[application_id]

    def position(self, expert_id):
        return self._position[expert_id]

    def capacity(self, expert):
        return max(0, self.max_load - expert.load)

    def minimum(self, expert):
        return max(0, self.min_load - expert.load)

    # Vectors over the experts, in `experts` order: the network and the reports read whole rows.

    @cached_property
    def ids(self):
        return np.array([e.id for e in self.experts], dtype=np.int64)

    @cached_property
    def loads(self):
        return np.array([e.load for e in self.experts], dtype=np.int64)

    @cached_property
    def authorities(self):
        return np.array([-1 if e.authority_id is None else e.authority_id for e in self.experts], dtype=np.int64)

    def allowed_mask(self, application):
        """Experts the rules allow on this application, whatever their load: no conflict, not already
        on it, and with the spread rule not of an authority the application already has."""
        key = self.one_per_authority
        if self._allowed_matrix is None or self._allowed_matrix[0] != key:
            matrix = np.ones((len(self.applications), len(self.experts)), dtype=bool)
            for application_id, expert_id in self.forbidden:
                row, column = self._row.get(application_id), self._position.get(expert_id)
                if row is not None and column is not None:
                    matrix[row, column] = False
            if key:
                authorities = self.authorities
                for row, app in enumerate(self.applications):
                    if app.held_authorities:
                        matrix[row] &= ~np.isin(authorities, list(app.held_authorities))
            self._allowed_matrix = (key, matrix)
        return self._allowed_matrix[1][self._row[application.id]]

    def eligible_index(self, application):
        """Positions of the experts allowed on the application and below the maximum load."""
        key = (application.id, self.max_load, self.one_per_authority)
        if key not in self._eligible:
            if len(self._eligible) > 4 * len(self.applications):  # a loosened maximum: start afresh
                self._eligible.clear()
            self._eligible[key] = np.flatnonzero(self.allowed_mask(application) & (self.loads < self.max_load))
        return self._eligible[key]

    def allowed(self, application):
        return [self.experts[i] for i in np.flatnonzero(self.allowed_mask(application))]

    def eligible(self, application):
        return [self.experts[i] for i in self.eligible_index(application)]

    def affinity_row(self, application):
        """`affinity(application, expert)` for every expert, computed once per application."""
        if application.id not in self._affinity:
            self._affinity[application.id] = _affinity_row(self, application)
        return self._affinity[application.id]

    def affinity(self, application, expert):
        return int(self.affinity_row(application)[self._position[expert.id]])

    def domain_row(self, application):
        """Whether each expert knows the application's domain (primary or another)."""
        if application.domain_id not in self._domain:
            self._domain[application.domain_id] = np.array(
                [domain_match(application, e) for e in self.experts], dtype=bool
            )
        return self._domain[application.domain_id]

    def distinct_eligible(self, application):
        """How many experts the application could get at most (the spread rule counts an authority once)."""
        index = self.eligible_index(application)
        if not self.one_per_authority:
            return len(index)
        authorities = self.authorities[index]
        return len(np.unique(authorities[authorities >= 0])) + int((authorities < 0).sum())

    def even_share(self):
        """Each expert's share of every task of the round (held and to assign), rounded up."""
        total = sum(a.need for a in self.applications) + sum(e.load for e in self.experts)
        return -(-total // max(len(self.experts), 1))


# --- affinity ------------------------------------------------------------------------------------

_LATIN = re.compile(r"[0-9a-z]+(?:[ ._+#-][0-9a-z]+)*")


@lru_cache(maxsize=4096)
def _prepared(keywords):
    """The expert's distinct keywords (case-folded, longest first), and whether one contains another."""
    words = sorted({w.strip().casefold() for w in keywords if w and w.strip()}, key=lambda w: (-len(w), w))
    nested = any(short in long for i, long in enumerate(words) for short in words[i + 1 :])
    return tuple(words), nested


@lru_cache(maxsize=8192)
def _folded(text):
    return text.casefold()


@lru_cache(maxsize=4096)
def _pattern(word):
    """A Latin keyword is a whole word (`ai` is not in `maintain`); a Chinese one any run of characters."""
    if _LATIN.fullmatch(word):
        return re.compile(rf"(?<![0-9a-z]){re.escape(word)}(?![0-9a-z])")
    return None


def _occurs(word, text):
    pattern = _pattern(word)
    return word in text if pattern is None else (word in text and pattern.search(text) is not None)


def keyword_hits(text, keywords):
    """How many distinct keywords occur in `text`; a keyword found only inside a longer keyword that
    also occurs (数据 inside 大数据) does not count again."""
    words, nested = _prepared(tuple(keywords))
    text = _folded(text)
    if not nested:
        return sum(1 for word in words if _occurs(word, text))
    hits = 0
    for word in words:  # longest first: remove what a longer keyword already counted
        if _occurs(word, text):
            hits += 1
            pattern = _pattern(word)
            text = text.replace(word, "\x00") if pattern is None else pattern.sub("\x00", text)
    return hits


def affinity(application, expert):
    score = 0
    if application.domain_id is not None:
        if application.domain_id == expert.primary_domain_id:
            score += PRIMARY_DOMAIN
        elif application.domain_id in expert.domain_ids:
            score += OTHER_DOMAIN
    if expert.keywords:
        score += KEYWORD * min(keyword_hits(application.text, expert.keywords), MAX_KEYWORDS)
    return score


def _affinity_row(problem, application):
    """One application's affinity with every expert, vectorised: domains by comparison, keywords by
    which of the round's keywords occur in the text (experts with a keyword inside another one,
    where a longer match hides a shorter one, are counted one by one)."""
    vocabulary = problem.__dict__.get("_vocabulary")
    if vocabulary is None:
        words, nested = {}, []
        for i, expert in enumerate(problem.experts):
            prepared, inside = _prepared(tuple(expert.keywords))
            if inside:
                nested.append(i)
            for word in prepared:
                words.setdefault(word, []).append(i)
        matrix = np.zeros((len(problem.experts), len(words)), dtype=np.int64)
        for column, owners in enumerate(words.values()):
            matrix[owners, column] = 1
        primary = np.array([-1 if e.primary_domain_id is None else e.primary_domain_id for e in problem.experts])
        vocabulary = problem._vocabulary = (list(words), matrix, nested, primary)
    words, matrix, nested, primary = vocabulary
    row = np.zeros(len(problem.experts), dtype=np.int64)
    if application.domain_id is not None:
        row[problem.domain_row(application)] = OTHER_DOMAIN
        row[primary == application.domain_id] = PRIMARY_DOMAIN
    if words:
        text = _folded(application.text)
        found = np.fromiter((_occurs(word, text) for word in words), dtype=np.int64, count=len(words))
        hits = matrix @ found
        for i in nested:
            hits[i] = keyword_hits(application.text, problem.experts[i].keywords)
        row += KEYWORD * np.minimum(hits, MAX_KEYWORDS)
    return row


def domain_match(application, expert):
    return application.domain_id is not None and (
        application.domain_id == expert.primary_domain_id or application.domain_id in expert.domain_ids
    )


class Infeasible(Exception):
    """No assignment satisfies the round's rules; `reasons` say why and what to change (Chinese)."""

    def __init__(self, reasons):
        super().__init__("；".join(reasons))
        self.reasons = reasons


# --- the network: the optimum and the draw --------------------------------------------------------


def solve_optimal(problem):
    """[(application id, expert id)] of maximum total affinity, or raise Infeasible."""

    def cost(application, index, weight):
        return -weight * problem.affinity_row(application)[index]

    return _solve(problem, cost, balance=True)


def feasible(problem):
    """Whether any assignment keeps every rule (the same network, without costs)."""
    try:
        _solve(problem, None, balance=False)
    except Infeasible:
        return False
    return True


def _solve(problem, pair_cost, *, balance):
    """Route every needed place through the network. `pair_cost(application, positions, weight)` gives
    the cost of each (application, expert at that position) pair, `weight` what a cost unit must be
    multiplied by to outweigh every balance cost (1 without balance); None for a bare feasibility check."""
    needing = [a for a in problem.applications if a.need > 0]
    if not needing:
        return []
    _refuse_if_obviously_infeasible(problem)
    total = sum(a.need for a in needing)
    source, sink, first_expert = 0, 1, 2
    count = first_expert + len(problem.experts)
    tails, heads, capacities, costs = [], [], [], []

    def arcs(tail, head, capacity, cost):
        head = np.asarray(head, dtype=np.int64)
        tails.append(tail if isinstance(tail, np.ndarray) else np.full(len(head), tail, dtype=np.int64))
        heads.append(head)
        capacities.append(np.full(len(head), capacity, dtype=np.int64))
        costs.append(cost if isinstance(cost, np.ndarray) else np.full(len(head), cost, dtype=np.int64))

    supplies = np.zeros(count, dtype=np.int64)
    supplies[source] = total
    minimum_total = 0
    # Balance second: each task costs a little more than the one before (convex: an expert's k-th task
    # costs k − 1), but every pair-cost unit is worth more than all those costs together, so the
    # result has the best pair costs and, among those, the most even loads.
    penalty_bound = 1
    for position, expert in enumerate(problem.experts):
        node = first_expert + position
        minimum = problem.minimum(expert)
        minimum_total += minimum
        supplies[node] -= minimum
        free = problem.capacity(expert) - minimum
        if free <= 0:
            continue
        if not balance:
            arcs(node, [sink], free, 0)
            continue
        held = expert.load + minimum
        units = min(free, BALANCE_ARCS)
        steps = held + np.arange(units, dtype=np.int64)
        arcs(node, np.full(units, sink), 1, steps)
        penalty_bound += int(steps.sum())
        if free > units:
            step = held + units
            penalty_bound += step * (free - units)
            arcs(node, [sink], free - units, step)
    supplies[sink] -= total - minimum_total
    weight = penalty_bound + 1 if balance else 1

    authorities = problem.authorities
    pair_offsets, pair_apps, pair_experts = [], [], []
    arc_count = sum(len(h) for h in heads)
    for application in needing:
        app_node = count
        count += 1
        arcs(source, [app_node], application.need, 0)
        arc_count += 1
        index = problem.eligible_index(application)
        target = np.full(len(index), app_node, dtype=np.int64)
        if problem.one_per_authority:
            grouped = authorities[index] >= 0
            groups, inverse = np.unique(authorities[index][grouped], return_inverse=True)
            group_nodes = count + np.arange(len(groups), dtype=np.int64)
            count += len(groups)
            arcs(app_node, group_nodes, 1, 0)
            arc_count += len(groups)
            target[grouped] = group_nodes[inverse]
        cost = 0 if pair_cost is None else pair_cost(application, index, weight)
        arcs(target, first_expert + index, 1, cost)
        pair_offsets.append(arc_count)
        pair_apps.append(np.full(len(index), application.id, dtype=np.int64))
        pair_experts.append(index)
        arc_count += len(index)

    flow = min_cost_flow.SimpleMinCostFlow()
    all_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(capacities), np.concatenate(costs)
    )
    supplies = np.concatenate([supplies, np.zeros(count - len(supplies), dtype=np.int64)])
    flow.set_nodes_supplies(np.arange(count, dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise Infeasible(explain(problem))
    flows = flow.flows(all_arcs)
    offsets = np.concatenate(
        [offset + np.arange(len(e), dtype=np.int64) for offset, e in zip(pair_offsets, pair_experts, strict=True)]
    )
    used = flows[offsets] > 0
    apps = np.concatenate(pair_apps)[used]
    experts = problem.ids[np.concatenate(pair_experts)[used]]
    return sorted(zip(apps.tolist(), experts.tolist(), strict=True))


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
    short = [(a, n) for a in needing if (n := problem.distinct_eligible(a)) < a.need]
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


def default_max_load(problem):
    """Without a maximum from the office: an even share plus a fifth, at least one task more."""
    share = problem.even_share()
    num, den = DEFAULT_MAX_SHARE
    return max(-(-share * num // den), share + 1, problem.min_load, 1)


def loosen_max_load(problem):
    """The smallest maximum, from `problem.max_load` up, with which the round can be filled (None when
    even an unlimited one cannot: more than one task per application is never possible)."""
    if feasible(problem):
        return problem.max_load
    low, high = problem.max_load, len(problem.applications) + max((e.load for e in problem.experts), default=0)
    if high <= low:
        return None
    problem.max_load = high
    if not feasible(problem):
        return None
    while high - low > 1:  # low infeasible, high feasible
        middle = (low + high) // 2
        problem.max_load = middle
        if feasible(problem):
            high = middle
        else:
            low = middle
    problem.max_load = high
    return high


class Lots:
    """Each application's lot numbers: every expert's place (0, 1, …) in a shuffle of all the round's
    experts (by id), seeded by the draw's seed and the application's id. Anyone can recompute them."""

    def __init__(self, problem, seed):
        self.problem = problem
        self.seed = seed
        self.order = sorted(e.id for e in problem.experts)
        self._cache = {}

    def __call__(self, application_id):
        """The lots as a vector in the problem's expert order."""
        if application_id not in self._cache:
            order = list(self.order)
            random.Random(f"{self.seed}:{application_id}").shuffle(order)
            lots = np.empty(len(order), dtype=np.int64)
            lots[[self.problem.position(e) for e in order]] = np.arange(len(order), dtype=np.int64)
            self._cache[application_id] = lots
        return self._cache[application_id]


def draw(problem, seed, *, backups=0):
    """A random draw reproducible from `seed`, under every rule of the round (loads, conflicts, the
    spread rule counting existing tasks). Among the assignments that keep the rules it takes one with
    the most domain experts (an application's domain experts first, others only where they are too
    few) and, among those, the smallest sum of lot numbers. Returns (pairs, {application id: [backup
    expert ids]}); raises Infeasible exactly when no assignment keeps the rules."""
    lots = Lots(problem, seed)
    total = sum(a.need for a in problem.applications if a.need > 0)
    domain_weight = total * max(len(problem.experts), 1) + 1  # one more domain expert outweighs any lots

    def cost(application, index, weight):
        return lots(application.id)[index] - domain_weight * problem.domain_row(application)[index]

    pairs = _solve(problem, cost, balance=False)
    reserves = _backups(
        problem,
        pairs,
        backups,
        lambda application, index, load: (~problem.domain_row(application)[index], lots(application.id)[index]),
    )
    return pairs, reserves


def backups_for(problem, pairs, count):
    """For each application, the best `count` eligible experts not assigned to it (by affinity, then
    lighter load), to call on when an assigned expert declines or declares a conflict."""
    return _backups(
        problem, pairs, count, lambda application, index, load: (-problem.affinity_row(application)[index], load[index])
    )


def _backups(problem, pairs, count, keys):
    """Backups who keep the rules after the assignment: allowed on the application, below the maximum
    with the new tasks, and with the spread rule of an authority the application does not have yet.
    `keys(application, positions, loads)` orders the candidates (first key first, then the id)."""
    load = problem.loads.copy()
    assigned = defaultdict(list)
    for application_id, expert_id in pairs:
        position = problem.position(expert_id)
        assigned[application_id].append(position)
        load[position] += 1
    ids, authorities = problem.ids, problem.authorities
    reserves = {}
    for application in problem.applications:
        if count <= 0:
            reserves[application.id] = []
            continue
        mask = problem.allowed_mask(application) & (load < problem.max_load)
        mine = assigned[application.id]
        mask[mine] = False
        if problem.one_per_authority and mine:
            taken = authorities[mine]
            mask &= ~np.isin(authorities, taken[taken >= 0])
        index = np.flatnonzero(mask)
        order = np.lexsort((ids[index], *reversed(keys(application, index, load))))
        reserves[application.id] = ids[index[order[:count]]].tolist()
    return reserves


# --- how good it is -------------------------------------------------------------------------------


def total_affinity(problem, pairs):
    return sum(problem.affinity(problem.application(a), problem.expert(e)) for a, e in pairs)


def upper_bound(problem):
    """Each application's best possible experts, ignoring loads: no assignment can score more."""
    bound = 0
    for application in problem.applications:
        if application.need <= 0:
            continue
        scores = np.sort(problem.affinity_row(application)[problem.eligible_index(application)])[::-1]
        bound += int(scores[: application.need].sum())
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


def quality(problem, pairs, method="optimal"):
    by_application = defaultdict(list)
    load = Counter({e.id: e.load for e in problem.experts})
    for application_id, expert_id in pairs:
        by_application[application_id].append(expert_id)
        load[expert_id] += 1
    per_application, matched = {}, 0
    for application_id, experts in by_application.items():
        application = problem.application(application_id)
        scores = [problem.affinity(application, problem.expert(e)) for e in experts]
        per_application[application_id] = (sum(scores) / len(scores), min(scores))
        matched += all(domain_match(application, problem.expert(e)) for e in experts)
    histogram = Counter(load[e.id] for e in problem.experts)
    return Quality(
        total=total_affinity(problem, pairs),
        bound=upper_bound(problem),
        per_application=per_application,
        domain_matched=matched,
        load_histogram=dict(histogram),
        left_out=why_left_out(problem, pairs, method),
    )


def why_left_out(problem, pairs, method="optimal"):
    """For each expert given nothing new, why (Chinese), true for the method that was used."""
    used = {e for _, e in pairs}
    unused = [e for e in problem.experts if e.id not in used]
    if not unused:
        return {}
    needing = [a for a in problem.applications if a.need > 0]
    domains = {a.domain_id for a in needing}
    chosen = defaultdict(list)
    for application_id, expert_id in pairs:
        chosen[application_id].append(problem.expert(expert_id))
    reasons = {}
    for expert in unused:
        found = []
        if problem.capacity(expert) <= 0:
            found.append(f"本轮已有{expert.load}项任务，达到任务上限")
        conflicted = sum(1 for a in problem.applications if (a.id, expert.id) in problem.forbidden)
        if conflicted:
            found.append(f"需回避或已在评审{conflicted}项申报")
        spread = sum(
            1
            for a in needing
            if problem.one_per_authority
            and (a.id, expert.id) not in problem.forbidden
            and expert.authority_id is not None
            and expert.authority_id in a.held_authorities
        )
        if spread:
            found.append(f"{spread}项申报已有同一主管部门的专家（每个主管部门最多一位）")
        position = problem.position(expert.id)
        open_ = [a for a in needing if problem.allowed_mask(a)[position]] if problem.capacity(expert) > 0 else []
        if open_ and method == "draw":
            in_domain = sum(1 for a in open_ if domain_match(a, expert))
            if in_domain:
                found.append(f"参加了{in_domain}项领域相符申报的抽取，均未抽中")
            else:
                found.append(f"可评审的{len(open_)}项申报领域均不相符，领域相符的专家优先抽取，本轮未抽中")
        elif open_:
            if not (expert.domain_ids | {expert.primary_domain_id}) & domains:
                found.append("熟悉的领域与本轮申报均不相同，匹配度更高的专家优先")
            elif all(chosen[a.id] and min(affinity(a, e) for e in chosen[a.id]) > affinity(a, expert) for a in open_):
                found.append("其他专家的匹配度更高，本轮无需其承担任务")
            else:
                found.append("为使全部申报的总匹配度最高并满足任务上下限和分散规则，本轮未安排其任务")
        elif not found:
            found.append("本轮没有其可评审的待分配申报")
        reasons[expert.id] = "；".join(found) + "。"
    return reasons
