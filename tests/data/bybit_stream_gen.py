# Generates the hand-made Bybit stream: one snapshot, 50 deltas, a few frames that are not books.
import json, random
from decimal import Decimal
random.seed(7)
sym = "BTCUSDT"
bids = {}; asks = {}
def fmt(d, places):  # the venue's own spelling: fixed places, trailing zeros kept
    return f"{d:.{places}f}"
def frame(kind, u, b, a, ts, linear):
    data = {"s": sym, "b": b, "a": a, "u": u, "seq": 7961638724 + u * 3}
    if linear:
        f = {"topic": f"orderbook.50.{sym}", "type": kind, "ts": ts, "data": data, "cts": ts - 2}
    else:
        f = {"topic": f"orderbook.50.{sym}", "ts": ts, "type": kind, "data": data}
    return json.dumps(f, separators=(",", ":"))
def apply(book, lv):
    for p, s in lv:
        if Decimal(s) == 0: book.pop(Decimal(p), None)
        else: book[Decimal(p)] = (p, s)
lines = []
snap_b = [[fmt(Decimal(16493.5) - Decimal(i) / 2, 2), fmt(Decimal(random.randint(1, 9000)) / 1000, 3)] for i in range(10)]
snap_a = [[fmt(Decimal(16494.0) + Decimal(i) / 2, 2), fmt(Decimal(random.randint(1, 9000)) / 1000, 3)] for i in range(10)]
apply(bids, snap_b); apply(asks, snap_a)
u = 18521288; ts = 1672304484978
lines.append(frame("snapshot", u, snap_b, snap_a, ts, False))
for k in range(50):
    u += 1; ts += 20
    b = []; a = []
    for _ in range(random.randint(0, 3)):
        r = random.random()
        if r < 0.3 and bids:
            p = random.choice(sorted(bids))
            b.append([bids[p][0], random.choice(["0", "0.000", "0.00"])])
        elif r < 0.4:
            b.append([fmt(Decimal(16480) - Decimal(random.randint(0, 20)) / 2, 2), "0"])  # maybe absent
        else:
            p = Decimal(16493.5) - Decimal(random.randint(0, 14)) / 2
            b.append([fmt(p, 2), fmt(Decimal(random.randint(1, 9000)) / 1000, 3)])
    for _ in range(random.randint(0, 3)):
        r = random.random()
        if r < 0.3 and asks:
            p = random.choice(sorted(asks))
            a.append([asks[p][0], "0"])
        else:
            p = Decimal(16494.0) + Decimal(random.randint(0, 14)) / 2
            a.append([fmt(p, 2), fmt(Decimal(random.randint(1, 9000)) / 1000, 3)])
    apply(bids, b); apply(asks, a)
    lines.append(frame("delta", u, b, a, ts, k % 2 == 1))
    if k == 20:
        lines.append('{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":%d,"data":[{"T":%d,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16494.00","L":"PlusTick","i":"2290000000060000001","BT":false}]}' % (ts, ts))
    if k == 35:
        lines.append('{"success":true,"ret_msg":"pong","conn_id":"cejreaspqfh3sjdnldmg-p","op":"ping"}')
assert max(bids) < min(asks)
with open("bybit_stream.txt", "w") as f:
    f.write("\n".join(lines) + "\n")
exp = {"u": u,
       "b": [list(bids[p]) for p in sorted(bids, reverse=True)],
       "a": [list(asks[p]) for p in sorted(asks)]}
with open("bybit_stream_expected.json", "w") as f:
    json.dump(exp, f)
print(len(lines), len(bids), len(asks))
