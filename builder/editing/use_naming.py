"""How a node added to one use of a definition is named in another use: as their ids already differ
(builder/editing/every_use.py). No Qt here.
"""

from __future__ import annotations

from builder.model.document import MAX_ID_LENGTH


def naming_rule(pairs):
    """A function naming a new node of one use in another, following how their ids already differ: the part
    that differs is replaced (block_1_extra -> block_2_extra), or the suffix added (extra -> extra_2); when the
    pairs differ in different ways, the pasted form (fresh_id: extra -> extra_2)."""
    rules = set()
    for mine, theirs in pairs:
        start = 0
        while start < min(len(mine), len(theirs)) and mine[start] == theirs[start]:
            start += 1
        end = 0
        while end < min(len(mine), len(theirs)) - start and mine[-1 - end] == theirs[-1 - end]:
            end += 1
        mid, other_mid = mine[start:len(mine) - end], theirs[start:len(theirs) - end]
        where = "end" if end == 0 else "start" if start == 0 else "middle"
        rules.add((mid, other_mid, where))
    if len(rules) != 1:
        return lambda node: node
    mid, other_mid, where = rules.pop()

    def rename(node: str) -> str:
        if mid and mid in node:
            if where == "end" and node.endswith(mid):
                named = node[:-len(mid)] + other_mid
            elif where == "start" and node.startswith(mid):
                named = other_mid + node[len(mid):]
            else:
                named = node.replace(mid, other_mid, 1)
        elif not mid and where == "end":
            named = node + other_mid
        elif not mid and where == "start":
            named = other_mid + node
        else:
            return node
        return named if len(named) <= MAX_ID_LENGTH else node

    return rename
