#!/usr/bin/env python3
"""How much pipeline-send latency stays on the critical path of an interleaved 1F1B step when the
sends are overlapped with compute (Megatron-Core's overlap_p2p_comm, NeMo's overlap_p2p_comm).

An event simulation of Megatron-Core's interleaved order (forward_backward_pipelining_with_interleaving:
groups of pp micro-batches per chunk, warm-up of (pp - rank - 1) x 2 + (vp - 1) x pp forwards, all of
them when m == pp, then 1F1B pairs, then the cool-down backwards). A send takes no compute time; it
only delays the op that consumes it by `s`. Prints, for m = pp .. 16 pp, the step time without sends
and the time the sends add, against min(m, pp) x 2 x vp x s (the fill/drain wrap-arounds) and
m x 2 x vp x s (every send exposed, as trainplan charges pipeline sends today).

usage: interleaved_send_exposure.py PP VP [SECONDS_PER_MICROBATCH [SEND_SECONDS]]
(defaults: 0.0844 s a micro-batch through a stage, forward:backward 1:2, and 0.29 ms a send: the
MLPerf v3.1 GPT-3 175B layout of docs/validation.md)
"""
import sys


def order(rank, pp, vp, m):
    total = m * vp
    warm = total if m == pp else min((pp - rank - 1) * 2 + (vp - 1) * pp, total)
    fwd = lambda k: ('F', (k // pp) % vp, (k // (pp * vp)) * pp + k % pp)
    bwd = lambda k: ('B', vp - 1 - (k // pp) % vp, (k // (pp * vp)) * pp + k % pp)
    ops = [fwd(k) for k in range(warm)]
    for i in range(total - warm):
        ops += [fwd(warm + i), bwd(i)]
    return ops + [bwd(k) for k in range(total - warm, total)]


def step_seconds(pp, vp, m, tf, tb, s):
    orders = [order(r, pp, vp, m) for r in range(pp)]
    done, pos, free = {}, [0] * pp, [0.0] * pp
    n = sum(len(o) for o in orders)
    while len(done) < n:
        progressed = False
        for r in range(pp):
            while pos[r] < len(orders[r]):
                kind, c, j = orders[r][pos[r]]
                extra = s
                if kind == 'F':
                    dep = (r - 1, 'F', c, j) if r > 0 else ((pp - 1, 'F', c - 1, j) if c > 0 else None)
                elif r == pp - 1 and c == vp - 1:
                    dep, extra = (r, 'F', c, j), 0.0
                else:
                    dep = (r + 1, 'B', c, j) if r < pp - 1 else (0, 'B', c + 1, j)
                if dep is not None and dep not in done:
                    break
                start = max(free[r], done[dep] + extra if dep else 0.0)
                free[r] = start + (tf if kind == 'F' else tb)
                done[(r, kind, c, j)] = free[r]
                pos[r] += 1
                progressed = True
        if not progressed:
            sys.exit('schedule deadlocked (m must be a multiple of pp)')
    return max(free)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pp, vp = int(sys.argv[1]), int(sys.argv[2])
    per_mb = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0844
    s = float(sys.argv[4]) if len(sys.argv) > 4 else 0.00029
    tf, tb = per_mb / 3 / vp, 2 * per_mb / 3 / vp
    for m in (pp, 2 * pp, 4 * pp, 16 * pp):
        t0, t1 = step_seconds(pp, vp, m, tf, tb, 0.0), step_seconds(pp, vp, m, tf, tb, s)
        print(f'pp {pp} vp {vp} m {m:4d}: step {t0:.4f} s without sends, sends add {t1 - t0:.4f} s; '
              f'min(m, pp) x 2 vp x s = {min(m, pp) * 2 * vp * s:.4f}; m x 2 vp x s = {m * 2 * vp * s:.4f}')


if __name__ == '__main__':
    main()
