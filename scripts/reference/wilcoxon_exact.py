"""Exact two-sided Wilcoxon signed-rank p-values and Hodges-Lehmann intervals by brute force,
independent of albench (and of scipy): every one of the 2^n sign patterns is enumerated with
itertools, zeros dropped, |d| midranked. Prints the reference values quoted in
test/analysis/significance.test.ts.  Run: /usr/bin/python3 scripts/reference/wilcoxon_exact.py
"""
import itertools


def midranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for m in range(i, j + 1):
            ranks[order[m]] = i + j + 2  # twice the midrank: integers, fast to sum
        i = j + 1
    return ranks


def exact_p(d):
    d = [x for x in d if x != 0]
    n = len(d)
    if n == 0:
        return 1.0
    ranks = midranks([abs(x) for x in d])
    w = sum(r for r, x in zip(ranks, d) if x > 0)
    below = above = 0
    for signs in itertools.product((0, 1), repeat=n):
        s = sum(r for r, sg in zip(ranks, signs) if sg)
        below += s <= w
        above += s >= w
    return min(1.0, 2 * min(below, above) / 2 ** n)


def hodges_lehmann(d, conf=0.95):
    n = len(d)
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    m = len(walsh)
    est = walsh[(m - 1) // 2] if m % 2 else (walsh[m // 2 - 1] + walsh[m // 2]) / 2
    # null distribution of W+ for untied ranks 1..n, by enumeration
    sums = [sum(r for r, sg in zip(range(1, n + 1), signs) if sg)
            for signs in itertools.product((0, 1), repeat=n)]
    tail = (1 - conf) / 2
    k = 0
    while sum(1 for s in sums if s <= k) / 2 ** n <= tail:
        k += 1
    if k == 0:
        return est, None, None
    return est, walsh[k - 1], walsh[m - k]


CASES = {
    'five positive, one tie (1,1,2,3,4)': [1, 1, 2, 3, 4],
    'five equal (0.05 x5)': [0.05] * 5,
    'tie + zero (0,1,1,2,3)': [0, 1, 1, 2, 3],
    'mixed ties (1,-1,2,2,3,-4)': [1, -1, 2, 2, 3, -4],
    'six equal (0.05 x6)': [0.05] * 6,
    'twenty with ties': [((i * 7) % 11 - 3.5) / 100 for i in range(20)],
}

if __name__ == '__main__':
    for name, d in CASES.items():
        print(f'{name}: d={d} p={exact_p(d)!r}')
    for name, d in {'HL 8 pairs': [0.3, -0.1, 0.5, 0.2, 0.9, 0.4, 0.05, 0.6],
                    'HL 5 pairs': [1, 2, 3, 4, 5]}.items():
        print(f'{name}: {hodges_lehmann(d)}')
