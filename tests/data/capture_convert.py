#!/usr/bin/env python3
"""Writes capture-format copies (wsbook --capture's format, see src/capture/capture_format.h)
of two recordings of this folder, for the replay tests. Run once, by hand; its outputs are
committed:

  v2_capture_10_symbols.capture  <- v2_capture_10_symbols.txt (Gemini v2, 10 symbols)
  binance_4_symbols.capture      <- BINANCE.ws.1.0 + BINANCE.http.0.0 (the REST replies
                                    interleaved with the frames by their receive times, each
                                    with the id of the fetch the feed asks first for that symbol:
                                    wsbook asks in the order of the subscription)

The recordings' times are seconds with a fraction; the capture's are unix microseconds.
"""
import json

def micros(t):
    whole, _, frac = t.partition('.')
    return int(whole) * 1_000_000 + int((frac + '000000')[:6])

def line(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(',', ':')) + '\n'

def header(exchange, url, symbols, us):
    return line({'capture': 1, 'wsbook': 'converted', 'exchange': exchange, 'interval_ms': 0,
                 'symbol_stale_ms': 600000, 'depth': 10, 'us': us, 'connections': [{'url': url, 'symbols': symbols}]})

def event(us, kind, **fields):
    return line({'us': us, 'c': 0, 'event': kind, **fields})

def frames(lines):
    for l in lines:
        t, _, frame = l.partition(': ')
        yield micros(t), frame

def gemini_v2():
    lines = open('v2_capture_10_symbols.txt', encoding='utf-8').read().split('\n')
    url, _, connected = lines[0].partition(' <-> ')
    sent_at, _, subscribe = lines[1].partition(' <- ')[2].partition(': ')
    symbols = json.loads(subscribe)['subscriptions'][0]['symbols']
    with open('v2_capture_10_symbols.capture', 'w', encoding='utf-8') as out:
        out.write(header('gemini-v2', url, symbols, micros(connected)))
        out.write(event(micros(connected), 'open', url=url, symbols=symbols, how='connected to api.gemini.com:443'))
        out.write(event(micros(sent_at), 'send', text=subscribe))
        for us, frame in frames(l for l in lines[2:] if l):
            out.write(event(us, 'frame', text=frame))

def binance():
    lines = open('BINANCE.ws.1.0', encoding='utf-8').read().split('\n')
    url, _, connected = lines[0].partition(' <-> ')
    symbols = ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR']
    replies = []
    for l in filter(None, open('BINANCE.http.0.0', encoding='utf-8').read().split('\n')):
        rest_url, _, rest = l.partition(' -> ')
        t, _, body = rest.partition(': ')
        symbol = rest_url.split('symbol=')[1].split('&')[0]
        replies.append((micros(t), symbols.index(symbol) + 1, body))
    replies.sort()
    events = [(us, event(us, 'frame', text=f)) for us, f in frames(l for l in lines[1:] if l)]
    events += [(us, event(us, 'response', id=i, status=200, text=b)) for us, i, b in replies]
    events.sort(key=lambda e: e[0])
    with open('binance_4_symbols.capture', 'w', encoding='utf-8') as out:
        out.write(header('binance', url, symbols, micros(connected)))
        out.write(event(micros(connected), 'open', url=url, symbols=symbols, how='connected to stream.binance.com:9443'))
        for _, text in events:
            out.write(text)

gemini_v2()
binance()
