"""Benchmark: the half-year date planner next to choosing meeting by meeting.

    .venv/bin/python bench/planner.py [--instances=200] [--seed=200]

Plans six meetings 5 to 7 weeks apart on random date polls shaped like a network's (30
candidate evenings, 14 members, the generator of tests/themas/test_planner.py) twice: with
the exact planner and with the greedy baseline that takes the best date for each meeting in
turn. Prints on how many polls the exact plan scores strictly higher, the mean and largest
ratio of the two scores, and the ratio of their solving times, all measured in this run.
Needs no database; positional arguments meant for the other benchmarks are ignored.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _option(argv: list[str], name: str, default: int) -> int:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return int(arg.split("=", 1)[1])
    return default


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    count = _option(argv, "instances", 200)
    seed = _option(argv, "seed", 200)
    # Like the other benchmarks: the project is importable once its root is on the path.
    sys.path.insert(0, str(BASE_DIR))
    from tests.themas.test_planner import feasible_instances
    from themas.planner import plan_meetings, plan_meetings_greedily

    instances = feasible_instances(seed=seed, count=count)
    ratios = []
    joint_seconds = greedy_seconds = 0.0
    for days, people in instances:
        started = time.perf_counter()
        joint = plan_meetings(days, people, 6)
        joint_seconds += time.perf_counter() - started
        started = time.perf_counter()
        greedy = plan_meetings_greedily(days, people, 6)
        greedy_seconds += time.perf_counter() - started
        if joint.score < greedy.score:
            print(f"  exact plan scored below greedy: {joint.score} < {greedy.score}")
            return 1
        ratios.append(joint.score / greedy.score if greedy.score else 1.0)

    better = sum(ratio > 1 for ratio in ratios)
    print(f"Date planner, {count} polls: 30 evenings, 14 members, 6 meetings 35-49 days apart")
    print(f"  exact plan strictly better than greedy on {better} of {count} polls")
    mean, largest = statistics.fmean(ratios), max(ratios)
    print(f"  score ratio exact / greedy: mean {mean:.3f}x, max {largest:.3f}x")
    if better:
        gains = [ratio for ratio in ratios if ratio > 1]
        print(f"  where better, mean ratio {statistics.fmean(gains):.3f}x")
    print(f"  solving time exact / greedy: {joint_seconds / greedy_seconds:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
