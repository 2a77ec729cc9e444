"""The issue 13 budgets, measured by the scripted run of the window (benchmarks/first_hour_actions.py): the seed
CNN from an empty canvas in at most 30 actions, the padding fix on all three branches in at most 4."""

from benchmarks.first_hour_actions import SEED_BUILD_BUDGET, SEED_PADDING_FIX_BUDGET, run


def test_first_hour_budgets(qapp):
    outcome = run()
    build, fix = outcome["build"], outcome["fix"]
    assert build["problem"] is None and fix["problem"] is None
    assert build["count"] <= SEED_BUILD_BUDGET, build["actions"]
    assert fix["count"] <= SEED_PADDING_FIX_BUDGET, fix["actions"]
