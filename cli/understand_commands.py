"""Issue 14's commands: `explain FILE NODE` (a node's derivations, cost and fixes) and `fix FILE -o OUT [--pick N]`
(a verified fix applied to every error it can; exit 0 when OUT has no error, 1 when some remain). `check`'s
additions (explain, cost, fixes, totals, budgets) are in cli/model_commands.py. None imports TensorFlow."""

from __future__ import annotations

from cli.common import UsageError, _load


def cmd_explain(args) -> int:
    from builder.fixes.explain_text import explain_text
    from builder.quoting import quote

    graph = _load(args.file)
    if args.node not in graph:
        raise UsageError(f"{args.file}: there is no node {quote(args.node)}; `check {args.file}` lists the nodes")
    print(explain_text(graph, args.node))
    return 0


def cmd_fix(args) -> int:
    import builder
    from builder.fixes import fix_graph

    if args.pick < 1:
        raise UsageError(f"--pick: expected 1 or more, got {args.pick}")
    graph = _load(args.file)
    fixed, applied = fix_graph(graph, pick=args.pick - 1)
    builder.save(fixed, args.output)
    for fix in applied:
        print(f"fixed {fix.node}: {fix.title}")
    left = [r.error for r in builder.infer(fixed).values() if r.error]
    if left:
        print(f"{len(left)} error(s) left, without a fix that works:", *(f"  {e}" for e in left), sep="\n")
    print(f"wrote {args.output}")
    return 1 if left else 0
